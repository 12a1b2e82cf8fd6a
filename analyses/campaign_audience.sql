{#-
    Example: the audience of the top three segments for a campaign tool, with
    the action to take. `dbt compile --select campaign_audience` writes the SQL
    to target/compiled/; paste it into your BI tool or run it in DuckDB.
-#}

with

strategy as (

    select * from {{ ref('segment_strategy') }}

),

membership as (

    select * from {{ ref('segment_membership') }}

),

top_segments as (

    select
        segment_name,
        rank,
        recommended_action
    from strategy
    where rank <= 3

),

audience as (

    select
        membership.user_id,
        membership.segment,
        top_segments.rank,
        top_segments.recommended_action,
        membership.days_since_abandonment
    from membership
    inner join top_segments
        on membership.segment = top_segments.segment_name

)

select * from audience
order by rank, days_since_abandonment, user_id
