{#- Nothing lost: the model has as many rows as `other`. Returns both counts when they differ. -#}
{% test mece_row_count_matches(model, other) %}

with

model_rows as (

    select count(*) as model_count from {{ model }}

),

other_rows as (

    select count(*) as other_count from {{ other }}

),

compared as (

    select
        model_rows.model_count,
        other_rows.other_count
    from model_rows
    cross join other_rows

)

select * from compared
where model_count <> other_count

{% endtest %}
