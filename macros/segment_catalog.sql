{#-
    The base segments of the decision tree, in tree order, with the rule that
    leads to each in words. `{aov_high}` and `{aov_medium}` are filled in with
    the computed thresholds; every other value comes from the settings. Keep
    this in step with the CASE in int_base_segments.sql.
-#}
{% macro mece_segment_catalog() -%}
    {%- set s = mece_settings() -%}
    {%- set high = "AOV > {aov_high} (p" ~ ('%g' | format(s.aov_high_percentile)) ~ ")" -%}
    {%- set mid = "{aov_medium} (p" ~ ('%g' | format(s.aov_medium_percentile)) ~ ") < AOV <= {aov_high} (p" ~ ('%g' | format(s.aov_high_percentile)) ~ ")" -%}
    {%- set low = "AOV <= {aov_medium} (p" ~ ('%g' | format(s.aov_medium_percentile)) ~ ")" -%}
    {%- set e_high, e_med = s.engagement_high, s.engagement_medium -%}
    {%- set p_high = s.profitability_high -%}
    {%- set champions = "engagement > " ~ e_high ~ " & profitability > " ~ p_high -%}
    {{ return([
        ('Premium_Engaged', 'Premium', high ~ " & engagement > " ~ e_high),
        ('Premium_Profitable', 'Premium',
            high ~ " & engagement <= " ~ e_high ~ " & profitability > " ~ p_high),
        ('Premium_Other', 'Premium',
            high ~ " & engagement <= " ~ e_high ~ " & profitability <= " ~ p_high),
        ('Mid_Value_Champions', 'Mid_Value', mid ~ " & " ~ champions),
        ('Mid_Value_Engaged', 'Mid_Value',
            mid ~ " & not (" ~ champions ~ ") & engagement > " ~ e_med),
        ('Mid_Value_Active', 'Mid_Value',
            mid ~ " & engagement <= " ~ e_med ~ " & sessions > " ~ s.sessions_active),
        ('Mid_Value_Other', 'Mid_Value',
            mid ~ " & engagement <= " ~ e_med ~ " & sessions <= " ~ s.sessions_active),
        ('Low_Value_High_Engagement', 'Low_Value', low ~ " & engagement > " ~ e_high),
        ('Low_Value_Moderate_Engaged', 'Low_Value',
            low ~ " & " ~ e_med ~ " < engagement <= " ~ e_high ~ " & sessions > " ~ s.sessions_moderate),
        ('Low_Value_Other', 'Low_Value',
            low ~ " & engagement <= " ~ e_high ~ " & not (engagement > " ~ e_med
            ~ " & sessions > " ~ s.sessions_moderate ~ ")"),
    ]) }}
{%- endmacro %}

{#- A rule template as SQL: the text around the markers as literals, the markers as formatted columns. -#}
{% macro mece_rule_sql(template) -%}
    {%- set parts = [] -%}
    {%- for piece in modules.re.split('(\\{aov_high\\}|\\{aov_medium\\})', template) -%}
        {%- if piece == '{aov_high}' or piece == '{aov_medium}' -%}
            {%- do parts.append("cast(cast(" ~ piece[1:-1] ~ " as decimal(18, 2)) as " ~ dbt.type_string() ~ ")") -%}
        {%- elif piece != '' -%}
            {%- do parts.append("'" ~ piece ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
