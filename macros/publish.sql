{#-
    Write-audit-publish. dbt builds the marts in `<schema>_audit` and tests
    them there. This on-run-end hook then publishes them to the target schema
    (`main`), which is where BI tools read them: a copy on most engines, a
    rename and views on DuckDB (see below). It does this in one transaction
    where the engine has them, and only when nothing in the run failed or was
    skipped and the run included tests. So a failed build leaves the
    published tables exactly as the last good build left them. A `dbt run`
    or a build without tests never publishes: it has not tested what it
    built.
-#}
{% macro publish_marts(results) -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set problems, marts, tests = [], [], [] -%}
    {%- for result in results -%}
        {%- if result.status in ['error', 'fail', 'skipped', 'runtime error'] -%}
            {%- do problems.append(result.node.name) -%}
        {%- elif result.node.resource_type == 'model' and result.node.fqn[1] == 'marts' -%}
            {%- do marts.append(result.node) -%}
        {%- elif result.node.resource_type in ['test', 'unit_test'] -%}
            {%- do tests.append(result.node) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if flags.WHICH != 'build' or problems or not marts or not tests -%}
        {%- if marts or problems -%}
            {%- if problems -%}
                {%- set why = 'failed or skipped: ' ~ problems | join(', ') -%}
            {%- else -%}
                {%- set why = 'only a `dbt build` that runs the tests publishes' -%}
            {%- endif -%}
            {{ log('Published marts in ' ~ target.schema ~ ' left unchanged (' ~ why ~ ').', info=true) }}
        {%- endif -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set statements = ['create schema if not exists ' ~ adapter.quote(target.schema)] -%}
    {%- for node in marts -%}
        {%- set audited = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {%- set published = api.Relation.create(database=node.database, schema=target.schema, identifier=node.alias) -%}
        {%- do statements.extend(mece_publish_table(audited, published)) -%}
    {%- endfor -%}
    {{ log('Publishing ' ~ marts | map(attribute='alias') | join(', ') ~ ' to schema ' ~ target.schema, info=true) }}
    {#- one transaction where the engine has them: the first statement begins it -#}
    {%- for sql in statements -%}
        {%- call statement('publish_marts', auto_begin=true) -%}
            {{ sql }}
        {%- endcall -%}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {{ return('select 1') }}
{%- endmacro %}

{% macro mece_publish_table(audited, published) -%}
    {{ return(adapter.dispatch('mece_publish_table', 'mece_segments')(audited, published)) }}
{%- endmacro %}

{#- The statements that publish one mart, as a list. -#}
{% macro default__mece_publish_table(audited, published) -%}
    {{ return([
        'drop table if exists ' ~ published,
        'create table ' ~ published ~ ' as select * from ' ~ audited,
    ]) }}
{%- endmacro %}

{#-
    DuckDB cannot move a table to another schema, and a copy of tens of
    millions of rows costs seconds and doubles the disk. So on DuckDB the
    publish only changes metadata. The audited table is renamed to
    `<name>__published` in the audit schema. The published name in `main`
    becomes a view on it, and so does the audit name, so that `ref()` keeps
    working until the next build replaces that view with a new table.
-#}
{% macro duckdb__mece_publish_table(audited, published) -%}
    {%- set live = audited.incorporate(path={'identifier': audited.identifier ~ '__published'}) -%}
    {%- set statements = [] -%}
    {%- set old_live = adapter.get_relation(database=live.database, schema=live.schema, identifier=live.identifier) -%}
    {%- if old_live is not none -%}
        {%- do statements.append('drop ' ~ old_live.type ~ ' ' ~ live) -%}
    {%- endif -%}
    {%- do statements.append('alter table ' ~ audited ~ ' rename to ' ~ adapter.quote(live.identifier)) -%}
    {#- no catalogue name in the views: they keep working when the file is renamed -#}
    {%- set live_in_file = live.include(database=false) -%}
    {%- do statements.append('create view ' ~ audited ~ ' as select * from ' ~ live_in_file) -%}
    {%- set old_published = adapter.get_relation(database=published.database, schema=published.schema, identifier=published.identifier) -%}
    {%- if old_published is not none -%}
        {%- do statements.append('drop ' ~ old_published.type ~ ' ' ~ published) -%}
    {%- endif -%}
    {%- do statements.append('create view ' ~ published ~ ' as select * from ' ~ live_in_file) -%}
    {{ return(statements) }}
{%- endmacro %}
