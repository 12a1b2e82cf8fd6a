{#-
    The few engine-specific constructs the models need, each behind
    adapter.dispatch so another adapter only adds its own implementation.
-#}

{#- Continuous percentile (linear interpolation, as numpy's default), p in [0, 1]. -#}
{% macro mece_percentile_cont(column, p) -%}
    {{ return(adapter.dispatch('mece_percentile_cont', 'mece_segments')(column, p)) }}
{%- endmacro %}

{% macro default__mece_percentile_cont(column, p) -%}
    percentile_cont({{ p }}) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__mece_percentile_cont(column, p) -%}
    quantile_cont({{ column }}, {{ p }})
{%- endmacro %}

{#- Cast that yields null instead of failing, for checking untrusted input. -#}
{% macro mece_try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('mece_try_cast', 'mece_segments')(expression, data_type)) }}
{%- endmacro %}

{% macro default__mece_try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
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
