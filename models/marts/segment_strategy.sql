{#-
    One row per final segment: size, the SPEC scores, a rank by overall score
    and what to do. The seed's 13 columns come first, in its order.
-#}
{%- set s = mece_settings() -%}

with

membership as (

    select * from {{ ref('segment_membership') }}

),

size_plan as (

    select * from {{ ref('int_segment_size_plan') }}

),

thresholds as (

    select * from {{ ref('int_segment_thresholds') }}

),

rules as (

    select * from {{ ref('int_segment_rules') }}

),

playbook as (

    select * from {{ ref('segment_playbook') }}

),

-- one pass over the members: sums per (final segment, base segment)
segment_base_sums as (

    select
        segment,
        base_segment,
        count(*) as members,
        sum(engagement_score) as sum_engagement,
        sum(recency_score) as sum_recency,
        sum(profitability_score) as sum_profitability,
        sum(avg_order_value) as sum_aov,
        sum(sessions_last_30d) as sum_sessions
    from membership
    group by segment, base_segment

),

segment_base_details as (

    select
        segment_base_sums.*,
        size_plan.merged_segment,
        size_plan.split_parts,
        size_plan.valid,
        size_plan.is_undersized,
        playbook.expected_lift
    from segment_base_sums
    inner join size_plan
        on segment_base_sums.base_segment = size_plan.base_segment
    left join playbook
        on segment_base_sums.base_segment = playbook.segment_name

),

segment_sums as (

    select
        segment,
        max(merged_segment) as merged_segment,
        max(split_parts) as split_parts,
        max(valid) as valid,
        max(case when is_undersized then 1 else 0 end) = 1 as is_undersized,
        sum(members) as size,
        sum(sum_engagement) / sum(members) as avg_engagement,
        sum(sum_recency) / sum(members) as avg_recency,
        sum(sum_profitability) / sum(members) as avg_profitability,
        sum(sum_aov) / sum(members) as avg_aov,
        cast(sum(sum_sessions) as {{ mece_type_double() }}) / sum(members) as avg_sessions,
        sum(members * expected_lift) / sum(members) as lift_vs_control,
        {{ mece_sorted_names("case when base_segment <> merged_segment then base_segment end") }}
            as absorbed_segments
    from segment_base_details
    group by segment

),

scored as (

    select
        segment_sums.*,
        segment_sums.avg_profitability as profitability,
        segment_sums.avg_engagement * segment_sums.avg_recency as conversion_potential,
        0.2 + 0.8 * segment_sums.size / max(segment_sums.size) over () as size_score,
        0.6 * segment_sums.avg_profitability
        + 0.4 * segment_sums.avg_aov / thresholds.max_avg_order_value as strategic_fit
    from segment_sums
    cross join thresholds

),

described as (

    select
        scored.*,
        {{ s.weight_conversion_potential }} * scored.conversion_potential
        + {{ s.weight_lift_vs_control }} * scored.lift_vs_control
        + {{ s.weight_size_score }} * scored.size_score
        + {{ s.weight_profitability }} * scored.profitability
        + {{ s.weight_strategic_fit }} * scored.strategic_fit as overall_score,
        {{ dbt.concat([
            "coalesce(rules.rule_text, 'Segments below the minimum size of " ~ s.min_segment_size ~ "')",
            "case when scored.absorbed_segments is not null then "
            ~ dbt.concat(["' | merged in (below min " ~ s.min_segment_size ~ "): '", "scored.absorbed_segments"])
            ~ " else '' end",
            "case when scored.split_parts > 1 then "
            ~ dbt.concat([
                "' | split by recency into '",
                "cast(scored.split_parts as " ~ dbt.type_string() ~ ")",
                "' parts of at most " ~ s.max_segment_size ~ "'",
            ])
            ~ " else '' end",
        ]) }} as rules_applied,
        coalesce(playbook.tier, rules.tier) as tier,
        playbook.recommended_action
    from scored
    left join rules
        on scored.merged_segment = rules.segment_name
    left join playbook
        on scored.merged_segment = playbook.segment_name

),

final as (

    select
        cast(segment as {{ dbt.type_string() }}) as segment_name,
        cast(rules_applied as {{ dbt.type_string() }}) as rules_applied,
        cast(size as {{ dbt.type_bigint() }}) as size,
        cast(conversion_potential as {{ mece_type_double() }}) as conversion_potential,
        cast(lift_vs_control as {{ mece_type_double() }}) as lift_vs_control,
        cast(size_score as {{ mece_type_double() }}) as size_score,
        cast(profitability as {{ mece_type_double() }}) as profitability,
        cast(strategic_fit as {{ mece_type_double() }}) as strategic_fit,
        cast(overall_score as {{ mece_type_double() }}) as overall_score,
        cast(valid as {{ dbt.type_string() }}) as valid,
        cast(avg_aov as {{ mece_type_double() }}) as avg_aov,
        cast(avg_engagement as {{ mece_type_double() }}) as avg_engagement,
        cast(avg_sessions as {{ mece_type_double() }}) as avg_sessions,
        cast(row_number() over (order by overall_score desc, segment asc) as {{ dbt.type_int() }}) as rank,
        cast(recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(tier as {{ dbt.type_string() }}) as tier,
        cast(merged_segment as {{ dbt.type_string() }}) as parent_segment,
        cast(avg_recency as {{ mece_type_double() }}) as avg_recency_score,
        is_undersized
    from described

)

select * from final
