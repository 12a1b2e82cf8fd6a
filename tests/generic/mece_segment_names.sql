{#-
    Every final segment name is a base segment, Other_Bucket, or one of them
    followed by _<part> when it was split. Returns the names that are not.
-#}
{% test mece_segment_names(model, column_name) %}

with

segments as (

    select distinct {{ column_name }} as segment from {{ model }}

),

known as (

    {%- for segment_name, tier, template in mece_segment_catalog() %}
    select '{{ segment_name }}' as known_name
    union all
    {%- endfor %}
    select 'Other_Bucket' as known_name

),

matched as (

    select
        segments.segment,
        count(known.known_name) as matches
    from segments
    left join known
        on
            segments.segment = known.known_name
            or substring(segments.segment, 1, length(known.known_name) + 1)
            = {{ dbt.concat(["known.known_name", "'_'"]) }}
    group by segments.segment

)

select segment from matched
where matches = 0

{% endtest %}
