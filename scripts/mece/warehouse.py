"""Opening the DuckDB file and replacing a table in one step."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

# The same memory limit as the dbt profile: DuckDB spills to disk beyond it.
MEMORY_LIMIT_ENV = "MECE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "2GB"


class WarehouseError(Exception):
    """The warehouse file cannot be used; the message says what to do."""


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, failing at once with advice when another process holds it."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseError(
                f"The warehouse file {path} is in use by another process (a BI tool, a "
                "DuckDB shell or another `mece run`). Close that connection or make it "
                "read-only after the run, then run again."
            ) from None
        raise WarehouseError(f"Cannot open the warehouse file {path}: {error}") from None
    try:
        limit = os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT)
        con.execute("set memory_limit = ?", [limit])
        con.execute("set preserve_insertion_order = false")
        con.execute("set enable_progress_bar = false")
    except duckdb.Error as error:
        con.close()
        raise WarehouseError(f"Invalid {MEMORY_LIMIT_ENV}: {error}") from None
    return con


def swap_in(con: duckdb.DuckDBPyConnection, incoming: str, table: str) -> None:
    """Replace `table` by the fully written `incoming` table (same schema) in one transaction."""
    schema, name = table.split(".")
    con.execute("begin transaction")
    try:
        con.execute(f"drop table if exists {schema}.{name}")
        con.execute(f"alter table {incoming} rename to {name}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
