"""Degenerate data stays MECE: empty, tiny, flat and on-the-threshold universes."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from conftest import ROOT, Runner
from mece.pandas_reference import Settings, base_segments, final_segments, universe

AS_OF = dt.date(2026, 6, 15)


def read(base: Path, query: str) -> pd.DataFrame:
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    try:
        return con.sql(query).df()
    finally:
        con.close()


def write_users(path: Path, n: int, **columns: object) -> Path:
    rng = np.random.default_rng(n)
    frame = pd.DataFrame(
        {
            "user_id": [f"u{i:05d}" for i in range(n)],
            "cart_abandoned_date": [
                (pd.Timestamp(AS_OF) - pd.Timedelta(hours=int(h))).isoformat()
                for h in rng.integers(0, 7 * 24, n)
            ],
            "last_order_date": None,
            "avg_order_value": np.round(rng.lognormal(4.5, 0.7, n), 2),
            "sessions_last_30d": rng.poisson(6, n),
            "num_cart_items": 1 + rng.poisson(2, n),
            "engagement_score": np.round(rng.random(n), 2),
            "profitability_score": np.round(rng.random(n), 2),
        }
    )
    for name, value in columns.items():
        frame[name] = value
    frame.to_csv(path, index=False)
    return path


def assert_mece(base: Path, expected_users: int) -> pd.DataFrame:
    membership = read(base, "select * from main.segment_membership")
    strategy = read(base, "select * from main.segment_strategy")
    assert membership["user_id"].is_unique
    assert len(membership) == expected_users == strategy["size"].sum()
    return membership


def test_empty_universe_ends_cleanly_with_a_warning(mece: Runner, workdir: Path) -> None:
    first = mece("--users", "500", "--as-of", AS_OF.isoformat())
    assert first.returncode == 0, first.stdout + first.stderr
    later = (AS_OF + dt.timedelta(days=60)).isoformat()
    result = mece("--no-generate", "--as-of", later)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning: the universe is empty" in result.stdout
    assert_mece(workdir, 0)
    assert read(workdir, "select universe_size from main.segment_thresholds").iloc[0, 0] == 0
    outputs = workdir / "outputs"
    assert json.loads((outputs / "segment_strategy.json").read_text()) == []
    with open(outputs / "segment_strategy.csv") as f:
        assert len(list(csv.reader(f))) == 1  # the header only
    assert pd.read_parquet(outputs / "segment_membership.parquet").empty


def test_universe_below_the_minimum_is_one_flagged_segment(mece: Runner, workdir: Path) -> None:
    result = mece("--users", "60", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    strategy = read(workdir, "select * from main.segment_strategy")
    assert list(strategy["segment_name"]) == ["Other_Bucket"]
    assert strategy["is_undersized"].all()
    assert "is smaller than min_segment_size (500)" in result.stdout
    membership = assert_mece(workdir, int(strategy["size"].iloc[0]))
    assert (membership["segment"] == "Other_Bucket").all()


def test_one_user(mece: Runner, workdir: Path) -> None:
    path = write_users(workdir / "one.csv", 1)
    result = mece("--input", str(path), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    membership = assert_mece(workdir, 1)
    assert list(membership["segment"]) == ["Other_Bucket"]
    # one user is its own median and 80th percentile, so never strictly above them
    assert membership["tier"].iloc[0] == "Low_Value"


def test_all_users_with_the_same_order_value(mece: Runner, workdir: Path) -> None:
    path = write_users(workdir / "flat.csv", 400, avg_order_value=50.0)
    result = mece("--input", str(path), "--as-of", AS_OF.isoformat(),
                  "--min-segment-size", "20", "--max-segment-size", "100")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    thresholds = read(workdir, "select aov_high, aov_medium from main.segment_thresholds")
    assert list(thresholds.iloc[0]) == [50.0, 50.0]
    membership = assert_mece(workdir, 400)
    assert (membership["tier"] == "Low_Value").all()  # nobody is strictly above 50


def test_many_users_exactly_on_the_thresholds(mece: Runner, workdir: Path) -> None:
    n = 600
    rng = np.random.default_rng(1)
    path = write_users(
        workdir / "edges.csv",
        n,
        avg_order_value=rng.choice([20.0, 50.0, 80.0, 120.0], n),
        engagement_score=rng.choice([0.4, 0.7, 0.41, 0.71], n),
        profitability_score=rng.choice([0.7, 0.71], n),
        sessions_last_30d=rng.choice([5, 6, 10, 11], n),
    )
    result = mece("--input", str(path), "--as-of", AS_OF.isoformat(),
                  "--min-segment-size", "10", "--max-segment-size", "80")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    got = assert_mece(workdir, n).set_index("user_id").sort_index()

    users = pd.read_csv(path, parse_dates=["cart_abandoned_date", "last_order_date"])
    settings = Settings(as_of=AS_OF, min_size=10, max_size=80)
    with open(ROOT / "seeds" / "segment_playbook.csv") as f:
        lift = {row["segment_name"]: float(row["expected_lift"]) for row in csv.DictReader(f)}
    members, _ = final_segments(base_segments(universe(users, settings), settings), settings, lift)
    want = members.set_index("user_id").sort_index()
    assert list(got.index) == list(want.index)
    assert (got["base_segment"] == want["base_segment"]).all()
    assert (got["segment"] == want["segment"]).all()
