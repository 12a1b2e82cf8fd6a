"""The whole run on small data: `mece run` then an independent check of every user and score."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import ROOT, make_runner
from mece.pandas_reference import Settings, base_segments, final_segments, universe

SEED_COLUMNS = [
    "segment_name",
    "rules_applied",
    "size",
    "conversion_potential",
    "lift_vs_control",
    "size_score",
    "profitability",
    "strategic_fit",
    "overall_score",
    "valid",
    "avg_aov",
    "avg_engagement",
    "avg_sessions",
]
AS_OF = dt.date(2026, 6, 15)

# (min, max): the seed's demo, and bounds tight enough to merge and split.
CONFIGS = {"demo": (100, 5_000), "tight": (400, 900)}


class Run:
    def __init__(self, base: Path, result: subprocess.CompletedProcess[str], settings: Settings):
        self.base, self.result, self.settings = base, result, settings
        self.outputs = base / "outputs"
        con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
        self.users = con.sql("select * from raw.users").df()
        self.membership = con.sql("select * from main.segment_membership").df()
        self.strategy = con.sql("select * from main.segment_strategy order by rank").df()
        self.thresholds = con.sql("select * from main.segment_thresholds").df()
        con.close()


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    low, high = CONFIGS[request.param]
    base = tmp_path_factory.mktemp(request.param)
    result = make_runner(base)(
        "--users", "5000", "--seed", "11", "--as-of", AS_OF.isoformat(),
        "--min-segment-size", str(low), "--max-segment-size", str(high),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return Run(base, result, Settings(as_of=AS_OF, min_size=low, max_size=high))


@pytest.fixture(scope="module")
def lift() -> dict[str, float]:
    with open(ROOT / "seeds" / "segment_playbook.csv") as f:
        return {row["segment_name"]: float(row["expected_lift"]) for row in csv.DictReader(f)}


def test_run_prints_the_summary_and_writes_three_exports(run: Run) -> None:
    out = run.result.stdout
    assert "Segments of" in out and "overall" in out
    for name in run.strategy["segment_name"]:
        assert name in out
    assert {p.name for p in run.outputs.iterdir()} == {
        "segment_strategy.csv",
        "segment_strategy.json",
        "segment_membership.parquet",
    }


def test_exports_match_the_tables_in_rank_order(run: Run) -> None:
    exported = pd.read_csv(run.outputs / "segment_strategy.csv")
    assert list(exported.columns[:13]) == SEED_COLUMNS
    assert list(exported["rank"]) == list(range(1, len(exported) + 1))
    assert list(exported["segment_name"]) == list(run.strategy["segment_name"])
    records = json.loads((run.outputs / "segment_strategy.json").read_text())
    assert isinstance(records, list) and list(records[0])[:13] == SEED_COLUMNS
    assert [r["segment_name"] for r in records] == list(run.strategy["segment_name"])
    parquet = pd.read_parquet(run.outputs / "segment_membership.parquet")
    assert len(parquet) == len(run.membership)
    rank_of = dict(zip(run.strategy["segment_name"], run.strategy["rank"], strict=True))
    assert parquet["segment"].map(rank_of).is_monotonic_increasing


def test_every_user_matches_an_independent_recomputation(run: Run, lift: dict[str, float]) -> None:
    expected_universe = universe(run.users, run.settings)
    segmented = base_segments(expected_universe, run.settings)
    members, strategy = final_segments(segmented, run.settings, lift)

    thresholds = run.thresholds.iloc[0]
    assert thresholds["aov_high"] == pytest.approx(segmented.attrs["aov_high"], abs=1e-9)
    assert thresholds["aov_medium"] == pytest.approx(segmented.attrs["aov_medium"], abs=1e-9)
    assert thresholds["universe_size"] == len(expected_universe)

    assert run.membership["user_id"].is_unique
    got = run.membership.set_index("user_id").sort_index()
    want = members.set_index("user_id").sort_index()
    assert list(got.index) == list(want.index)  # same users: exhaustive and exclusive
    for column in ("tier", "base_segment", "segment", "days_since_abandonment"):
        mismatched = got[column] != want[column]
        assert not mismatched.any(), got.loc[mismatched, [column]].join(
            want[[column]], rsuffix="_want"
        )
    assert (got["recency_score"] - want["recency_score"]).abs().max() < 1e-12

    got_s = run.strategy.set_index("segment_name").sort_index()
    want_s = strategy.set_index("segment_name").sort_index()
    assert list(got_s.index) == list(want_s.index)
    assert list(got_s["size"]) == list(want_s["size"])
    assert list(got_s["valid"]) == list(want_s["valid"])
    assert list(got_s["rank"]) == list(want_s["rank"])
    for column in (
        "conversion_potential", "lift_vs_control", "size_score", "profitability",
        "strategic_fit", "overall_score", "avg_aov", "avg_engagement", "avg_sessions",
    ):  # fmt: skip
        assert (got_s[column] - want_s[column]).abs().max() < 1e-9, column


def test_size_rules_hold(run: Run) -> None:
    sizes = run.membership["segment"].value_counts()
    assert sizes.min() >= run.settings.min_size
    assert sizes.max() <= run.settings.max_size
    assert sizes.sum() == run.thresholds.iloc[0]["universe_size"]
    kept = run.strategy[run.strategy["valid"] == "Yes"]
    for name, size in zip(kept["segment_name"], kept["size"], strict=True):
        members = run.membership[run.membership["segment"] == name]
        assert (members["base_segment"] == name).all() and len(members) == size


@pytest.mark.parametrize("run", ["tight"], indirect=True)
def test_tight_bounds_exercise_merges_and_splits(run: Run) -> None:
    assert {"Merged", "Split"} <= set(run.strategy["valid"])


def test_rules_name_the_thresholds_used(run: Run) -> None:
    aov_high = run.thresholds.iloc[0]["aov_high"]
    premium = run.strategy[run.strategy["tier"] == "Premium"]
    assert not premium.empty
    for rule in premium["rules_applied"]:
        assert f"AOV > {aov_high:.2f} (p80)" in rule


def test_published_marts_survive_a_renamed_file(run: Run, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.duckdb"
    copy.write_bytes((run.base / "warehouse.duckdb").read_bytes())
    con = duckdb.connect(str(copy), read_only=True)
    (count,) = con.execute("select count(*) from main.segment_membership").fetchone() or (0,)
    con.close()
    assert count == len(run.membership)


def test_no_generate_reuses_the_users(run: Run) -> None:
    again = make_runner(run.base)(
        "--no-generate", "--users", "10", "--as-of", AS_OF.isoformat(),
        "--min-segment-size", str(run.settings.min_size),
        "--max-segment-size", str(run.settings.max_size),
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Generated" not in again.stdout
    con = duckdb.connect(str(run.base / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw.users").fetchone() == (5000,)
    con.close()
