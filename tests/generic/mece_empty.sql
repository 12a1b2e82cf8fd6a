{#- The model has no rows; each row is reported (use with severity warn to count them). -#}
{% test mece_empty(model) %}

select * from {{ model }}

{% endtest %}
