{#- The thresholds of this run, one row, for anyone who asks "why is this user Premium?". -#}

with

thresholds as (

    select * from {{ ref('int_segment_thresholds') }}

),

final as (

    select
        cast(as_of_date as date) as as_of_date,
        cast(universe_window_days as {{ dbt.type_int() }}) as universe_window_days,
        cast(universe_size as {{ dbt.type_bigint() }}) as universe_size,
        cast(aov_high_percentile as {{ mece_type_double() }}) as aov_high_percentile,
        cast(aov_high as {{ mece_type_double() }}) as aov_high,
        cast(aov_medium_percentile as {{ mece_type_double() }}) as aov_medium_percentile,
        cast(aov_medium as {{ mece_type_double() }}) as aov_medium,
        cast(engagement_high as {{ mece_type_double() }}) as engagement_high,
        cast(engagement_medium as {{ mece_type_double() }}) as engagement_medium,
        cast(profitability_high as {{ mece_type_double() }}) as profitability_high,
        cast(sessions_active as {{ dbt.type_int() }}) as sessions_active,
        cast(sessions_moderate as {{ dbt.type_int() }}) as sessions_moderate,
        cast(min_segment_size as {{ dbt.type_int() }}) as min_segment_size,
        cast(max_segment_size as {{ dbt.type_int() }}) as max_segment_size,
        cast(max_avg_order_value as {{ mece_type_double() }}) as max_avg_order_value
    from thresholds

)

select * from final
