{#-
    Every threshold the decision tree uses, in one row: the AOV percentiles are
    computed once over the universe (continuous, linear interpolation), the
    absolute ones come from the validated settings.
-#}
{%- set s = mece_settings() -%}

with

universe as (

    select avg_order_value from {{ ref('int_universe') }}

),

aggregated as (

    select
        count(*) as universe_size,
        {{ mece_percentile_cont('avg_order_value', s.aov_high_percentile / 100) }} as aov_high,
        {{ mece_percentile_cont('avg_order_value', s.aov_medium_percentile / 100) }} as aov_medium,
        max(avg_order_value) as max_avg_order_value
    from universe

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
