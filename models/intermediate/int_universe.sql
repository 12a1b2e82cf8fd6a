{#-
    The universe: accepted users whose cart was abandoned in the window
    `as_of_date - universe_window_days <= abandonment date <= as_of_date`,
    compared on dates, with their recency.

    A view: a filter and two columns over int_users_checked are cheaper to
    compute where they are read than to write as another table.
-#}
{{ config(materialized='view') }}
{%- set s = mece_settings() -%}
{%- set as_of = "cast('" ~ s.as_of_date ~ "' as date)" -%}

with

accepted as (

    select * from {{ ref('int_users_checked') }}
    where is_accepted

),

dated as (

    select
        *,
        {{ dbt.datediff('cart_abandoned_date', as_of, 'day') }}
            as days_since_abandonment
    from accepted

),

in_window as (

    select
        user_id,
        cart_abandoned_date,
        last_order_date,
        avg_order_value,
        sessions_last_30d,
        num_cart_items,
        engagement_score,
        profitability_score,
        days_since_abandonment,
        greatest(
            0.0,
            1.0 - cast(days_since_abandonment as {{ mece_type_double() }}) / {{ s.universe_window_days }}
        ) as recency_score
    from dated
    where days_since_abandonment between 0 and {{ s.universe_window_days }}

)

select * from in_window
