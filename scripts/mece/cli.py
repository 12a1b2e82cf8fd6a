"""`mece run`: users -> DuckDB -> dbt build -> exports -> a summary table."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# No run may call the network: dbt's anonymous usage stats stay off.
os.environ.setdefault("DO_NOT_TRACK", "1")

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from mece import summary
from mece.engines import open_engine, write_engine_exports
from mece.export import write_exports
from mece.generate import write_users
from mece.load import InputError, load_users
from mece.project import Dbt, default_duckdb_path, project_dir
from mece.warehouse import WarehouseError, connect

# wide enough for the summary table when output goes to a file or a CI log
console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)


class RunError(Exception):
    """A failure with a message for people; the command exits non-zero without a traceback."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mece",
        description="MECE segmentation of recent cart abandoners with dbt and DuckDB.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="generate users, run `dbt build` with its tests, write exports, print a summary",
    )
    run.add_argument("--users", type=int, default=30_000, help="synthetic users to generate")
    run.add_argument("--seed", type=int, default=42, help="random seed of the generator")
    run.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="as-of date YYYY-MM-DD (default: AS_OF_DATE or today)",
    )
    source = run.add_mutually_exclusive_group()
    source.add_argument(
        "--no-generate", action="store_true", help="reuse the users already in raw.users"
    )
    source.add_argument(
        "--input",
        type=Path,
        default=None,
        help="load your own users from a CSV or Parquet file instead of generating",
    )
    run.add_argument("--min-segment-size", type=int, default=None)
    run.add_argument("--max-segment-size", type=int, default=None)
    run.add_argument(
        "--target",
        choices=["dev", "postgres", "spark"],
        default=os.environ.get("MECE_TARGET", "dev"),
        help="dbt target: dev = the DuckDB file (default), postgres (PG* variables), spark",
    )
    run.add_argument(
        "--db", type=Path, default=None, help="DuckDB file (default: data/warehouse.duckdb)"
    )
    run.add_argument(
        "--output-dir", type=Path, default=None, help="where exports go (default: outputs/)"
    )
    commands.add_parser(
        "bench",
        add_help=False,
        help="benchmark against a one-query floor and pandas (see `mece bench --help`)",
    )
    return parser


def _as_of(args: argparse.Namespace) -> dt.date:
    if args.as_of is not None:
        return args.as_of
    configured = os.environ.get("AS_OF_DATE", "").strip()
    if configured:
        try:
            return dt.date.fromisoformat(configured)
        except ValueError:
            raise RunError(
                f"Invalid setting as_of_date (env AS_OF_DATE) = {configured!r}: "
                "must be a real calendar date written YYYY-MM-DD"
            ) from None
    return dt.datetime.now(dt.timezone.utc).date()


def _generate(con: duckdb.DuckDBPyConnection, n_users: int, seed: int, as_of: dt.date) -> None:
    started = time.perf_counter()
    with (
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=n_users < 1_000_000,
        ) as progress,
    ):
        task = progress.add_task("Generating users", total=n_users)
        write_users(con, n_users, seed, as_of, progress=lambda done: progress.advance(task, done))
    console.print(
        f"Generated {n_users:,} users (seed {seed}, as of {as_of}) into raw.users "
        f"in {time.perf_counter() - started:.1f}s"
    )


def _stage_users(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, as_of: dt.date) -> bool:
    """Generate or load the users into `con`'s raw.users; False with --no-generate."""
    if args.input is not None:
        loaded = load_users(con, args.input.resolve())
        console.print(f"Loaded {loaded:,} rows from {args.input} into raw.users")
        return True
    if args.no_generate:
        return False
    if args.users < 0:
        raise RunError(f"--users must be >= 0, got {args.users}")
    _generate(con, args.users, args.seed, as_of)
    return True


def _build(dbt: Dbt) -> None:
    started = time.perf_counter()
    built = dbt.invoke("build")
    if not built.success:
        raise RunError(
            f"dbt build failed; tables and exports of the last good run are kept.\n{built.message}"
        )
    console.print(f"dbt build (models and tests) finished in {time.perf_counter() - started:.1f}s")


def _report(files: list[Path], started: float) -> None:
    console.print(
        f"Exports written in {time.perf_counter() - started:.1f}s: "
        + ", ".join(str(path) for path in files)
    )


def run(args: argparse.Namespace) -> None:
    root = project_dir()
    db_path = (args.db or default_duckdb_path(root)).resolve()
    os.environ["MECE_DUCKDB_PATH"] = str(db_path)
    output_dir = (args.output_dir or root / "outputs").resolve()
    as_of = _as_of(args)
    variables: dict[str, object] = {"as_of_date": as_of.isoformat()}
    if args.min_segment_size is not None:
        variables["min_segment_size"] = args.min_segment_size
    if args.max_segment_size is not None:
        variables["max_segment_size"] = args.max_segment_size

    dbt = Dbt(root, args.target, variables)
    # Parsing renders every model, and so validates every setting, before any data changes.
    parsed = dbt.invoke("parse")
    if not parsed.success:
        raise RunError(parsed.message)

    if args.target != "dev":
        _run_on_engine(args, dbt, as_of, output_dir)
        return

    con = connect(db_path)
    try:
        _stage_users(con, args, as_of)
    finally:
        con.close()
    connect(db_path).close()  # fail fast if another process took the file meanwhile
    _build(dbt)

    started = time.perf_counter()
    con = connect(db_path)
    try:
        with console.status("Writing exports"):
            files = write_exports(con, output_dir)
        _report(files, started)
        summary.print_summary(lambda sql: con.execute(sql).fetchall(), console)
    finally:
        con.close()


def _run_on_engine(args: argparse.Namespace, dbt: Dbt, as_of: dt.date, output_dir: Path) -> None:
    """PostgreSQL or Spark: users staged in an in-memory DuckDB, then the same dbt build."""
    engine = open_engine(args.target)
    try:
        staging = duckdb.connect()
        if _stage_users(staging, args, as_of):
            loaded = engine.replace_users(staging)
            console.print(f"Copied {loaded:,} users into raw.users on {engine.name}")
        staging.close()
        _build(dbt)
        started = time.perf_counter()
        files = write_engine_exports(engine, output_dir)
        _report(files, started)
        summary.print_summary(engine.fetch, console)
    finally:
        engine.close()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        from mece import bench

        return bench.main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            run(args)
    except (RunError, WarehouseError, InputError) as error:
        console.print(f"[bold red]mece: error:[/] {error}")
        return 1
    except KeyboardInterrupt:
        console.print("[bold red]mece: interrupted[/]")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
