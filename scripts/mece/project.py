"""Where things live and how dbt is called in-process."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult


def project_dir() -> Path:
    """The dbt project: MECE_PROJECT_DIR, else the repo this package was installed from."""
    configured = os.environ.get("MECE_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2]


def default_duckdb_path(root: Path) -> Path:
    """The warehouse file: MECE_DUCKDB_PATH (relative to the project) or data/warehouse.duckdb."""
    return (root / os.environ.get("MECE_DUCKDB_PATH", "data/warehouse.duckdb")).resolve()


@dataclass
class DbtOutcome:
    success: bool
    message: str


class Dbt:
    """Runs dbt commands in this process against the project, sharing one parse."""

    def __init__(self, root: Path, target: str, variables: dict[str, object]) -> None:
        self.root = root
        self.target = target
        self.variables = variables
        self._runner = dbtRunner()

    def _args(self, command: Sequence[str]) -> list[str]:
        args = [
            *command,
            "--project-dir",
            str(self.root),
            "--profiles-dir",
            str(self.root),
            "--target",
            self.target,
        ]
        if self.variables:
            args += ["--vars", json.dumps(self.variables)]
        return args

    def invoke(self, *command: str) -> DbtOutcome:
        result: dbtRunnerResult = self._runner.invoke(self._args(command))
        if command[0] == "parse" and result.success:
            # later commands reuse this manifest instead of parsing again
            self._runner = dbtRunner(manifest=result.result)  # type: ignore[arg-type]
        return DbtOutcome(result.success, _failure_message(result))


def _failure_message(result: dbtRunnerResult) -> str:
    if result.success:
        return ""
    if result.exception is not None:
        return str(result.exception)
    failures: list[str] = []
    run_results = getattr(result.result, "results", None) or []
    for node_result in run_results:
        status = str(getattr(node_result, "status", ""))
        if status in {"error", "fail", "runtime error"}:
            name = getattr(getattr(node_result, "node", None), "name", "?")
            failures.append(f"{name}: {status}: {node_result.message}")
    return "\n".join(failures) or "dbt reported a failure (see its log above)"
