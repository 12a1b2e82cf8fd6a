{#-
    The input contract (SPEC) as a list of checks on stg_users columns.
    Each check is (condition that breaks the contract, readable reason).
    `mece_contract_is_clean()` renders one boolean expression, true when no
    check fails; `mece_contract_violations()` renders the text of every reason
    that applies, joined by '; ' (worth building only for the rows that are
    not clean).
-#}
{% macro mece_contract_checks() -%}
    {%- set checks = [
        ("user_id is null", "user_id is missing"),
        ("cart_abandoned_date_raw is null", "cart_abandoned_date is missing"),
        ("cart_abandoned_date_raw is not null and cart_abandoned_date is null",
            "cart_abandoned_date is not a timestamp"),
        ("last_order_date_raw is not null and last_order_date is null",
            "last_order_date is not a timestamp"),
    ] -%}
    {%- for name in ['avg_order_value', 'engagement_score', 'profitability_score'] -%}
        {%- do checks.append((name ~ "_raw is null", name ~ " is missing")) -%}
        {%- do checks.append((name ~ "_raw is not null and " ~ name ~ " is null", name ~ " is not a number")) -%}
        {%- do checks.append(("not (" ~ name ~ " - " ~ name ~ " = 0)", name ~ " is not a finite number")) -%}
    {%- endfor -%}
    {%- for name in ['sessions_last_30d', 'num_cart_items'] -%}
        {%- do checks.append((name ~ "_raw is null", name ~ " is missing")) -%}
        {%- do checks.append((name ~ "_raw is not null and " ~ name ~ " is null", name ~ " is not a whole number")) -%}
    {%- endfor -%}
    {%- do checks.extend([
        ("avg_order_value <= 0", "avg_order_value <= 0"),
        ("sessions_last_30d < 0", "sessions_last_30d < 0"),
        ("num_cart_items < 1", "num_cart_items < 1"),
        ("engagement_score < 0 or engagement_score > 1", "engagement_score outside [0, 1]"),
        ("profitability_score < 0 or profitability_score > 1", "profitability_score outside [0, 1]"),
    ]) -%}
    {{ return(checks) }}
{%- endmacro %}

{#- True when the row breaks no rule: plain boolean logic, cheap on every row. -#}
{% macro mece_contract_is_clean() -%}
    {%- set conditions = [] -%}
    {%- for condition, reason in mece_contract_checks() -%}
        {%- do conditions.append("coalesce(" ~ condition ~ ", false)") -%}
    {%- endfor -%}
    not ({{ conditions | join("\n        or ") }})
{%- endmacro %}

{% macro mece_contract_violations() -%}
    {%- set parts = [] -%}
    {%- for condition, reason in mece_contract_checks() -%}
        {%- do parts.append("case when " ~ condition ~ " then '" ~ reason ~ "; ' else '' end") -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
