{#-
    Collectively exhaustive: the model and `other` hold exactly the same keys.
    Returns the keys found on one side only, naming the side.
-#}
{% test mece_same_keys(model, column_name, other, other_column) %}

with

this_side as (

    select {{ column_name }} as key_value from {{ model }}

),

other_side as (

    select {{ other_column }} as key_value from {{ other }}

),

only_here as (

    select key_value from this_side
    except
    select key_value from other_side

),

only_there as (

    select key_value from other_side
    except
    select key_value from this_side

),

differences as (

    select key_value, 'only in the tested model' as side from only_here
    union all
    select key_value, 'only in the other model' as side from only_there

)

select * from differences

{% endtest %}
