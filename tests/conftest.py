"""Shared helpers: run the `mece` command in a clean environment against a temp warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent / "python"))

SETTING_VARS = (
    "AS_OF_DATE",
    "UNIVERSE_WINDOW_DAYS",
    "MIN_SEGMENT_SIZE",
    "MAX_SEGMENT_SIZE",
    "AOV_HIGH_PERCENTILE",
    "AOV_MEDIUM_PERCENTILE",
    "ENGAGEMENT_HIGH_THRESHOLD",
    "ENGAGEMENT_MEDIUM_THRESHOLD",
    "PROFITABILITY_HIGH_THRESHOLD",
    "SESSIONS_ACTIVE_THRESHOLD",
    "SESSIONS_MODERATE_THRESHOLD",
    "WEIGHT_CONVERSION_POTENTIAL",
    "WEIGHT_LIFT_VS_CONTROL",
    "WEIGHT_SIZE_SCORE",
    "WEIGHT_PROFITABILITY",
    "WEIGHT_STRATEGIC_FIT",
    "MECE_DUCKDB_PATH",
    "MECE_USERS_DATABASE",
    "MECE_USERS_SCHEMA",
    "MECE_USERS_TABLE",
    "MECE_TARGET",
)

MECE = Path(sys.executable).parent / "mece"

Runner = Callable[..., subprocess.CompletedProcess[str]]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    env.update({"DO_NOT_TRACK": "1", "COLUMNS": "160"}, **extra)
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def make_runner(base: Path) -> Runner:
    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [
            str(MECE),
            "run",
            "--db",
            str(base / "warehouse.duckdb"),
            "--output-dir",
            str(base / "outputs"),
            *args,
        ]
        return subprocess.run(
            command,
            cwd=ROOT,
            env=env or clean_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    return run


@pytest.fixture
def mece(workdir: Path) -> Runner:
    """`mece run` against a warehouse and output folder of this test's own."""
    return make_runner(workdir)
