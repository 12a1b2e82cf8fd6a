{#-
    Size constraints (SPEC), planned per base segment (at most ten rows):
      1. a base segment below the minimum merges into its tier's <Tier>_Other;
      2. a <Tier>_Other still below the minimum moves, with what it absorbed,
         to Other_Bucket;
      3. an Other_Bucket still below the minimum merges into the smallest
         remaining segment (ties: by name);
      4. a segment above the maximum splits into k = ceil(size / max) parts,
         done per user in segment_membership.
    A universe smaller than the minimum ends as one Other_Bucket, flagged by
    `is_undersized`.
-#}
{%- set s = mece_settings() -%}

with

base as (

    select
        base_segment,
        tier,
        count(*) as base_size
    from {{ ref('int_base_segments') }}
    group by base_segment, tier

),

step_1 as (

    select
        *,
        case
            when base_size < {{ s.min_segment_size }} and base_segment <> {{ dbt.concat(["tier", "'_Other'"]) }}
                then {{ dbt.concat(["tier", "'_Other'"]) }}
            else base_segment
        end as step_1_segment
    from base

),

step_1_sizes as (

    select
        step_1_segment,
        sum(base_size) as step_1_size
    from step_1
    group by step_1_segment

),

step_2 as (

    select
        step_1.*,
        case
            when
                step_1.step_1_segment = {{ dbt.concat(["step_1.tier", "'_Other'"]) }}
                and step_1_sizes.step_1_size < {{ s.min_segment_size }}
                then 'Other_Bucket'
            else step_1.step_1_segment
        end as step_2_segment
    from step_1
    inner join step_1_sizes
        on step_1.step_1_segment = step_1_sizes.step_1_segment

),

step_2_sizes as (

    select
        step_2_segment,
        sum(base_size) as step_2_size
    from step_2
    group by step_2_segment

),

merge_target as (

    select step_2_segment as target_segment
    from step_2_sizes
    where step_2_segment <> 'Other_Bucket'
    order by step_2_size asc, step_2_segment asc
    limit 1

),

other_bucket as (

    select step_2_size as other_bucket_size
    from step_2_sizes
    where step_2_segment = 'Other_Bucket'

),

step_3 as (

    select
        step_2.*,
        case
            when
                step_2.step_2_segment = 'Other_Bucket'
                and other_bucket.other_bucket_size < {{ s.min_segment_size }}
                and merge_target.target_segment is not null
                then merge_target.target_segment
            else step_2.step_2_segment
        end as merged_segment
    from step_2
    left join other_bucket on 1 = 1
    left join merge_target on 1 = 1

),

merged_sizes as (

    select
        merged_segment,
        sum(base_size) as merged_size,
        sum(case when base_segment <> merged_segment then 1 else 0 end) as absorbed_segments
    from step_3
    group by merged_segment

),

final as (

    select
        step_3.base_segment,
        step_3.tier,
        step_3.base_size,
        step_3.merged_segment,
        merged_sizes.merged_size,
        case
            when merged_sizes.merged_size > {{ s.max_segment_size }}
                then {{ mece_floor_div(
                    'merged_sizes.merged_size + ' ~ (s.max_segment_size - 1),
                    s.max_segment_size) }}
            else 1
        end as split_parts,
        case
            when merged_sizes.merged_size > {{ s.max_segment_size }} then 'Split'
            when merged_sizes.absorbed_segments > 0 then 'Merged'
            else 'Yes'
        end as valid,
        merged_sizes.merged_size < {{ s.min_segment_size }} as is_undersized
    from step_3
    inner join merged_sizes
        on step_3.merged_segment = merged_sizes.merged_segment

)

select * from final
