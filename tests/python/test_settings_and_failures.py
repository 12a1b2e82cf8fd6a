"""Wrong settings, a failing build and a busy warehouse: clear messages, nothing changed."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, clean_env, make_runner

AS_OF = "2026-06-15"
GOOD = ("--users", "2000", "--seed", "3", "--as-of", AS_OF,
        "--min-segment-size", "50", "--max-segment-size", "400")  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("good")
    result = make_runner(base)(*GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    return base


def fingerprint(base: Path) -> dict[str, str]:
    """What a user sees: the published tables and the exported files."""
    seen = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((base / "outputs").iterdir())
    }
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    for table in ("segment_membership", "segment_strategy", "segment_thresholds", "rejected_users"):
        rows = con.execute(f"select * from main.{table} order by all").fetchall()
        seen[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    con.close()
    return seen


BAD_SETTINGS = [
    ({"MIN_SEGMENT_SIZE": "0"}, (), "min_segment_size", "'0': must be a whole number >= 1"),
    ({}, ("--min-segment-size", "300", "--max-segment-size", "500"), "max_segment_size",
     "'500': must be >= 2 * min_segment_size = 600"),
    ({"ENGAGEMENT_HIGH_THRESHOLD": "0.7; drop table users"}, (), "engagement_high_threshold",
     "'0.7; drop table users': must be a number"),
    ({"AOV_HIGH_PERCENTILE": "100"}, (), "aov_high_percentile",
     "must be a percentile strictly between 0 and 100"),
    ({"AOV_MEDIUM_PERCENTILE": "85"}, (), "aov_medium_percentile",
     "must be strictly between 0 and aov_high_percentile = 80.0"),
    ({"ENGAGEMENT_MEDIUM_THRESHOLD": "0.8"}, (), "engagement_medium_threshold",
     "must be >= 0 and below engagement_high_threshold = 0.7"),
    ({"PROFITABILITY_HIGH_THRESHOLD": "1.5"}, (), "profitability_high_threshold",
     "must be between 0 and 1"),
    ({"UNIVERSE_WINDOW_DAYS": "0"}, (), "universe_window_days",
     "must be a whole number of days >= 1"),
    ({"WEIGHT_SIZE_SCORE": "0.5"}, (), "weight_*", "the five score weights must sum to 1"),
    ({"AS_OF_DATE": "2026-02-30"}, ("--no-generate",), "as_of_date",
     "must be a real calendar date written YYYY-MM-DD"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("env", "flags", "name", "rule"), BAD_SETTINGS, ids=[case[2] for case in BAD_SETTINGS]
)
def test_bad_setting_stops_the_run_and_changes_nothing(
    base: Path, env: dict[str, str], flags: tuple[str, ...], name: str, rule: str
) -> None:
    before = fingerprint(base)
    as_of = () if "AS_OF_DATE" in env else ("--as-of", AS_OF)
    result = make_runner(base)(*flags, *as_of, "--users", "100", env=clean_env(**env))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"Invalid setting {name}" in output and rule in output, output
    assert "Traceback" not in output
    assert fingerprint(base) == before


def test_plain_dbt_build_validates_settings_too(base: Path) -> None:
    env = clean_env(MECE_DUCKDB_PATH=str(base / "warehouse.duckdb"), MIN_SEGMENT_SIZE="-5")
    before = fingerprint(base)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--vars", f"{{as_of_date: {AS_OF}}}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Invalid setting min_segment_size (env MIN_SEGMENT_SIZE) = '-5'" in result.stdout
    assert fingerprint(base) == before


def test_failed_build_keeps_the_last_good_tables_and_files(base: Path, tmp_path: Path) -> None:
    """A playbook that forgets a segment makes lift_vs_control null: tests fail after
    the marts were rebuilt in main_audit, and nothing published changes."""
    project = tmp_path / "project"
    for name in ("models", "macros", "seeds", "analyses"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(ROOT / "tests" / "generic", project / "tests" / "generic")
    shutil.copytree(ROOT / "tests" / "singular", project / "tests" / "singular")
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, project / name)
    playbook = project / "seeds" / "segment_playbook.csv"
    lines = playbook.read_text().splitlines()
    playbook.write_text("\n".join(line for line in lines if not line.startswith("Low_Value_Other")))

    before = fingerprint(base)
    result = make_runner(base)(
        "--no-generate", "--as-of", AS_OF, "--min-segment-size", "50", "--max-segment-size", "400",
        env=clean_env(MECE_PROJECT_DIR=str(project)),
    )  # fmt: skip
    assert result.returncode == 1
    assert "dbt build failed; tables and exports of the last good run are kept" in result.stdout
    assert "lift_vs_control" in result.stdout
    assert fingerprint(base) == before
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    audited = con.execute(
        "select count(*) from main_audit.segment_strategy where lift_vs_control is null"
    ).fetchone()
    con.close()
    assert audited is not None and audited[0] > 0  # the failure was real, after the marts ran


@contextmanager
def lock_held(db: Path, read_only: bool) -> Iterator[None]:
    """Another process (a BI tool, say) holding the DuckDB file open."""
    code = (
        f"import duckdb, time; c = duckdb.connect({str(db)!r}, read_only={read_only}); "
        "print('ready', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_busy_warehouse_is_a_clear_message(base: Path) -> None:
    db = base / "warehouse.duckdb"
    with lock_held(db, read_only=False):
        before = time.monotonic()
        result = make_runner(base)("--no-generate", "--as-of", AS_OF)
        elapsed = time.monotonic() - before
    assert result.returncode == 1
    assert f"The warehouse file {db} is in use by another process" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert elapsed < 60  # it gives up at once instead of waiting for the lock


def test_generation_also_stops_on_a_busy_warehouse(base: Path) -> None:
    before = fingerprint(base)
    with lock_held(base / "warehouse.duckdb", read_only=True):
        result = make_runner(base)(*GOOD)
    assert result.returncode == 1
    assert "is in use by another process" in result.stdout
    assert fingerprint(base) == before
