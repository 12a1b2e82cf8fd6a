{#-
    The quarantine: every input row that breaks the contract, or is a dropped
    duplicate, with its original values as text and every reason that applies.
    input rows = accepted rows + rejected rows (tested).
-#}

with

checked as (

    select * from {{ ref('int_users_checked') }}
    where not is_accepted

),

final as (

    select
        cast(user_id_raw as {{ dbt.type_string() }}) as user_id,
        cast(cart_abandoned_date_raw as {{ dbt.type_string() }}) as cart_abandoned_date,
        cast(last_order_date_raw as {{ dbt.type_string() }}) as last_order_date,
        cast(avg_order_value_raw as {{ dbt.type_string() }}) as avg_order_value,
        cast(sessions_last_30d_raw as {{ dbt.type_string() }}) as sessions_last_30d,
        cast(num_cart_items_raw as {{ dbt.type_string() }}) as num_cart_items,
        cast(engagement_score_raw as {{ dbt.type_string() }}) as engagement_score,
        cast(profitability_score_raw as {{ dbt.type_string() }}) as profitability_score,
        cast(rejection_reason as {{ dbt.type_string() }}) as rejection_reason
    from checked

)

select * from final
