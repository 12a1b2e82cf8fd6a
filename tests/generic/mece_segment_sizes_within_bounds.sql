{#-
    Every final segment holds between min_segment_size and max_segment_size
    members. When the whole universe is smaller than the minimum, SPEC keeps
    it as one flagged segment, which must then be the only one.
-#}
{% test mece_segment_sizes_within_bounds(model, column_name) %}
{%- set s = mece_settings() -%}

with

sizes as (

    select {{ column_name }} as segment, count(*) as members
    from {{ model }}
    group by {{ column_name }}

),

universe as (

    select sum(members) as universe_size, count(*) as segments from sizes

),

violations as (

    select
        sizes.segment,
        sizes.members,
        universe.universe_size,
        universe.segments
    from sizes
    cross join universe
    where
        sizes.members > {{ s.max_segment_size }}
        or (universe.universe_size >= {{ s.min_segment_size }} and sizes.members < {{ s.min_segment_size }})
        or (universe.universe_size < {{ s.min_segment_size }} and universe.segments > 1)

)

select * from violations

{% endtest %}
