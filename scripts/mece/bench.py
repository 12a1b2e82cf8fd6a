"""`mece bench`: how fast and how lean the SQL-first pipeline is, against a floor and pandas.

For each number of users it measures, each step in a process of its own so
that its peak resident memory is its own:

- `mece run` end to end (generation, `dbt build` with every test, exports);
- the same steps one by one: generation, the dbt models (seeds and models),
  the dbt tests (data and unit tests), the exports;
- the floor: one hand-written DuckDB query computing the same segmentation
  from the same raw.users (bad rows and older duplicates left out, as the
  models do), checked to give every user the same segment (timed in-process:
  the query alone);
- two pandas baselines on the same data, timed in-process from reading
  raw.users to the final segments and scores: the seed's style (the decision
  tree with a row-wise `apply`) and a vectorised one (numpy `select`).

The dbt figures are wall times of the `dbt` command, start-up and a warm
(partial) parse included, and beside them dbt's own `elapsed_time` of the run
(run_results.json): the work without the ~3-4 s of start-up. The floor and
pandas figures are in-process times, so "running" is the like-for-like
comparison; the wall-clock ratio is shown too.

It prints one table and writes it as CSV and Markdown.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from mece.project import project_dir

AS_OF = "2026-12-03"
SEED = 42

# The floor: SPEC in one hand-tuned DuckDB statement (plus the small strategy
# aggregate). It computes the same segments as the models for any raw.users:
# it drops the rows that break the contract and the older copies of a
# duplicated user_id, but it does not keep them, test anything or explain.
VALIDATING_USERS = """
typed as (
    select
        nullif(trim(user_id::varchar), '') as user_id,
        try_cast(cart_abandoned_date as timestamp) as cart_abandoned_date,
        try_cast(last_order_date as timestamp) as last_order_date,
        last_order_date is null or try_cast(last_order_date as timestamp) is not null as order_ok,
        try_cast(avg_order_value as double) as avg_order_value,
        try_cast(sessions_last_30d as integer) as sessions_last_30d,
        try_cast(num_cart_items as integer) as num_cart_items,
        try_cast(engagement_score as double) as engagement_score,
        try_cast(profitability_score as double) as profitability_score
    from raw.users
),
valid as (
    select * exclude (order_ok) from typed
    where user_id is not null and cart_abandoned_date is not null and order_ok
      and isfinite(avg_order_value) and avg_order_value > 0
      and sessions_last_30d >= 0 and num_cart_items >= 1
      and isfinite(engagement_score) and engagement_score between 0 and 1
      and isfinite(profitability_score) and profitability_score between 0 and 1
),
duplicated as (select user_id from valid group by user_id having count(*) > 1),
deduplicated as (
    select * from valid anti join duplicated using (user_id)
    union all
    select * from (
        select * from valid semi join duplicated using (user_id)
        qualify row_number() over (
            partition by user_id
            order by cart_abandoned_date desc, avg_order_value desc, sessions_last_30d desc,
                     num_cart_items desc, engagement_score desc, profitability_score desc,
                     last_order_date desc) = 1
    )
),"""

# The same floor trusting its input: every row valid, no duplicates.
TRUSTING_USERS = """
deduplicated as (
    select user_id, cart_abandoned_date, last_order_date, avg_order_value, sessions_last_30d,
           num_cart_items, engagement_score, profitability_score
    from raw.users
),"""

FLOOR_SQL = """
create or replace table {table} as
with
{users}
universe as (
    select
        *,
        date_diff('day', cart_abandoned_date::date, date '{as_of}') as days_since_abandonment,
        greatest(0, 1 - date_diff('day', cart_abandoned_date::date, date '{as_of}') / 7) as recency
    from deduplicated
    where cart_abandoned_date::date between date '{as_of}' - 7 and date '{as_of}'
),
thresholds as (
    select
        quantile_cont(avg_order_value, 0.8) as aov_high,
        quantile_cont(avg_order_value, 0.5) as aov_medium
    from universe
),
tree as (
    select
        universe.*,
        case when avg_order_value > aov_high then 'Premium'
             when avg_order_value > aov_medium then 'Mid_Value' else 'Low_Value' end as tier,
        case
            when avg_order_value > aov_high then case
                when engagement_score > 0.7 then 'Premium_Engaged'
                when profitability_score > 0.7 then 'Premium_Profitable'
                else 'Premium_Other' end
            when avg_order_value > aov_medium then case
                when engagement_score > 0.7 and profitability_score > 0.7 then 'Mid_Value_Champions'
                when engagement_score > 0.4 then 'Mid_Value_Engaged'
                when sessions_last_30d > 10 then 'Mid_Value_Active'
                else 'Mid_Value_Other' end
            else case
                when engagement_score > 0.7 then 'Low_Value_High_Engagement'
                when engagement_score > 0.4 and sessions_last_30d > 5
                    then 'Low_Value_Moderate_Engaged'
                else 'Low_Value_Other' end
        end as base_segment
    from universe, thresholds
),
base as (select base_segment, tier, count(*) as n from tree group by all),
step_1 as (
    select *, case when n < {min_size} and base_segment <> tier || '_Other'
                   then tier || '_Other' else base_segment end as s1
    from base
),
step_2 as (
    select *, case when s1 = tier || '_Other' and sum(n) over (partition by s1) < {min_size}
                   then 'Other_Bucket' else s1 end as s2
    from step_1
),
sizes_2 as (select s2, sum(n) as n2 from step_2 group by s2),
target as (select s2 from sizes_2 where s2 <> 'Other_Bucket' order by n2, s2 limit 1),
step_3 as (
    select step_2.*, case
        when s2 = 'Other_Bucket'
             and (select n2 from sizes_2 where s2 = 'Other_Bucket') < {min_size}
             and (select s2 from target) is not null
            then (select s2 from target)
        else s2 end as merged
    from step_2
),
plan as (
    select base_segment, merged, sum(n) over (partition by merged) as merged_size
    from step_3
),
placed as (
    select tree.*, plan.merged, plan.merged_size,
           ceil(plan.merged_size / {max_size})::bigint as parts
    from tree join plan using (base_segment)
)
select
    user_id, tier, base_segment,
    case when parts > 1 then merged || '_' || (
        (row_number() over (partition by merged order by cart_abandoned_date desc, user_id) - 1)
        * parts // merged_size + 1)::varchar
    else merged end as segment,
    cart_abandoned_date, last_order_date, avg_order_value, sessions_last_30d, num_cart_items,
    engagement_score, profitability_score, days_since_abandonment, recency
from placed;

create or replace table {table}_strategy as
select
    segment, count(*) as size,
    avg(engagement_score) * avg(recency) as conversion_potential,
    avg(profitability_score) as profitability,
    avg(avg_order_value) as avg_aov
from {table}
group by segment;
"""


@dataclass
class Measured:
    seconds: float
    peak_mib: float
    output: str


@dataclass
class Row:
    users: int
    figures: dict[str, str] = field(default_factory=dict)


def measure(command: Sequence[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run a command; its wall time and the peak resident memory of that process tree."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{output[-4000:]}")
    # a step that times its own work (no interpreter start-up) prints `seconds=...`
    inner = [line for line in output.splitlines() if line.startswith("seconds=")]
    if inner:
        seconds = float(inner[-1].removeprefix("seconds="))
    return Measured(seconds, usage.ru_maxrss / 1024, output)  # ru_maxrss is in KiB on Linux


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", "mece.bench", *args]


def _dbt(*args: str) -> list[str]:
    dbt = Path(sys.executable).parent / "dbt"
    root = project_dir()
    return [str(dbt), *args, "--project-dir", str(root), "--profiles-dir", str(root),
            "--vars", f"{{as_of_date: '{AS_OF}'}}"]  # fmt: skip


def bench_size(n: int, work: Path, full: bool, console: Console) -> Row:
    row = Row(n)
    env = dict(os.environ, DO_NOT_TRACK="1")
    root = project_dir()

    def note(label: str, m: Measured) -> None:
        console.print(f"  {n:>12,} users  {label:<28} {m.seconds:8.1f} s  {m.peak_mib:8.0f} MiB")

    e2e_db = work / f"e2e_{n}.duckdb"
    e2e = measure(
        [str(Path(sys.executable).parent / "mece"), "run", "--users", str(n), "--seed", str(SEED),
         "--as-of", AS_OF, "--db", str(e2e_db), "--output-dir", str(work / f"e2e_out_{n}")],
        env, root,
    )  # fmt: skip
    note("mece run (end to end)", e2e)
    row.figures["end_to_end_s"] = f"{e2e.seconds:.1f}"
    row.figures["end_to_end_peak_mib"] = f"{e2e.peak_mib:.0f}"
    for path in work.glob(f"e2e_{n}.duckdb*"):
        path.unlink()
    if not full:
        return row

    db = work / f"steps_{n}.duckdb"
    step_env = dict(env, MECE_DUCKDB_PATH=str(db))
    # dbt parses once for this warehouse file (the profile changed), as a user's
    # first run would; the timed steps then start as a user's later runs do
    measure(_dbt("parse"), step_env, root)
    steps = {
        "generate_s": _python("generate", "--db", str(db), "--users", str(n)),
        "dbt_models_s": _dbt("build", "--exclude-resource-type", "test", "unit_test"),
        "dbt_tests_s": _dbt("test"),
        "exports_s": _python("export", "--db", str(db), "--out", str(work / f"out_{n}")),
        "floor_s": _python("floor", "--db", str(db)),
        "floor_trusting_s": _python("floor", "--db", str(db), "--trusting"),
    }
    seconds: dict[str, float] = {}
    for key, command in steps.items():
        m = measure(command, step_env, root)
        note(key.removesuffix("_s"), m)
        seconds[key] = m.seconds
        if key.startswith("dbt_"):
            results = json.loads((root / "target" / "run_results.json").read_text())
            seconds[key.replace("_s", "_in_run_s")] = results["elapsed_time"]
    row.figures.update({key: f"{value:.2f}" for key, value in seconds.items()})
    models, in_run = seconds["dbt_models_s"], seconds["dbt_models_in_run_s"]
    for key, floor in (
        ("models_vs_floor", "floor_s"),
        ("models_vs_trusting_floor", "floor_trusting_s"),
    ):
        row.figures[key] = f"{in_run / max(seconds[floor], 1e-3):.2f}x"
    check = measure(_python("check-floor", "--db", str(db)), step_env, root)
    row.figures["floor_same_segments"] = check.output.strip().splitlines()[-1]

    for style in ("rowwise", "vectorised"):
        m = measure(_python("pandas", "--db", str(db), "--style", style), step_env, root)
        note(f"pandas ({style})", m)
        row.figures[f"pandas_{style}_s"] = f"{m.seconds:.1f}"
        row.figures[f"pandas_{style}_peak_mib"] = f"{m.peak_mib:.0f}"
        row.figures[f"speedup_vs_pandas_{style}"] = (
            f"{m.seconds / in_run:.1f}x / {m.seconds / models:.1f}x"
        )
    for path in work.glob(f"steps_{n}.duckdb*"):
        path.unlink()
    return row


COLUMNS = [
    ("users", "users"),
    ("end_to_end_s", "mece run (s)"),
    ("end_to_end_peak_mib", "peak RSS (MiB)"),
    ("generate_s", "generate (s)"),
    ("dbt_models_s", "dbt models (s)"),
    ("dbt_models_in_run_s", "of which running (s)"),
    ("dbt_tests_s", "dbt tests (s)"),
    ("exports_s", "exports (s)"),
    ("floor_s", "floor query (s)"),
    ("models_vs_floor", "running / floor"),
    ("floor_trusting_s", "trusting floor (s)"),
    ("models_vs_trusting_floor", "running / trusting floor"),
    ("floor_same_segments", "floor = models"),
    ("pandas_rowwise_s", "pandas row-wise (s)"),
    ("speedup_vs_pandas_rowwise", "speed-up vs row-wise (running / wall)"),
    ("pandas_vectorised_s", "pandas vectorised (s)"),
    ("speedup_vs_pandas_vectorised", "speed-up vs vectorised (running / wall)"),
    ("pandas_vectorised_peak_mib", "pandas vect. peak (MiB)"),
]


def report(rows: list[Row], out: Path, console: Console) -> None:
    table = Table(title="mece bench (2 threads; DuckDB memory limit "
                  f"{os.environ.get('MECE_DUCKDB_MEMORY_LIMIT', '2GB')})")  # fmt: skip
    for _, header in COLUMNS:
        table.add_column(header, justify="right")
    records = []
    for row in rows:
        values = {"users": f"{row.users:,}", **row.figures}
        records.append({key: values.get(key, "") for key, _ in COLUMNS})
        table.add_row(*(values.get(key, "-") for key, _ in COLUMNS))
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "benchmark.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[key for key, _ in COLUMNS])
        writer.writeheader()
        writer.writerows(records)
    lines = [
        "| " + " | ".join(header for _, header in COLUMNS) + " |",
        "|" + "---:|" * len(COLUMNS),
        *("| " + " | ".join(r[key] or "-" for key, _ in COLUMNS) + " |" for r in records),
    ]
    (out / "benchmark.md").write_text("\n".join(lines) + "\n")
    console.print(f"Written {out / 'benchmark.csv'} and {out / 'benchmark.md'}")


# --- the steps, each run as `python -m mece.bench STEP` in a process of its own ---


def _step_generate(args: argparse.Namespace) -> None:
    from mece.generate import write_users
    from mece.warehouse import connect

    con = connect(Path(args.db))
    write_users(con, args.users[0], SEED, dt.date.fromisoformat(AS_OF))
    con.close()


def _step_export(args: argparse.Namespace) -> None:
    from mece.export import write_exports
    from mece.warehouse import connect

    con = connect(Path(args.db))
    write_exports(con, Path(args.out), schema="main_audit")
    con.close()


def _step_floor(args: argparse.Namespace) -> None:
    from mece.warehouse import connect

    con = connect(Path(args.db))
    users = TRUSTING_USERS if args.trusting else VALIDATING_USERS
    started = time.perf_counter()
    table = "floor_trusting_membership" if args.trusting else "floor_membership"
    con.execute(
        FLOOR_SQL.format(table=table, users=users, as_of=AS_OF, min_size=500, max_size=20_000)
    )
    print(f"seconds={time.perf_counter() - started:.3f}")
    con.close()


def _step_check_floor(args: argparse.Namespace) -> None:
    from mece.warehouse import connect

    con = connect(Path(args.db))
    (differences,) = con.execute(
        "select count(*) from ("
        " (select user_id, base_segment, segment from floor_membership"
        "  except select user_id, base_segment, segment from main_audit.segment_membership)"
        " union all"
        " (select user_id, base_segment, segment from main_audit.segment_membership"
        "  except select user_id, base_segment, segment from floor_membership))"
    ).fetchone() or (None,)
    con.close()
    print("yes" if differences == 0 else f"NO ({differences} rows differ)")


def _step_pandas(args: argparse.Namespace) -> None:
    import csv as csv_module

    from mece import pandas_reference as ref
    from mece.warehouse import connect

    started = time.perf_counter()
    con = connect(Path(args.db), read_only=True)
    users = con.sql("select * from raw.users").df()
    con.close()
    with open(project_dir() / "seeds" / "segment_playbook.csv") as f:
        lift = {r["segment_name"]: float(r["expected_lift"]) for r in csv_module.DictReader(f)}
    settings = ref.Settings(as_of=dt.date.fromisoformat(AS_OF))
    universe = ref.universe(users, settings)
    tree = ref.base_segments_rowwise if args.style == "rowwise" else ref.base_segments
    members, strategy = ref.final_segments(tree(universe, settings), settings, lift)
    print(f"{len(members)} users in {len(strategy)} segments")
    print(f"seconds={time.perf_counter() - started:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mece bench", description=__doc__.splitlines()[0])
    steps = ["all", "generate", "export", "floor", "check-floor", "pandas"]
    parser.add_argument("step", nargs="?", default="all", choices=steps, help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--end-to-end-only",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="sizes to run only end to end (e.g. 100000000: no steps, no pandas)",
    )
    parser.add_argument("--out", default="benchmarks")
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp folder)")
    parser.add_argument("--db")
    parser.add_argument("--style", choices=["rowwise", "vectorised"])
    parser.add_argument("--trusting", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = {
        "generate": _step_generate,
        "export": _step_export,
        "floor": _step_floor,
        "check-floor": _step_check_floor,
        "pandas": _step_pandas,
    }
    if args.step in steps:
        steps[args.step](args)
        return 0

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    work = Path(args.work or tempfile.mkdtemp(prefix="mece-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = [bench_size(n, work, True, console) for n in args.users]
        rows += [bench_size(n, work, False, console) for n in args.end_to_end_only]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, Path(args.out), console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
