"""The table a run ends with: segments, sizes and scores, best first."""

from __future__ import annotations

import duckdb
from rich.console import Console
from rich.table import Table

SUMMARY_SQL = """
select
    rank, segment_name, size, valid, overall_score, conversion_potential,
    lift_vs_control, size_score, profitability, strategic_fit, is_undersized
from main.segment_strategy
order by rank
"""


MAX_ROWS = 40  # a split of millions of users makes hundreds of segments

REJECTS_SQL = """
with reasons as (
    select unnest(string_split(rejection_reason, '; ')) as reason from main.rejected_users
)
select reason, count(*) as rows_rejected from reasons group by reason order by 2 desc, 1
"""


def print_rejects(con: duckdb.DuckDBPyConnection, console: Console) -> None:
    """Input rows = accepted + rejected, and why rows were rejected."""
    (input_rows,) = con.execute("select count(*) from raw.users").fetchone() or (0,)
    (rejected,) = con.execute("select count(*) from main.rejected_users").fetchone() or (0,)
    console.print(
        f"Input rows: {input_rows:,} = {input_rows - rejected:,} accepted + {rejected:,} rejected"
    )
    if rejected:
        console.print(
            f"[bold yellow]Warning:[/] {rejected:,} rows broke the input contract and were "
            "quarantined in main.rejected_users (a row may have several reasons):"
        )
        for reason, count in con.execute(REJECTS_SQL).fetchall():
            console.print(f"  {count:>10,}  {reason}")


def print_summary(con: duckdb.DuckDBPyConnection, console: Console) -> None:
    print_rejects(con, console)
    thresholds = con.execute(
        "select as_of_date, universe_window_days, universe_size, aov_high, aov_medium,"
        " aov_high_percentile, aov_medium_percentile, min_segment_size, max_segment_size"
        " from main.segment_thresholds"
    ).fetchone()
    if thresholds is None:
        console.print("[yellow]No thresholds were computed.[/]")
        return
    as_of, window, universe, aov_high, aov_medium, p_high, p_medium, low, high = thresholds
    if universe == 0:
        console.print(
            f"[bold yellow]Warning:[/] the universe is empty: nobody abandoned a cart in the "
            f"{window} days up to {as_of}. The tables are empty; check as_of_date and the input."
        )
        return

    rows = con.execute(SUMMARY_SQL).fetchall()
    table = Table(
        title=f"Segments of {universe:,} cart abandoners ({window} days up to {as_of})",
        caption=(
            f"AOV thresholds: high {aov_high:,.2f} (p{p_high:g}), medium {aov_medium:,.2f} "
            f"(p{p_medium:g}); segment size bounds [{low:,}, {high:,}]"
        ),
    )
    for column, justify in (
        ("rank", "right"),
        ("segment", "left"),
        ("size", "right"),
        ("share", "right"),
        ("valid", "left"),
        ("overall", "right"),
        ("conversion", "right"),
        ("lift", "right"),
        ("size score", "right"),
        ("profit.", "right"),
        ("fit", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    undersized = any(row[-1] for row in rows)
    for rank, name, size, valid, overall, conv, lift, size_score, prof, fit, _ in rows[:MAX_ROWS]:
        table.add_row(
            str(rank),
            name,
            f"{size:,}",
            f"{size / universe:.1%}",
            valid,
            f"{overall:.3f}",
            f"{conv:.3f}",
            f"{lift:.3f}",
            f"{size_score:.3f}",
            f"{prof:.3f}",
            f"{fit:.3f}",
        )
    console.print(table)
    if len(rows) > MAX_ROWS:
        console.print(
            f"... and {len(rows) - MAX_ROWS:,} more segments: all {len(rows):,} are in "
            "main.segment_strategy and outputs/segment_strategy.csv"
        )
    if undersized:
        console.print(
            f"[bold yellow]Warning:[/] the universe ({universe:,} users) is smaller than "
            f"min_segment_size ({low:,}); it is kept as one segment, flagged is_undersized."
        )
