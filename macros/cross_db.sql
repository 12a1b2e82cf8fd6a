{#-
    The few engine-specific constructs the models need, each behind
    adapter.dispatch with a DuckDB, PostgreSQL and Spark implementation where
    the default does not fit. (The percentiles need none: see
    int_segment_thresholds.) Another adapter (Snowflake, BigQuery, Databricks,
    Trino) adds `<adapter>__<macro>` for the ones its SQL spells differently.
-#}

{#-
    Cast that yields null instead of failing, for checking untrusted input.
    `source_data_type` is the column's type in the source, when known: only
    text needs checking before a cast on engines without try_cast.
-#}
{% macro mece_try_cast(expression, data_type, source_data_type=none) -%}
    {{ return(adapter.dispatch('mece_try_cast', 'mece_segments')(expression, data_type, source_data_type)) }}
{%- endmacro %}

{% macro default__mece_try_cast(expression, data_type, source_data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#-
    PostgreSQL has no try_cast (pg_input_is_valid arrives in 16): text is
    matched against the shape of the type before it is cast. A text date of
    the right shape that is not a real date (2026-02-30) still fails the build
    with PostgreSQL's own message instead of reaching the quarantine.
-#}
{% macro postgres__mece_try_cast(expression, data_type, source_data_type) -%}
    {%- set source = (source_data_type or 'text') | lower -%}
    {%- set value = 'trim(cast(' ~ expression ~ ' as text))' -%}
    {%- if 'char' not in source and 'text' not in source -%}
        cast({{ expression }} as {{ data_type }})
    {%- elif data_type | lower in ['integer', 'int', 'bigint'] -%}
        case when {{ value }} ~ '^[+-]?[0-9]{1,9}$' then cast({{ value }} as {{ data_type }}) end
    {%- elif 'timestamp' in data_type | lower -%}
        case
            when {{ value }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?$'
                then cast({{ value }} as {{ data_type }})
        end
    {%- else -%}
        case
            when {{ value }} ~* '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)(e[+-]?[0-9]{1,3})?$'
                or lower({{ value }}) in ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf')
                then cast({{ value }} as {{ data_type }})
        end
    {%- endif -%}
{%- endmacro %}

{#- Integer division rounded down, for both operands >= 0. -#}
{% macro mece_floor_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('mece_floor_div', 'mece_segments')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__mece_floor_div(numerator, denominator) -%}
    div({{ numerator }}, {{ denominator }})
{%- endmacro %}

{% macro duckdb__mece_floor_div(numerator, denominator) -%}
    ({{ numerator }}) // ({{ denominator }})
{%- endmacro %}

{% macro spark__mece_floor_div(numerator, denominator) -%}
    ({{ numerator }}) div ({{ denominator }})
{%- endmacro %}

{#- An 8-byte float: dbt.type_float() is a 4-byte FLOAT on DuckDB. -#}
{% macro mece_type_double() -%}
    {{ return(adapter.dispatch('mece_type_double', 'mece_segments')()) }}
{%- endmacro %}

{% macro default__mece_type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__mece_type_double() -%}
    double
{%- endmacro %}

{% macro spark__mece_type_double() -%}
    double
{%- endmacro %}

{#- The names in a group, sorted, joined by ', ' (null when there are none). -#}
{% macro mece_sorted_names(column) -%}
    {{ return(adapter.dispatch('mece_sorted_names', 'mece_segments')(column)) }}
{%- endmacro %}

{% macro default__mece_sorted_names(column) -%}
    string_agg({{ column }}, ', ' order by {{ column }})
{%- endmacro %}

{% macro spark__mece_sorted_names(column) -%}
    nullif(array_join(array_sort(collect_list({{ column }})), ', '), '')
{%- endmacro %}
