{#-
    Write-audit-publish. dbt builds the marts in `<schema>_audit` and tests
    them there. This on-run-end hook then copies them to the target schema
    (`main` on DuckDB), which is where BI tools read them. It does this in one
    transaction, and only when nothing in the run failed or was skipped. So a
    failed build leaves the published tables exactly as the last good build
    left them. The publish happens only in `dbt build`, never in `dbt run`,
    because a `dbt run` does not test what it built.
-#}
{% macro publish_marts(results) -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set problems, marts = [], [] -%}
    {%- for result in results -%}
        {%- if result.status in ['error', 'fail', 'skipped', 'runtime error'] -%}
            {%- do problems.append(result.node.name) -%}
        {%- elif result.node.resource_type == 'model' and result.node.fqn[1] == 'marts' -%}
            {%- do marts.append(result.node) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if flags.WHICH != 'build' or problems or not marts -%}
        {%- if marts or problems -%}
            {{ log('Published marts in ' ~ target.schema ~ ' left unchanged ('
                ~ ('failed or skipped: ' ~ problems | join(', ') if problems else 'only `dbt build` publishes')
                ~ ').', info=true) }}
        {%- endif -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for node in marts -%}
        {%- set audited = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {%- set published = api.Relation.create(database=node.database, schema=target.schema, identifier=node.alias) -%}
        {%- do statements.append(mece_publish_table(audited, published)) -%}
    {%- endfor -%}
    {{ log('Publishing ' ~ marts | map(attribute='alias') | join(', ') ~ ' to schema ' ~ target.schema, info=true) }}
    {{ return(mece_transaction(statements)) }}
{%- endmacro %}

{% macro mece_publish_table(audited, published) -%}
    {{ return(adapter.dispatch('mece_publish_table', 'mece_segments')(audited, published)) }}
{%- endmacro %}

{% macro default__mece_publish_table(audited, published) -%}
    drop table if exists {{ published }};
    create table {{ published }} as select * from {{ audited }}
{%- endmacro %}

{% macro duckdb__mece_publish_table(audited, published) -%}
    create or replace table {{ published }} as select * from {{ audited }}
{%- endmacro %}

{% macro mece_transaction(statements) -%}
    {{ return(adapter.dispatch('mece_transaction', 'mece_segments')(statements)) }}
{%- endmacro %}

{% macro default__mece_transaction(statements) -%}
    begin;
    {{ statements | join(';\n') }};
    commit
{%- endmacro %}
