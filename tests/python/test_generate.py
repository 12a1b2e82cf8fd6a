"""The synthetic users: shape, ranges, reproducibility and the seed's correlations."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from mece.generate import generate_chunk, make_pools, write_users
from mece.load import REQUIRED_COLUMNS

AS_OF = dt.date(2026, 6, 15)
SPEC_COLUMNS = list(REQUIRED_COLUMNS)  # the input contract, in SPEC's order


def users(n: int, seed: int = 1, as_of: dt.date = AS_OF) -> pd.DataFrame:
    con = duckdb.connect()
    write_users(con, n, seed, as_of)
    return con.sql("select * from raw.users order by user_id").df()


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return users(20_000)


def test_columns_and_types(sample: pd.DataFrame) -> None:
    assert list(sample.columns[: len(SPEC_COLUMNS)]) == SPEC_COLUMNS
    assert {"email", "first_name", "last_name", "country"} <= set(sample.columns)
    assert len(sample) == 20_000
    assert sample["user_id"].is_unique
    assert sample["user_id"].str.fullmatch(r"U\d{9}").all()


def test_ranges(sample: pd.DataFrame) -> None:
    assert (sample["avg_order_value"] > 0).all()
    assert sample["engagement_score"].between(0, 1).all()
    assert sample["profitability_score"].between(0, 1).all()
    assert (sample["sessions_last_30d"] >= 0).all()
    assert (sample["num_cart_items"] >= 1).all()
    days = (pd.Timestamp(AS_OF) - sample["cart_abandoned_date"].dt.normalize()).dt.days
    assert days.between(1, 8).all()
    assert set(days.unique()) == set(range(1, 9))
    ordered = sample["last_order_date"].notna()
    assert (
        sample.loc[ordered, "last_order_date"] < sample.loc[ordered, "cart_abandoned_date"]
    ).all()
    assert sample["email"].str.fullmatch(r"[a-z.]+\d+@[a-z0-9.-]+").all()


def test_distributions_follow_the_seed(sample: pd.DataFrame) -> None:
    never = sample["last_order_date"].isna().mean()
    assert 0.28 < never < 0.32
    log_aov = np.log(sample["avg_order_value"])
    assert abs(log_aov.skew()) < 0.2 < sample["avg_order_value"].skew()  # log-normal
    sessions = sample["sessions_last_30d"]
    assert abs(sessions.var() / sessions.mean() - 1) < 0.1  # Poisson-like
    assert sample["engagement_score"].corr(sessions) > 0.5
    assert sample["profitability_score"].corr(log_aov) > 0.1
    assert sample["profitability_score"].corr(sample["engagement_score"]) > 0.3


def test_same_seed_and_date_give_the_same_rows() -> None:
    pd.testing.assert_frame_equal(users(3_000, seed=5), users(3_000, seed=5))


def test_other_seed_or_date_gives_other_rows() -> None:
    base = users(2_000, seed=5)
    assert not base["avg_order_value"].equals(users(2_000, seed=6)["avg_order_value"])
    later = users(2_000, seed=5, as_of=AS_OF + dt.timedelta(days=1))
    shift = later["cart_abandoned_date"] - base["cart_abandoned_date"]
    assert (shift == pd.Timedelta(days=1)).all()


def test_chunks_cover_every_row_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mece.generate.CHUNK_ROWS", 700)
    ticks: list[int] = []
    con = duckdb.connect()
    assert write_users(con, 2_000, 3, AS_OF, progress=ticks.append) == 2_000
    assert ticks == [700, 700, 600]
    ids = con.sql("select user_id from raw.users order by user_id").fetchall()
    assert [i for (i,) in ids] == [f"U{n:09d}" for n in range(1, 2_001)]


def test_replacing_users_keeps_the_old_table_until_the_new_one_is_complete() -> None:
    con = duckdb.connect()
    write_users(con, 100, 1, AS_OF)
    with pytest.raises(ValueError):
        write_users(con, -1, 1, AS_OF)
    assert con.execute("select count(*) from raw.users").fetchone() == (100,)
    write_users(con, 0, 1, AS_OF)
    assert con.execute("select count(*) from raw.users").fetchone() == (0,)


def test_pools_are_reproducible_and_small() -> None:
    first, second = make_pools(9), make_pools(9)
    assert first == second
    assert 100 < len(first.first_names) <= 500
    chunk = generate_chunk(np.random.default_rng(0), 1, 10, AS_OF, first)
    assert chunk.num_rows == 10
