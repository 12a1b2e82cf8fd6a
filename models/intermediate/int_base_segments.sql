{#-
    The decision tree (SPEC): every universe user gets exactly one tier and one
    base segment. All comparisons are strict `>`, so a value exactly on a
    threshold falls to the branch below it. A view: the CASE is computed where
    it is read (the size plan's count and segment_membership).
-#}
{{ config(materialized='view') }}

with

universe as (

    select * from {{ ref('int_universe') }}

),

thresholds as (

    select * from {{ ref('int_segment_thresholds') }}

),

classified as (

    select
        universe.*,
        case
            when universe.avg_order_value > thresholds.aov_high then 'Premium'
            when universe.avg_order_value > thresholds.aov_medium then 'Mid_Value'
            else 'Low_Value'
        end as tier,
        case
            when universe.avg_order_value > thresholds.aov_high
                then
                    case
                        when universe.engagement_score > thresholds.engagement_high
                            then 'Premium_Engaged'
                        when universe.profitability_score > thresholds.profitability_high
                            then 'Premium_Profitable'
                        else 'Premium_Other'
                    end
            when universe.avg_order_value > thresholds.aov_medium
                then
                    case
                        when
                            universe.engagement_score > thresholds.engagement_high
                            and universe.profitability_score > thresholds.profitability_high
                            then 'Mid_Value_Champions'
                        when universe.engagement_score > thresholds.engagement_medium
                            then 'Mid_Value_Engaged'
                        when universe.sessions_last_30d > thresholds.sessions_active
                            then 'Mid_Value_Active'
                        else 'Mid_Value_Other'
                    end
            else
                case
                    when universe.engagement_score > thresholds.engagement_high
                        then 'Low_Value_High_Engagement'
                    when
                        universe.engagement_score > thresholds.engagement_medium
                        and universe.sessions_last_30d > thresholds.sessions_moderate
                        then 'Low_Value_Moderate_Engaged'
                    else 'Low_Value_Other'
                end
        end as base_segment
    from universe
    cross join thresholds

)

select * from classified
