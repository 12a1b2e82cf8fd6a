"""The table a run ends with: segments, sizes and scores, best first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

Fetch = Callable[[str], list[tuple[Any, ...]]]

SUMMARY_SQL = """
select
    rank, segment_name, size, valid, overall_score, conversion_potential,
    lift_vs_control, size_score, profitability, strategic_fit, is_undersized
from main.segment_strategy
order by rank
"""


MAX_ROWS = 40  # a split of millions of users makes hundreds of segments

# portable SQL: the reasons are split in Python
REJECTS_SQL = """
select rejection_reason, count(*) as rows_rejected
from main.rejected_users
group by rejection_reason
"""


def print_rejects(fetch: Fetch, console: Console) -> None:
    """Input rows = accepted + rejected, and why rows were rejected."""
    ((input_rows,),) = fetch("select count(*) from raw.users")
    ((rejected,),) = fetch("select count(*) from main.rejected_users")
    console.print(
        f"Input rows: {input_rows:,} = {input_rows - rejected:,} accepted + {rejected:,} rejected"
    )
    if rejected:
        console.print(
            f"[bold yellow]Warning:[/] {rejected:,} rows broke the input contract and were "
            "quarantined in main.rejected_users (a row may have several reasons):"
        )
        reasons: Counter[str] = Counter()
        for text, count in fetch(REJECTS_SQL):
            for reason in str(text).split("; "):
                reasons[reason] += count
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            console.print(f"  {count:>10,}  {reason}")


def print_summary(fetch: Fetch, console: Console) -> None:
    print_rejects(fetch, console)
    rows = fetch(
        "select as_of_date, universe_window_days, universe_size, aov_high, aov_medium,"
        " aov_high_percentile, aov_medium_percentile, min_segment_size, max_segment_size"
        " from main.segment_thresholds"
    )
    thresholds = rows[0] if rows else None
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

    rows = fetch(SUMMARY_SQL)
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
