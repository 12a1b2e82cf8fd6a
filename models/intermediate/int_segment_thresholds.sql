{#-
    Every threshold the decision tree uses, in one row: the AOV percentiles are
    computed once over the universe, the absolute ones come from the validated
    settings.

    The percentiles are continuous with linear interpolation, as numpy's
    default and DuckDB's quantile_cont: at position h = (n - 1) * p of the
    sorted values, lower + (h - floor(h)) * (upper - lower). They are read
    off a histogram of the distinct values rather than with an engine's
    percentile aggregate. That aggregate holds every value in memory (DuckDB
    ran out of memory at 100M users under a 2 GB limit), while a group-by
    and a window over the distinct values spill to disk. It is also the same
    portable SQL on every engine, so every engine gets the same thresholds.
-#}
{%- set s = mece_settings() -%}
{%- set p_high = s.aov_high_percentile / 100 -%}
{%- set p_medium = s.aov_medium_percentile / 100 -%}

with

universe as (

    select avg_order_value from {{ ref('int_universe') }}

),

value_counts as (

    select
        avg_order_value,
        count(*) as value_count
    from universe
    group by avg_order_value

),

-- users with an order value up to this one: the sorted position of its last copy
cumulated as (

    select
        avg_order_value,
        sum(value_count) over (
            order by avg_order_value
            rows between unbounded preceding and current row
        ) as users_up_to
    from value_counts

),

totals as (

    select
        coalesce(sum(value_count), 0) as universe_size,
        max(avg_order_value) as max_avg_order_value
    from value_counts

),

-- the 0-based sorted position h of each percentile, split in floor(h) and its fraction
positions as (

    select
        universe_size,
        max_avg_order_value,
        floor((universe_size - 1) * {{ p_high }}) as high_floor,
        cast(
            (universe_size - 1) * {{ p_high }} - floor((universe_size - 1) * {{ p_high }})
            as {{ mece_type_double() }}
        ) as high_fraction,
        floor((universe_size - 1) * {{ p_medium }}) as medium_floor,
        cast(
            (universe_size - 1) * {{ p_medium }} - floor((universe_size - 1) * {{ p_medium }})
            as {{ mece_type_double() }}
        ) as medium_fraction
    from totals

),

-- the values at sorted positions floor(h) and floor(h) + 1
order_statistics as (

    select
        min(case when cumulated.users_up_to > positions.high_floor then cumulated.avg_order_value end)
            as high_lower,
        min(case when cumulated.users_up_to > positions.high_floor + 1 then cumulated.avg_order_value end)
            as high_upper,
        min(case when cumulated.users_up_to > positions.medium_floor then cumulated.avg_order_value end)
            as medium_lower,
        min(case when cumulated.users_up_to > positions.medium_floor + 1 then cumulated.avg_order_value end)
            as medium_upper
    from cumulated
    cross join positions

),

-- lower + fraction * (upper - lower); with one user there is no upper
aggregated as (

    select
        positions.universe_size,
        positions.max_avg_order_value,
        order_statistics.high_lower
        + positions.high_fraction
        * (coalesce(order_statistics.high_upper, order_statistics.high_lower) - order_statistics.high_lower)
            as aov_high,
        order_statistics.medium_lower
        + positions.medium_fraction
        * (coalesce(order_statistics.medium_upper, order_statistics.medium_lower) - order_statistics.medium_lower)
            as aov_medium
    from positions
    cross join order_statistics

),

final as (

    select
        cast('{{ s.as_of_date }}' as date) as as_of_date,
        {{ s.universe_window_days }} as universe_window_days,
        universe_size,
        cast({{ s.aov_high_percentile }} as {{ mece_type_double() }}) as aov_high_percentile,
        cast(aov_high as {{ mece_type_double() }}) as aov_high,
        cast({{ s.aov_medium_percentile }} as {{ mece_type_double() }}) as aov_medium_percentile,
        cast(aov_medium as {{ mece_type_double() }}) as aov_medium,
        cast({{ s.engagement_high }} as {{ mece_type_double() }}) as engagement_high,
        cast({{ s.engagement_medium }} as {{ mece_type_double() }}) as engagement_medium,
        cast({{ s.profitability_high }} as {{ mece_type_double() }}) as profitability_high,
        {{ s.sessions_active }} as sessions_active,
        {{ s.sessions_moderate }} as sessions_moderate,
        {{ s.min_segment_size }} as min_segment_size,
        {{ s.max_segment_size }} as max_segment_size,
        max_avg_order_value
    from aggregated

)

select * from final
