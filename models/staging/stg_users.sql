{#-
    Light typing of the raw users. Every column is cast with a cast that yields
    null on bad text, and the original value is kept beside it (`<column>_raw`,
    as given: text from a CSV, typed from a table), so that int_users_checked
    can say exactly why a row is rejected. Nothing is cast to text here: that
    happens only for the rejected rows.
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
{#- the source's own column types: only text needs a checked cast on engines without try_cast -#}
{%- set source_types = {} -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(source('raw', 'users')) -%}
        {%- do source_types.update({column.name | lower: column.data_type | lower}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set typed, as_given = [], [] -%}
{%- for name, data_type in columns -%}
    {%- do typed.append(mece_try_cast(name, data_type, source_types.get(name)) ~ ' as ' ~ name) -%}
    {%- do as_given.append(name ~ ' as ' ~ name ~ '_raw') -%}
{%- endfor -%}

with

source as (

    select * from {{ source('raw', 'users') }}

),

typed as (

    select
        nullif(trim(cast(user_id as {{ dbt.type_string() }})), '') as user_id,
        {{ typed | join(',\n        ') }},
        user_id as user_id_raw,
        {{ as_given | join(',\n        ') }}

    from source

)

select * from typed
