"""Exports of the marts as files, written whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb

STRATEGY_SQL = "select * from {schema}.segment_strategy order by rank"
# Members ordered by their segment's rank, then user_id, so that a file is the
# same bytes for the same run.
MEMBERSHIP_SQL = """
select membership.*
from {schema}.segment_membership as membership
inner join {schema}.segment_strategy as strategy
    on membership.segment = strategy.segment_name
order by strategy.rank, membership.user_id
"""

EXPORTS = (
    ("segment_strategy.csv", STRATEGY_SQL, "format csv, header true"),
    ("segment_strategy.json", STRATEGY_SQL, "format json, array true"),
    ("segment_membership.parquet", MEMBERSHIP_SQL, "format parquet, compression zstd"),
)


def replace_files(output_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write each file under a temporary name, then rename them all into place.

    If any writer fails, the files of the previous run are left untouched.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for file_name, write in writers.items():
            temporary = output_dir / f".{file_name}.incoming"
            write(temporary)
            written.append((temporary, output_dir / file_name))
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in written:
        os.replace(temporary, final)
    return [final for _, final in written]


def write_exports(
    con: duckdb.DuckDBPyConnection, output_dir: Path, schema: str = "main"
) -> list[Path]:
    """The three exports, straight from DuckDB with COPY."""

    def copy(query: str, options: str) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            literal = str(path).replace("'", "''")
            con.execute(f"copy ({query.format(schema=schema)}) to '{literal}' ({options})")

        return write

    return replace_files(
        output_dir, {name: copy(query, options) for name, query, options in EXPORTS}
    )
