{#-
    The sizes reported per segment equal the members counted per segment in
    `members`, and together they add up to the number of rows of `universe`.
    Returns each disagreeing segment (or the total) with both figures.
-#}
{% test mece_sizes_match(model, column_name, size_column, members, members_column, universe) %}

with

reported as (

    select {{ column_name }} as segment, {{ size_column }} as reported_size
    from {{ model }}

),

counted as (

    select {{ members_column }} as segment, count(*) as counted_size
    from {{ members }}
    group by {{ members_column }}

),

per_segment as (

    select
        coalesce(reported.segment, counted.segment) as segment,
        reported.reported_size,
        counted.counted_size
    from reported
    full outer join counted
        on reported.segment = counted.segment

),

reported_total as (

    select coalesce(sum(reported_size), 0) as reported_size from reported

),

universe_total as (

    select count(*) as counted_size from {{ universe }}

),

totals as (

    select
        'total over all segments' as segment,
        reported_total.reported_size,
        universe_total.counted_size
    from reported_total
    cross join universe_total

),

checks as (

    select * from per_segment
    union all
    select * from totals

)

select * from checks
where
    reported_size is null
    or counted_size is null
    or reported_size <> counted_size

{% endtest %}
