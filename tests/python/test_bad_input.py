"""Bring your own users: bad rows are quarantined with reasons, nothing is lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from conftest import ROOT, Runner

EXAMPLE = ROOT / "tests" / "data" / "example_users.csv"
AS_OF = "2026-06-15"


def tables(base: Path, *queries: str) -> list[pd.DataFrame]:
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    try:
        return [con.sql(query).df() for query in queries]
    finally:
        con.close()


def test_example_file_quarantines_every_bad_row_with_its_reasons(
    mece: Runner, workdir: Path
) -> None:
    result = mece("--input", str(EXAMPLE), "--as-of", AS_OF, "--min-segment-size", "2",
                  "--max-segment-size", "4")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Input rows: 17 = 10 accepted + 7 rejected" in result.stdout
    rejected, membership = tables(
        workdir, "select * from main.rejected_users", "select * from main.segment_membership"
    )
    reasons = dict(
        zip(rejected["user_id"].fillna("<null>"), rejected["rejection_reason"], strict=True)
    )
    assert reasons == {
        "<null>": "user_id is missing",
        "A-012": "cart_abandoned_date is not a timestamp",
        "A-013": "avg_order_value is not a number",
        "A-014": "avg_order_value <= 0",
        "A-015": "sessions_last_30d < 0; engagement_score outside [0, 1]",
        "A-016": "num_cart_items < 1; profitability_score outside [0, 1]",
        "A-003": "duplicate user_id (the latest abandonment is kept)",
    }
    # the original text is kept, and the later abandonment of A-003 is the one segmented
    assert rejected.set_index("user_id").loc["A-013", "avg_order_value"] == "abc"
    assert (
        rejected.set_index("user_id").loc["A-003", "cart_abandoned_date"].startswith("2026-06-11")
    )
    kept = membership.set_index("user_id").loc["A-003", "cart_abandoned_date"]
    assert kept == pd.Timestamp("2026-06-12 07:05:00")
    # accepted but outside the 7-day window: not rejected, not in the universe
    assert "A-009" not in set(membership["user_id"]) | set(reasons)
    assert len(membership) == 9


def test_parquet_with_extra_columns_in_any_order(mece: Runner, workdir: Path) -> None:
    frame = pd.read_csv(EXAMPLE).head(10)
    frame["cart_abandoned_date"] = pd.to_datetime(frame["cart_abandoned_date"])
    frame["last_order_date"] = pd.to_datetime(frame["last_order_date"])
    frame["loyalty_tier"] = "gold"
    frame = frame[list(reversed(frame.columns))]
    path = workdir / "users.parquet"
    frame.to_parquet(path)
    result = mece("--input", str(path), "--as-of", AS_OF, "--min-segment-size", "2",
                  "--max-segment-size", "4")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Input rows: 10 = 10 accepted + 0 rejected" in result.stdout
    (membership,) = tables(workdir, "select user_id from main.segment_membership")
    assert sorted(membership["user_id"]) == sorted(set(frame["user_id"]) - {"A-009"})


def test_missing_column_is_a_clear_error(mece: Runner, workdir: Path) -> None:
    path = workdir / "users.csv"
    pd.read_csv(EXAMPLE).drop(columns=["engagement_score"]).to_csv(path, index=False)
    result = mece("--input", str(path), "--as-of", AS_OF)
    assert result.returncode == 1
    assert "missing required column(s) engagement_score" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_file_is_a_clear_error(mece: Runner, workdir: Path) -> None:
    result = mece("--input", str(workdir / "nope.csv"), "--as-of", AS_OF)
    assert result.returncode == 1
    assert "nope.csv: no such file" in result.stdout


def test_every_input_row_is_accepted_or_rejected(mece: Runner, workdir: Path) -> None:
    rows = pd.read_csv(EXAMPLE, dtype=str)
    noisy = pd.concat([rows] * 3, ignore_index=True)  # every id three times
    path = workdir / "noisy.csv"
    noisy.to_csv(path, index=False)
    result = mece("--input", str(path), "--as-of", AS_OF, "--min-segment-size", "2",
                  "--max-segment-size", "4")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (counts,) = tables(
        workdir,
        "select (select count(*) from raw.users) as input_rows,"
        " (select count(*) from main_intermediate.int_users_checked where is_accepted) as accepted,"
        " (select count(*) from main.rejected_users) as rejected",
    )
    row = counts.iloc[0]
    assert row["input_rows"] == 51 == row["accepted"] + row["rejected"]
    assert row["accepted"] == 10  # one copy of each valid user survives
    assert f"Input rows: 51 = {row['accepted']} accepted + {row['rejected']} rejected" in (
        result.stdout
    )


def test_dates_are_compared_on_days_not_hours(mece: Runner, workdir: Path) -> None:
    as_of = dt.date(2026, 6, 15)
    frame = pd.DataFrame(
        {
            "user_id": ["edge_early", "edge_late", "outside", "future"],
            "cart_abandoned_date": ["2026-06-08 00:00:00", "2026-06-15 23:59:59",
                                    "2026-06-07 23:59:59", "2026-06-16 00:00:00"],
            "last_order_date": [None] * 4,
            "avg_order_value": [10.0, 20.0, 30.0, 40.0],
            "sessions_last_30d": [1, 2, 3, 4],
            "num_cart_items": [1, 1, 1, 1],
            "engagement_score": [0.1, 0.2, 0.3, 0.4],
            "profitability_score": [0.1, 0.2, 0.3, 0.4],
        }
    )  # fmt: skip
    path = workdir / "edges.csv"
    frame.to_csv(path, index=False)
    result = mece("--input", str(path), "--as-of", as_of.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    (membership,) = tables(
        workdir,
        "select user_id, days_since_abandonment, recency_score from main.segment_membership",
    )
    got = membership.set_index("user_id").sort_index()
    assert list(got.index) == ["edge_early", "edge_late"]
    assert list(got["days_since_abandonment"]) == [7, 0]
    assert list(got["recency_score"]) == [0.0, 1.0]
