{#-
    Collectively exhaustive: the model and `other` hold exactly the same keys.
    Returns the keys found on one side only, naming the side. (One full outer
    join: cheaper than two EXCEPTs on tens of millions of keys.)
-#}
{% test mece_same_keys(model, column_name, other, other_column) %}

with

this_side as (

    select {{ column_name }} as key_value from {{ model }}

),

other_side as (

    select {{ other_column }} as key_value from {{ other }}

),

differences as (

    select
        coalesce(this_side.key_value, other_side.key_value) as key_value,
        case
            when other_side.key_value is null then 'only in the tested model'
            else 'only in the other model'
        end as side
    from this_side
    full outer join other_side
        on this_side.key_value = other_side.key_value
    where this_side.key_value is null or other_side.key_value is null

)

select * from differences

{% endtest %}
