{#-
    One row per universe user: the base segment from the decision tree and the
    final segment after the size constraints. Users of a segment above the
    maximum are split into <segment>_1..k of near-equal size by recency: most
    recent abandonment first, ties broken by user_id.
-#}

with

base_segments as (

    select * from {{ ref('int_base_segments') }}

),

size_plan as (

    select
        base_segment,
        merged_segment,
        merged_size,
        split_parts
    from {{ ref('int_segment_size_plan') }}

),

planned as (

    select
        base_segments.*,
        size_plan.merged_segment,
        size_plan.merged_size,
        size_plan.split_parts
    from base_segments
    inner join size_plan
        on base_segments.base_segment = size_plan.base_segment

),

-- one window over every member: cheaper than a second pass over the users
-- that need no split (a segment within the maximum has split_parts = 1)
ranked as (

    select
        *,
        row_number() over (
            partition by merged_segment
            order by cart_abandoned_date desc, user_id asc
        ) as recency_rank
    from planned

),

assigned as (

    select
        *,
        case
            when split_parts > 1
                then {{ dbt.concat([
                    "merged_segment",
                    "'_'",
                    "cast(" ~ mece_floor_div('(recency_rank - 1) * split_parts', 'merged_size')
                    ~ " + 1 as " ~ dbt.type_string() ~ ")",
                ]) }}
            else merged_segment
        end as segment
    from ranked

),

final as (

    select
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(tier as {{ dbt.type_string() }}) as tier,
        cast(base_segment as {{ dbt.type_string() }}) as base_segment,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(cart_abandoned_date as {{ dbt.type_timestamp() }}) as cart_abandoned_date,
        cast(last_order_date as {{ dbt.type_timestamp() }}) as last_order_date,
        cast(avg_order_value as {{ mece_type_double() }}) as avg_order_value,
        cast(sessions_last_30d as {{ dbt.type_int() }}) as sessions_last_30d,
        cast(num_cart_items as {{ dbt.type_int() }}) as num_cart_items,
        cast(engagement_score as {{ mece_type_double() }}) as engagement_score,
        cast(profitability_score as {{ mece_type_double() }}) as profitability_score,
        cast(days_since_abandonment as {{ dbt.type_int() }}) as days_since_abandonment,
        cast(recency_score as {{ mece_type_double() }}) as recency_score
    from assigned

)

select * from final
