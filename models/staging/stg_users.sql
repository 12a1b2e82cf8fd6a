{#-
    Light typing of the raw users. Every column is cast with a cast that yields
    null on bad text, and the original text is kept beside it, so that
    int_users_checked can say exactly why a row is rejected.
-#}
{%- set columns = [
    ('cart_abandoned_date', dbt.type_timestamp()),
    ('last_order_date', dbt.type_timestamp()),
    ('avg_order_value', mece_type_double()),
    ('sessions_last_30d', dbt.type_int()),
    ('num_cart_items', dbt.type_int()),
    ('engagement_score', mece_type_double()),
    ('profitability_score', mece_type_double()),
] -%}

with

source as (

    select * from {{ source('raw', 'users') }}

),

typed as (

    select
        nullif(trim(cast(user_id as {{ dbt.type_string() }})), '') as user_id,
        {%- for name, data_type in columns %}
        {{ mece_try_cast(name, data_type) }} as {{ name }},
        {%- endfor %}
        cast(user_id as {{ dbt.type_string() }}) as user_id_raw,
        {%- for name, data_type in columns %}
        cast({{ name }} as {{ dbt.type_string() }}) as {{ name }}_raw{{ ',' if not loop.last }}
        {%- endfor %}

    from source

)

select * from typed
