{#- Nothing is lost: rows in raw.users = rows accepted + rows in rejected_users. -#}

with

input_rows as (

    select count(*) as input_count from {{ source('raw', 'users') }}

),

accepted_rows as (

    select count(*) as accepted_count from {{ ref('int_users_checked') }}
    where is_accepted

),

rejected_rows as (

    select count(*) as rejected_count from {{ ref('rejected_users') }}

),

compared as (

    select
        input_rows.input_count,
        accepted_rows.accepted_count,
        rejected_rows.rejected_count
    from input_rows
    cross join accepted_rows
    cross join rejected_rows

)

select * from compared
where input_count <> accepted_count + rejected_count
