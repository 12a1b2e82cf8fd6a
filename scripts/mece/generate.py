"""Synthetic cart abandoners, vectorised with numpy and loaded into DuckDB.

The distributions follow the seed: log-normal order values, Poisson-like
sessions, engagement correlated with sessions, profitability with order value
and engagement, 30% of users who never ordered, and abandonments spread over
the 8 days before the as-of date. Faker only fills small pools of names,
countries and mail domains that rows sample from, so a row costs numpy time,
not Python time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from faker import Faker

from mece.warehouse import swap_in

CHUNK_ROWS = 1_000_000
NAME_POOL = 500
COUNTRY_POOL = 60
DOMAIN_POOL = 12
ABANDONMENT_SPREAD_DAYS = 8
NEVER_ORDERED_SHARE = 0.30

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Pools:
    first_names: list[str]
    last_names: list[str]
    countries: list[str]
    domains: list[str]


def make_pools(seed: int) -> Pools:
    """Small pools of realistic values from Faker, reproducible for a seed."""
    fake = Faker()
    fake.seed_instance(seed)

    def unique(make: Callable[[], str], size: int) -> list[str]:
        values: dict[str, None] = {}
        for _ in range(size * 3):
            values[make()] = None
            if len(values) == size:
                break
        return list(values)

    return Pools(
        first_names=unique(fake.first_name, NAME_POOL),
        last_names=unique(fake.last_name, NAME_POOL),
        countries=unique(fake.country, COUNTRY_POOL),
        domains=unique(fake.free_email_domain, DOMAIN_POOL),
    )


def generate_chunk(
    rng: np.random.Generator, start: int, size: int, as_of: dt.date, pools: Pools
) -> pa.Table:
    """`size` users numbered from `start`, as an Arrow table (SPEC input contract)."""
    as_of_midnight = np.datetime64(as_of.isoformat(), "us")
    spread_us = ABANDONMENT_SPREAD_DAYS * 86_400 * 1_000_000
    abandoned = as_of_midnight - rng.integers(1, spread_us, size=size).astype("timedelta64[us]")

    days_before_abandonment = rng.integers(1, 365 * 86_400, size=size).astype("timedelta64[s]")
    last_order = (abandoned - days_before_abandonment).astype("datetime64[us]")
    never_ordered = rng.random(size) < NEVER_ORDERED_SHARE

    avg_order_value = np.round(rng.lognormal(mean=4.5, sigma=0.7, size=size), 2)
    avg_order_value = np.maximum(avg_order_value, 1.0)
    sessions = rng.poisson(lam=6.0, size=size)
    engagement = np.clip(0.15 + 0.05 * sessions + rng.normal(0.0, 0.15, size), 0.0, 1.0)
    engagement = np.round(engagement, 3)
    profitability = np.clip(
        0.1
        + 0.12 * (np.log(avg_order_value) - 4.5)
        + 0.4 * engagement
        + rng.normal(0.2, 0.15, size),
        0.0,
        1.0,
    )
    profitability = np.round(profitability, 3)
    cart_items = 1 + rng.poisson(lam=2.0, size=size)

    return pa.table(
        {
            "n": pa.array(np.arange(start, start + size, dtype=np.int64)),
            "cart_abandoned_date": pa.array(abandoned),
            "last_order_date": pa.array(last_order, mask=never_ordered),
            "avg_order_value": pa.array(avg_order_value),
            "sessions_last_30d": pa.array(sessions.astype(np.int32)),
            "num_cart_items": pa.array(cart_items.astype(np.int32)),
            "engagement_score": pa.array(engagement),
            "profitability_score": pa.array(profitability),
            "first_idx": pa.array(rng.integers(0, len(pools.first_names), size, dtype=np.int32)),
            "last_idx": pa.array(rng.integers(0, len(pools.last_names), size, dtype=np.int32)),
            "country_idx": pa.array(rng.integers(0, len(pools.countries), size, dtype=np.int32)),
            "domain_idx": pa.array(rng.integers(0, len(pools.domains), size, dtype=np.int32)),
        }
    )


# The chunk's numbers become the SPEC columns plus the Faker ones; user ids,
# names and e-mails are put together by DuckDB, not by Python.
_INSERT_SQL = """
insert into {table}
select
    printf('U%09d', chunk.n) as user_id,
    chunk.cart_abandoned_date,
    chunk.last_order_date,
    chunk.avg_order_value,
    chunk.sessions_last_30d,
    chunk.num_cart_items,
    chunk.engagement_score,
    chunk.profitability_score,
    first_names.mail || '.' || last_names.mail || chunk.n || '@' || domains.v as email,
    first_names.v as first_name,
    last_names.v as last_name,
    countries.v as country
from chunk
join first_names on first_names.i = chunk.first_idx
join last_names on last_names.i = chunk.last_idx
join countries on countries.i = chunk.country_idx
join domains on domains.i = chunk.domain_idx
"""

_CREATE_SQL = """
create or replace table {table} (
    user_id varchar,
    cart_abandoned_date timestamp,
    last_order_date timestamp,
    avg_order_value double,
    sessions_last_30d integer,
    num_cart_items integer,
    engagement_score double,
    profitability_score double,
    email varchar,
    first_name varchar,
    last_name varchar,
    country varchar
)
"""


def write_users(
    con: duckdb.DuckDBPyConnection,
    n_users: int,
    seed: int,
    as_of: dt.date,
    table: str = "raw.users",
    progress: Progress | None = None,
) -> int:
    """Replace `table` with `n_users` synthetic users; returns the row count.

    The same seed and as-of date give the same rows. The new table is built
    under a temporary name and swapped in at the end, in one transaction, so a
    failure leaves the previous users as they were.
    """
    if n_users < 0:
        raise ValueError(f"--users must be >= 0, got {n_users}")
    schema, name = table.split(".")
    staging = f"{schema}.{name}__incoming"
    pools = make_pools(seed)
    con.execute(f"create schema if not exists {schema}")
    con.execute(_CREATE_SQL.format(table=staging))
    for label, values in (
        ("first_names", pools.first_names),
        ("last_names", pools.last_names),
        ("countries", pools.countries),
        ("domains", pools.domains),
    ):
        # the e-mail form of each pool value is made once here, not once per row
        mail = [re.sub(r"[^a-z]", "", value.lower()) for value in values]
        pool = pa.table({"i": pa.array(range(len(values)), pa.int32()), "v": values, "mail": mail})
        con.register(label, pool)

    children = np.random.SeedSequence(seed).spawn(max(1, -(-n_users // CHUNK_ROWS)))
    starts = range(0, n_users, CHUNK_ROWS)

    def make(index: int) -> pa.Table:
        size = min(CHUNK_ROWS, n_users - starts[index])
        rng = np.random.default_rng(children[index])
        return generate_chunk(rng, starts[index] + 1, size, as_of, pools)

    # numpy draws the next chunk in a thread while DuckDB inserts this one
    with ThreadPoolExecutor(max_workers=1) as executor:
        pending = executor.submit(make, 0) if starts else None
        for index in range(len(starts)):
            assert pending is not None
            chunk = pending.result()
            pending = executor.submit(make, index + 1) if index + 1 < len(starts) else None
            con.register("chunk", chunk)
            con.execute(_INSERT_SQL.format(table=staging))
            con.unregister("chunk")
            if progress is not None:
                progress(chunk.num_rows)

    swap_in(con, staging, table)
    return n_users
