{#-
    Settings: every var the models read, validated in one place.

    `mece_settings()` returns a dict of checked, typed values. A value that is
    not a number, or is outside its range, raises a compiler error that names
    the var, its environment variable, the value given and the allowed range.
    Nothing from a var reaches SQL except through this macro, and what it
    returns is a number or an ISO date, never the raw text.
-#}

{%- macro _mece_setting_error(name, env, value, rule) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid setting " ~ name ~ " (env " ~ env ~ ") = '" ~ value ~ "': " ~ rule
    ) }}
{%- endmacro -%}

{%- macro _mece_number(name, env, kind='float') -%}
    {%- set raw = var(name) | string | trim -%}
    {%- set pattern = '^[+-]?[0-9]+$' if kind == 'int' else '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$' -%}
    {%- if not modules.re.match(pattern, raw) -%}
        {{ _mece_setting_error(name, env, raw, 'must be ' ~ ('a whole number' if kind == 'int' else 'a number')) }}
    {%- endif -%}
    {{ return(raw | int if kind == 'int' else raw | float) }}
{%- endmacro -%}

{%- macro _mece_as_of_date() -%}
    {%- set raw = var('as_of_date') | string | trim -%}
    {%- if raw == '' -%}
        {{ return(run_started_at.strftime('%Y-%m-%d')) }}
    {%- endif -%}
    {%- set match = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', raw) -%}
    {%- set rule = 'must be a real calendar date written YYYY-MM-DD (empty = today)' -%}
    {%- if not match -%}
        {{ _mece_setting_error('as_of_date', 'AS_OF_DATE', raw, rule) }}
    {%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if year < 1900 or month < 1 or month > 12 or day < 1 or day > month_days[month - 1] -%}
        {{ _mece_setting_error('as_of_date', 'AS_OF_DATE', raw, rule) }}
    {%- endif -%}
    {{ return(raw) }}
{%- endmacro -%}

{%- macro _mece_check(ok, name, env, value, rule) -%}
    {%- if not ok -%}
        {{ _mece_setting_error(name, env, value, rule) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro mece_settings() -%}
    {%- set s = {
        'as_of_date': _mece_as_of_date(),
        'universe_window_days': _mece_number('universe_window_days', 'UNIVERSE_WINDOW_DAYS', 'int'),
        'min_segment_size': _mece_number('min_segment_size', 'MIN_SEGMENT_SIZE', 'int'),
        'max_segment_size': _mece_number('max_segment_size', 'MAX_SEGMENT_SIZE', 'int'),
        'aov_high_percentile': _mece_number('aov_high_percentile', 'AOV_HIGH_PERCENTILE'),
        'aov_medium_percentile': _mece_number('aov_medium_percentile', 'AOV_MEDIUM_PERCENTILE'),
        'engagement_high': _mece_number('engagement_high_threshold', 'ENGAGEMENT_HIGH_THRESHOLD'),
        'engagement_medium': _mece_number('engagement_medium_threshold', 'ENGAGEMENT_MEDIUM_THRESHOLD'),
        'profitability_high': _mece_number('profitability_high_threshold', 'PROFITABILITY_HIGH_THRESHOLD'),
        'sessions_active': _mece_number('sessions_active_threshold', 'SESSIONS_ACTIVE_THRESHOLD', 'int'),
        'sessions_moderate': _mece_number('sessions_moderate_threshold', 'SESSIONS_MODERATE_THRESHOLD', 'int'),
        'weight_conversion_potential': _mece_number('weight_conversion_potential', 'WEIGHT_CONVERSION_POTENTIAL'),
        'weight_lift_vs_control': _mece_number('weight_lift_vs_control', 'WEIGHT_LIFT_VS_CONTROL'),
        'weight_size_score': _mece_number('weight_size_score', 'WEIGHT_SIZE_SCORE'),
        'weight_profitability': _mece_number('weight_profitability', 'WEIGHT_PROFITABILITY'),
        'weight_strategic_fit': _mece_number('weight_strategic_fit', 'WEIGHT_STRATEGIC_FIT'),
    } -%}

    {{ _mece_check(s.universe_window_days >= 1, 'universe_window_days', 'UNIVERSE_WINDOW_DAYS',
        s.universe_window_days, 'must be a whole number of days >= 1') }}
    {{ _mece_check(s.min_segment_size >= 1, 'min_segment_size', 'MIN_SEGMENT_SIZE',
        s.min_segment_size, 'must be a whole number >= 1') }}
    {{ _mece_check(s.max_segment_size >= 2 * s.min_segment_size, 'max_segment_size', 'MAX_SEGMENT_SIZE',
        s.max_segment_size, 'must be >= 2 * min_segment_size = ' ~ (2 * s.min_segment_size)
        ~ ' so that an oversized segment can always be split into parts of at least the minimum') }}
    {{ _mece_check(0 < s.aov_high_percentile < 100, 'aov_high_percentile', 'AOV_HIGH_PERCENTILE',
        s.aov_high_percentile, 'must be a percentile strictly between 0 and 100') }}
    {{ _mece_check(0 < s.aov_medium_percentile < s.aov_high_percentile, 'aov_medium_percentile',
        'AOV_MEDIUM_PERCENTILE', s.aov_medium_percentile,
        'must be strictly between 0 and aov_high_percentile = ' ~ s.aov_high_percentile) }}
    {{ _mece_check(0 <= s.engagement_high <= 1, 'engagement_high_threshold', 'ENGAGEMENT_HIGH_THRESHOLD',
        s.engagement_high, 'must be between 0 and 1') }}
    {{ _mece_check(0 <= s.engagement_medium < s.engagement_high, 'engagement_medium_threshold',
        'ENGAGEMENT_MEDIUM_THRESHOLD', s.engagement_medium,
        'must be >= 0 and below engagement_high_threshold = ' ~ s.engagement_high) }}
    {{ _mece_check(0 <= s.profitability_high <= 1, 'profitability_high_threshold',
        'PROFITABILITY_HIGH_THRESHOLD', s.profitability_high, 'must be between 0 and 1') }}
    {{ _mece_check(s.sessions_active >= 0, 'sessions_active_threshold', 'SESSIONS_ACTIVE_THRESHOLD',
        s.sessions_active, 'must be a whole number >= 0') }}
    {{ _mece_check(0 <= s.sessions_moderate < s.sessions_active, 'sessions_moderate_threshold',
        'SESSIONS_MODERATE_THRESHOLD', s.sessions_moderate,
        'must be >= 0 and below sessions_active_threshold = ' ~ s.sessions_active) }}

    {%- set weights = ['weight_conversion_potential', 'weight_lift_vs_control', 'weight_size_score',
                       'weight_profitability', 'weight_strategic_fit'] -%}
    {%- set ns = namespace(total=0.0) -%}
    {%- for w in weights -%}
        {{ _mece_check(s[w] >= 0, w, w | upper, s[w], 'a score weight must be >= 0') }}
        {%- set ns.total = ns.total + s[w] -%}
    {%- endfor -%}
    {{ _mece_check((ns.total - 1.0) | abs < 1e-9, 'weight_*', 'WEIGHT_*', ns.total,
        'the five score weights must sum to 1') }}

    {{ return(s) }}
{%- endmacro -%}

{%- macro validate_settings() -%}
    {#- on-run-start: fail the whole run before any node when a setting is wrong. -#}
    {%- set s = mece_settings() -%}
    {%- if execute -%}
        {{ log('Settings OK: as_of_date=' ~ s.as_of_date ~ ', window=' ~ s.universe_window_days
            ~ ' days, segment size in [' ~ s.min_segment_size ~ ', ' ~ s.max_segment_size ~ ']', info=true) }}
    {%- endif -%}
    {#- a hook must render to SQL: a no-op statement. -#}
    select 1
{%- endmacro -%}
