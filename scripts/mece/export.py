"""Exports of the marts as files, written whole or not at all."""

from __future__ import annotations

import os
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


def write_exports(
    con: duckdb.DuckDBPyConnection, output_dir: Path, schema: str = "main"
) -> list[Path]:
    """Write every export to a temporary name, then rename them all into place.

    If any export fails, the files of the previous run are left untouched.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for file_name, query, options in EXPORTS:
            final = output_dir / file_name
            temporary = output_dir / f".{file_name}.incoming"
            path_literal = str(temporary).replace("'", "''")
            con.execute(f"copy ({query.format(schema=schema)}) to '{path_literal}' ({options})")
            written.append((temporary, final))
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in written:
        os.replace(temporary, final)
    return [final for _, final in written]
