"""The same models on PostgreSQL and Spark give every user the same segments as DuckDB.

Real engines: a throw-away PostgreSQL cluster on 127.0.0.1 and a local Spark
session. `.ci/run` installs both (MECE_REQUIRE_ENGINES=1 makes a missing
engine a failure there; elsewhere the tests are skipped without one).
"""

from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from conftest import MECE, ROOT, clean_env

pytestmark = pytest.mark.engines

AS_OF = dt.date(2026, 6, 15).isoformat()
USERS = "20000"
SEED = "5"
REQUIRED = os.environ.get("MECE_REQUIRE_ENGINES") == "1"


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (MECE_REQUIRE_ENGINES=1)")
    pytest.skip(reason)


def run_mece(out: Path, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MECE), "run", "--users", USERS, "--seed", SEED, "--as-of", AS_OF,
         "--output-dir", str(out), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip


def results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    membership = pd.read_parquet(out / "segment_membership.parquet")
    membership = membership[["user_id", "tier", "base_segment", "segment"]]
    strategy = pd.read_csv(out / "segment_strategy.csv")
    return (
        membership.sort_values("user_id").reset_index(drop=True),
        strategy.sort_values("segment_name").reset_index(drop=True),
    )


def assert_same_as_duckdb(out: Path, reference: Path) -> None:
    got_members, got_strategy = results(out)
    want_members, want_strategy = results(reference)
    pd.testing.assert_frame_equal(got_members, want_members)
    assert list(got_strategy["segment_name"]) == list(want_strategy["segment_name"])
    assert list(got_strategy["size"]) == list(want_strategy["size"])
    assert list(got_strategy["valid"]) == list(want_strategy["valid"])
    assert list(got_strategy["rank"]) == list(want_strategy["rank"])
    assert list(got_strategy["rules_applied"]) == list(want_strategy["rules_applied"])
    for column in ("conversion_potential", "lift_vs_control", "size_score", "profitability",
                   "strategic_fit", "overall_score", "avg_aov"):  # fmt: skip
        assert (got_strategy[column] - want_strategy[column]).abs().max() < 1e-9, column


@pytest.fixture(scope="module")
def duckdb_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("duckdb")
    result = run_mece(base / "out", "--db", str(base / "warehouse.duckdb"), env=clean_env())
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "out"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, str]]:
    if importlib.util.find_spec("psycopg2") is None:
        unavailable('the postgres extra is not installed: pip install -e ".[postgres]"')
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
    if not found[-1]:
        unavailable("no PostgreSQL server binaries (Debian package postgresql)")
    bindir = Path(found[-1]).parent
    # not under pytest's temp folder: the server's user must be able to reach it
    base = Path(tempfile.mkdtemp(prefix="mece-postgres-"))
    data, port = base / "data", _free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(base, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]

    def pg(*command: str) -> None:
        done = subprocess.run(
            [*as_postgres, *command], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"

    pg(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "start",
       "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off")  # fmt: skip
    try:
        pg(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "mece")
        yield {"PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": "postgres",
               "PGPASSWORD": "", "PGDATABASE": "mece"}  # fmt: skip
    finally:
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_postgres_gives_every_user_the_same_segments(
    duckdb_reference: Path, postgres: dict[str, str], tmp_path: Path
) -> None:
    result = run_mece(tmp_path / "out", "--target", "postgres", env=clean_env(**postgres))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Copied 20,000 users into raw.users on postgres" in result.stdout
    assert_same_as_duckdb(tmp_path / "out", duckdb_reference)


def test_spark_gives_every_user_the_same_segments(duckdb_reference: Path, tmp_path: Path) -> None:
    if (
        importlib.util.find_spec("pyspark") is None
        or importlib.util.find_spec("dbt.adapters.spark") is None
    ):
        unavailable('the spark extra is not installed: pip install -e ".[spark]"')
    if shutil.which("java") is None:
        unavailable("no Java runtime for Spark")
    leftovers = ("metastore_db", "spark-warehouse", "derby.log")
    before = {name for name in leftovers if (ROOT / name).exists()}
    env = clean_env(MECE_SPARK_DIR=str(tmp_path / "spark"))
    result = run_mece(tmp_path / "out", "--target", "spark", env=env)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    assert_same_as_duckdb(tmp_path / "out", duckdb_reference)
    assert {name for name in leftovers if (ROOT / name).exists()} == before
