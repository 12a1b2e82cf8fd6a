{#- The model has exactly `expected` rows. -#}
{% test mece_row_count(model, expected) %}

with

counted as (

    select count(*) as row_count from {{ model }}

)

select row_count from counted
where row_count <> {{ expected }}

{% endtest %}
