"""SPEC in pandas, written from SPEC alone without looking at the SQL.

Two uses: the tests re-compute every user's segments and every score with it
and compare them with the dbt models, and the benchmark runs it as the
baseline a pandas user would otherwise write. `base_segments` is vectorised;
`base_segments_rowwise` assigns the tree row by row with `apply`, as the
seed did. pandas is a dev dependency: this module is not used by `mece run`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

TIERS = ("Premium", "Mid_Value", "Low_Value")


@dataclass(frozen=True)
class Settings:
    as_of: dt.date
    window: int = 7
    min_size: int = 500
    max_size: int = 20_000
    aov_high_pct: float = 80.0
    aov_medium_pct: float = 50.0
    e_high: float = 0.7
    e_medium: float = 0.4
    p_high: float = 0.7
    s_active: int = 10
    s_moderate: int = 5
    weights: tuple[float, float, float, float, float] = (0.3, 0.2, 0.2, 0.2, 0.1)


def universe(users: pd.DataFrame, s: Settings) -> pd.DataFrame:
    dates = users["cart_abandoned_date"].dt.normalize()
    as_of = pd.Timestamp(s.as_of)
    days = (as_of - dates).dt.days
    u = users[(days >= 0) & (days <= s.window)].copy()
    u["days_since_abandonment"] = days[u.index].astype(int)
    u["recency_score"] = np.maximum(0.0, 1.0 - u["days_since_abandonment"] / s.window)
    return u


def aov_thresholds(u: pd.DataFrame, s: Settings) -> tuple[float, float]:
    """(aov_high, aov_medium): numpy's default linear-interpolation percentiles."""
    aov = u["avg_order_value"].to_numpy()
    return float(np.percentile(aov, s.aov_high_pct)), float(np.percentile(aov, s.aov_medium_pct))


def base_segments(u: pd.DataFrame, s: Settings) -> pd.DataFrame:
    aov = u["avg_order_value"].to_numpy()
    high, medium = aov_thresholds(u, s)
    eng = u["engagement_score"].to_numpy()
    prof = u["profitability_score"].to_numpy()
    ses = u["sessions_last_30d"].to_numpy()
    premium, mid = aov > high, (aov <= high) & (aov > medium)
    u = u.copy()
    u["tier"] = np.select([premium, mid], ["Premium", "Mid_Value"], "Low_Value")
    u["base_segment"] = np.select(
        [
            premium & (eng > s.e_high),
            premium & (prof > s.p_high),
            premium,
            mid & (eng > s.e_high) & (prof > s.p_high),
            mid & (eng > s.e_medium),
            mid & (ses > s.s_active),
            mid,
            eng > s.e_high,
            (eng > s.e_medium) & (ses > s.s_moderate),
        ],
        [
            "Premium_Engaged",
            "Premium_Profitable",
            "Premium_Other",
            "Mid_Value_Champions",
            "Mid_Value_Engaged",
            "Mid_Value_Active",
            "Mid_Value_Other",
            "Low_Value_High_Engagement",
            "Low_Value_Moderate_Engaged",
        ],
        "Low_Value_Other",
    )
    u.attrs["aov_high"], u.attrs["aov_medium"] = high, medium
    return u


def _assign(row: pd.Series, s: Settings, high: float, medium: float) -> str:
    aov, eng = row["avg_order_value"], row["engagement_score"]
    prof, ses = row["profitability_score"], row["sessions_last_30d"]
    if aov > high:
        if eng > s.e_high:
            return "Premium_Engaged"
        if prof > s.p_high:
            return "Premium_Profitable"
        return "Premium_Other"
    if aov > medium:
        if eng > s.e_high and prof > s.p_high:
            return "Mid_Value_Champions"
        if eng > s.e_medium:
            return "Mid_Value_Engaged"
        if ses > s.s_active:
            return "Mid_Value_Active"
        return "Mid_Value_Other"
    if eng > s.e_high:
        return "Low_Value_High_Engagement"
    if eng > s.e_medium and ses > s.s_moderate:
        return "Low_Value_Moderate_Engaged"
    return "Low_Value_Other"


def base_segments_rowwise(u: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """The decision tree as the seed wrote it: one Python call per user."""
    high, medium = aov_thresholds(u, s)
    u = u.copy()
    u["base_segment"] = u.apply(_assign, axis=1, args=(s, high, medium))
    u["tier"] = u["base_segment"].str.extract(r"^(Premium|Mid_Value|Low_Value)")[0]
    u.attrs["aov_high"], u.attrs["aov_medium"] = high, medium
    return u


def size_plan(counts: dict[str, int], tiers: dict[str, str], s: Settings) -> dict[str, str]:
    """base segment -> final (pre-split) segment, following SPEC's rules 1-3."""
    where = dict.fromkeys(counts, "")
    for seg in counts:
        other = f"{tiers[seg]}_Other"
        where[seg] = other if counts[seg] < s.min_size and seg != other else seg

    def sizes() -> dict[str, int]:
        out: dict[str, int] = {}
        for seg, target in where.items():
            out[target] = out.get(target, 0) + counts[seg]
        return out

    step1 = sizes()
    for seg, target in where.items():
        if target == f"{tiers[seg]}_Other" and step1[target] < s.min_size:
            where[seg] = "Other_Bucket"
    step2 = sizes()
    if step2.get("Other_Bucket", s.min_size) < s.min_size:
        remaining = sorted((n, name) for name, n in step2.items() if name != "Other_Bucket")
        if remaining:
            target = remaining[0][1]
            for seg in where:
                if where[seg] == "Other_Bucket":
                    where[seg] = target
    return where


def final_segments(
    b: pd.DataFrame, s: Settings, lift: dict[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    counts = b["base_segment"].value_counts().to_dict()
    tiers = dict(zip(b["base_segment"], b["tier"], strict=False))
    where = size_plan(counts, tiers, s)
    m = b.copy()
    m["merged"] = m["base_segment"].map(where)
    merged_sizes = m["merged"].value_counts().to_dict()
    m["segment"] = m["merged"]
    for name, size in merged_sizes.items():
        if size > s.max_size:
            k = math.ceil(size / s.max_size)
            members = m[m["merged"] == name].sort_values(
                ["cart_abandoned_date", "user_id"], ascending=[False, True]
            )
            parts = (np.arange(size) * k) // size + 1
            m.loc[members.index, "segment"] = [f"{name}_{p}" for p in parts]

    max_aov = b["avg_order_value"].max()
    rows = []
    for seg, g in m.groupby("segment"):
        merged = g["merged"].iloc[0]
        split = merged_sizes[merged] > s.max_size
        absorbed = (m.loc[m["merged"] == merged, "base_segment"] != merged).any()
        conv = g["engagement_score"].mean() * g["recency_score"].mean()
        rows.append(
            {
                "segment_name": seg,
                "size": len(g),
                "conversion_potential": conv,
                "lift_vs_control": g["base_segment"].map(lift).mean(),
                "profitability": g["profitability_score"].mean(),
                "strategic_fit": 0.6 * g["profitability_score"].mean()
                + 0.4 * g["avg_order_value"].mean() / max_aov,
                "valid": "Split" if split else ("Merged" if absorbed else "Yes"),
                "avg_aov": g["avg_order_value"].mean(),
                "avg_engagement": g["engagement_score"].mean(),
                "avg_sessions": g["sessions_last_30d"].mean(),
            }
        )
    strategy = pd.DataFrame(rows)
    strategy["size_score"] = 0.2 + 0.8 * strategy["size"] / strategy["size"].max()
    w = s.weights
    strategy["overall_score"] = (
        w[0] * strategy["conversion_potential"]
        + w[1] * strategy["lift_vs_control"]
        + w[2] * strategy["size_score"]
        + w[3] * strategy["profitability"]
        + w[4] * strategy["strategic_fit"]
    )
    strategy = strategy.sort_values(["overall_score", "segment_name"], ascending=[False, True])
    strategy["rank"] = range(1, len(strategy) + 1)
    return m, strategy.reset_index(drop=True)
