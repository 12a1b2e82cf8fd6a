{#- One row per base segment: the rule that leads to it, with the threshold values used. -#}

with

thresholds as (

    select * from {{ ref('int_segment_thresholds') }}

),

rules as (

    {%- for segment_name, tier, template in mece_segment_catalog() %}
        select
            '{{ segment_name }}' as segment_name,
            '{{ tier }}' as tier,
            {{ loop.index }} as tree_order,
            {{ mece_rule_sql(template) }} as rule_text
        from thresholds
        {{- "\n    union all" if not loop.last }}
    {%- endfor %}

)

select * from rules
