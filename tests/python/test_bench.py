"""`mece bench` runs end to end at a tiny size, so it never rots (no time is asserted)."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from conftest import MECE, ROOT, clean_env


def test_bench_runs_every_step_and_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [str(MECE), "bench", "--users", "3000", "--end-to-end-only", "2000", "--out", str(out)],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out / "benchmark.csv") as f:
        rows = list(csv.DictReader(f))
    assert [row["users"] for row in rows] == ["3,000", "2,000"]
    full, e2e_only = rows
    for key in ("end_to_end_s", "generate_s", "dbt_models_s", "dbt_tests_s", "exports_s",
                "floor_s", "pandas_rowwise_s", "pandas_vectorised_s"):  # fmt: skip
        assert float(full[key]) > 0, key
    assert float(full["end_to_end_peak_mib"]) > 0
    assert full["floor_same_segments"] == "yes"  # the floor computes the same segments
    assert float(e2e_only["end_to_end_s"]) > 0 and e2e_only["dbt_models_s"] == ""
    assert (out / "benchmark.md").read_text().startswith("| users |")
