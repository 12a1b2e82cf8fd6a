"""The warehouses `mece run --target` can load users into and read results from.

DuckDB is the embedded default (see warehouse.py). PostgreSQL and Spark get
the users from a local DuckDB staging copy, so that generation and `--input`
work the same on every engine, then run the very same dbt project.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from mece.export import MEMBERSHIP_SQL, STRATEGY_SQL, replace_files
from mece.warehouse import WarehouseError

# DuckDB column types -> PostgreSQL column types for raw.users
_POSTGRES_TYPES = {
    "VARCHAR": "text",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


class Engine(Protocol):
    name: str

    def replace_users(self, staging: duckdb.DuckDBPyConnection) -> int:
        """Replace raw.users by the staging copy's raw.users, in one step."""

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...

    def arrow(self, sql: str) -> pa.Table: ...

    def close(self) -> None: ...


class PostgresEngine:
    """PostgreSQL through psycopg2, located by the standard PG* variables."""

    name = "postgres"

    def __init__(self) -> None:
        try:
            import psycopg2
        except ImportError:
            raise WarehouseError(
                'The postgres target needs its extra: pip install -e ".[postgres]"'
            ) from None
        try:
            self.con = psycopg2.connect(
                host=os.environ.get("PGHOST", "localhost"),
                port=int(os.environ.get("PGPORT", "5432")),
                user=os.environ.get("PGUSER", "postgres"),
                password=os.environ.get("PGPASSWORD", ""),
                dbname=os.environ.get("PGDATABASE", "postgres"),
                connect_timeout=10,
            )
        except psycopg2.Error as error:
            raise WarehouseError(f"Cannot connect to PostgreSQL: {error}".strip()) from None

    def replace_users(self, staging: duckdb.DuckDBPyConnection) -> int:
        columns = staging.execute("describe raw.users").fetchall()
        definition = ", ".join(
            f'"{name}" {_POSTGRES_TYPES.get(str(kind).upper(), "text")}'
            for name, kind, *_ in columns
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "users.csv"
            staging.execute(f"copy raw.users to '{path}' (format csv, header true)")
            with self.con, self.con.cursor() as cursor, open(path) as data:
                cursor.execute("create schema if not exists raw")
                cursor.execute("drop table if exists raw.users__incoming")
                cursor.execute(f"create table raw.users__incoming ({definition})")
                cursor.copy_expert(
                    "copy raw.users__incoming from stdin with (format csv, header true)", data
                )
                cursor.execute("drop table if exists raw.users")
                cursor.execute("alter table raw.users__incoming rename to users")
                cursor.execute("select count(*) from raw.users")
                (count,) = cursor.fetchone()
        return int(count)

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        with self.con, self.con.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def arrow(self, sql: str) -> pa.Table:
        with self.con, self.con.cursor() as cursor:
            cursor.execute(sql)
            names = [column.name for column in cursor.description]
            rows = cursor.fetchall()
        return pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])

    def close(self) -> None:
        self.con.close()


def spark_session() -> Any:
    """The local Spark session dbt-spark's `session` method will share (same process).

    Its warehouse and metastore go under MECE_SPARK_DIR (default data/spark),
    never into the current folder.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WarehouseError(
            'The spark target needs its extra: pip install -e ".[spark]"'
        ) from None
    home = Path(os.environ.get("MECE_SPARK_DIR", "data/spark")).resolve()
    home.mkdir(parents=True, exist_ok=True)
    return (
        SparkSession.builder.master("local[2]")
        .appName("mece")
        .config("spark.sql.warehouse.dir", str(home / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={home}")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .enableHiveSupport()
        .getOrCreate()
    )


class SparkEngine:
    name = "spark"

    def __init__(self) -> None:
        self.spark = spark_session()

    def replace_users(self, staging: duckdb.DuckDBPyConnection) -> int:
        users = staging.sql("select * from raw.users").to_arrow_table()
        if users.num_rows == 0:
            raise WarehouseError("The spark target needs at least one input row")
        self.spark.sql("create database if not exists raw")
        self.spark.sql("drop table if exists raw.users__incoming")
        data = self.spark.createDataFrame(users)  # a pyarrow table: Spark >= 4.0
        data.write.mode("overwrite").saveAsTable("raw.users__incoming")
        self.spark.sql("drop table if exists raw.users")
        self.spark.sql("alter table raw.users__incoming rename to raw.users")
        return int(self.spark.table("raw.users").count())

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def arrow(self, sql: str) -> pa.Table:
        return self.spark.sql(sql).toArrow()  # Spark >= 4.0

    def close(self) -> None:
        """The session stays up for dbt in this process; the JVM ends with it."""


def open_engine(target: str) -> Engine:
    if target == "postgres":
        return PostgresEngine()
    if target == "spark":
        return SparkEngine()
    raise WarehouseError(f"Unknown target {target!r}: use dev (DuckDB), postgres or spark")


def write_engine_exports(engine: Engine, output_dir: Path) -> list[Path]:
    """The same three files as the DuckDB exports, written whole or not at all."""
    strategy = engine.arrow(STRATEGY_SQL.format(schema="main"))
    membership = engine.arrow(MEMBERSHIP_SQL.format(schema="main"))
    return replace_files(
        output_dir,
        {
            "segment_strategy.csv": lambda path: path.write_text(_csv(strategy)),
            "segment_strategy.json": lambda path: path.write_text(
                json.dumps(strategy.to_pylist(), default=str, indent=1)
            ),
            "segment_membership.parquet": lambda path: pq.write_table(
                membership, path, compression="zstd"
            ),
        },
    )


def _csv(table: pa.Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow(["" if value is None else value for value in row.values()])
    return out.getvalue()
