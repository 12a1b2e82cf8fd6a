{#-
    Every raw row, checked against the input contract. A row is accepted when
    it breaks no rule and is the kept copy of its user_id; otherwise it carries
    `rejection_reason` (all reasons that apply) and its original values, and
    goes to the rejected_users mart instead of the universe.

    Duplicate user_id rule: among the clean rows of one user_id, the latest
    cart_abandoned_date is kept (ties broken by the other values, highest
    first); every other copy is rejected as 'duplicate user_id'.
-#}
{%- set raw_columns = [
    'user_id', 'cart_abandoned_date', 'last_order_date', 'avg_order_value',
    'sessions_last_30d', 'num_cart_items', 'engagement_score', 'profitability_score',
] -%}
{%- set quarantined_values = [] -%}
{%- for name in raw_columns -%}
    {%- do quarantined_values.append(
        "case when not is_accepted then cast(" ~ name ~ "_raw as " ~ dbt.type_string() ~ ") end as " ~ name ~ "_raw"
    ) -%}
{%- endfor -%}

with

users as (

    select * from {{ ref('stg_users') }}

),

checked as (

    select
        *,
        {{ mece_contract_is_clean() }} as is_clean
    from users

),

-- duplicates are rare: find them with one hash aggregate, rank only their rows
duplicated as (

    select user_id
    from checked
    where is_clean
    group by user_id
    having count(*) > 1

),

single_copies as (

    select
        checked.*,
        1 as copy_number
    from checked
    left join duplicated
        on checked.user_id = duplicated.user_id
    where duplicated.user_id is null

),

ranked_copies as (

    select
        checked.*,
        row_number() over (
            partition by checked.user_id, checked.is_clean
            order by
                checked.cart_abandoned_date desc,
                checked.avg_order_value desc,
                checked.sessions_last_30d desc,
                checked.num_cart_items desc,
                checked.engagement_score desc,
                checked.profitability_score desc,
                checked.last_order_date desc
        ) as copy_number
    from checked
    inner join duplicated
        on checked.user_id = duplicated.user_id

),

ranked as (

    select * from single_copies
    union all
    select * from ranked_copies

),

decided as (

    select
        *,
        is_clean and copy_number = 1 as is_accepted
    from ranked

),

reasons as (

    select
        *,
        case
            when not is_clean then {{ mece_contract_violations() }}
            when copy_number > 1 then 'duplicate user_id (the latest abandonment is kept); '
        end as reasons_text
    from decided

),

final as (

    select
        user_id,
        cart_abandoned_date,
        last_order_date,
        avg_order_value,
        sessions_last_30d,
        num_cart_items,
        engagement_score,
        profitability_score,
        is_accepted,
        substring(reasons_text, 1, length(reasons_text) - 2) as rejection_reason,
        {{ quarantined_values | join(',\n        ') }}

    from reasons

)

select * from final
