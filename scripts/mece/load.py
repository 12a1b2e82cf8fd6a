"""Bring your own users: a CSV or Parquet file into raw.users, as given."""

from __future__ import annotations

from pathlib import Path

import duckdb

from mece.warehouse import swap_in

REQUIRED_COLUMNS = (
    "user_id",
    "cart_abandoned_date",
    "last_order_date",
    "avg_order_value",
    "sessions_last_30d",
    "num_cart_items",
    "engagement_score",
    "profitability_score",
)


class InputError(Exception):
    """The input file cannot be loaded; the message names the file and the problem."""


def _reader(path: Path) -> str:
    literal = str(path).replace("'", "''")
    suffix = "".join(path.suffixes[-2:]).lower()
    if suffix.endswith(".parquet"):
        return f"read_parquet('{literal}')"
    if suffix.endswith((".csv", ".csv.gz", ".tsv")):
        # every column as text: bad values reach the quarantine with a reason
        # instead of failing the load
        return f"read_csv('{literal}', header = true, all_varchar = true)"
    raise InputError(f"{path}: use a .csv, .csv.gz or .parquet file")


def load_users(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw.users") -> int:
    """Replace `table` by the rows of `path`; returns the number of rows loaded.

    Extra columns are kept, column order is free, names match case-insensitively.
    Values are not checked here: the dbt models quarantine the rows that break
    the contract, so that rows in = rows accepted + rows rejected.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    reader = _reader(path)
    try:
        columns = [
            row[0].lower() for row in con.execute(f"describe select * from {reader}").fetchall()
        ]
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot be read: {error}") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise InputError(
            f"{path}: missing required column(s) {', '.join(missing)}; "
            f"the input needs {', '.join(REQUIRED_COLUMNS)}"
        )
    schema, name = table.split(".")
    incoming = f"{schema}.{name}__incoming"
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"create or replace table {incoming} as select * from {reader}")
    swap_in(con, incoming, table)
    (count,) = con.execute(f"select count(*) from {table}").fetchone() or (0,)
    return int(count)
