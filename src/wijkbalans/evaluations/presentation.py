"""What the result page and its charts show, built from a stored result.

Plain functions from the result JSON (see ``compute.py``) to rows of formatted text, in
the reader's language (Dutch by default, English when the language is ``en``). The
charts and their data tables are built from the same lists, so they cannot disagree.
"""

from __future__ import annotations

import math

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbalans.charts.effects import placebo_bins
from wijkbalans.charts.numbers import format_number

# Donor weights below this are shown as "no weight" (the weights are exact optima, so
# most are zero up to rounding).
WEIGHT_SHOWN = 0.0005


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def conclusion_label(code: str) -> str:
    return {
        "effect": _("Effect shown"),
        "effect_with_caveats": _("Effect shown, with caveats"),
        "no_evidence": _("No effect shown"),
        "unreliable": _("No conclusion possible"),
    }.get(code, code)


def number(value, decimals: int) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_number(float(value), decimals, lang())


def p_text(value) -> str:
    if value is None:
        return "–"
    if value < 0.001:
        return "< " + number(0.001, 3)
    return number(value, 3)


def effect_decimals(indicator_decimals: int) -> int:
    """Effects get one decimal more than the indicator is published with."""
    return max(indicator_decimals, 1) + 1


def start_index(result: dict) -> int:
    return int(result.get("n_pre") or 0)


def periods(result: dict) -> list[str]:
    return [str(p) for p in result.get("periods", [])]


def summary(result: dict, decimals: int) -> list[tuple[str, str]]:
    """The estimate and its uncertainty, as (label, text) rows."""
    d = effect_decimals(decimals)
    level = int(round(float(result.get("level") or 0.95) * 100))
    rows = [(_("Estimated effect"), number(result["estimate"], d))]
    ci = result.get("ci")
    if ci:
        rows.append((_("%(level)s%% interval") % {"level": level},
                     f"{number(ci[0], d)} – {number(ci[1], d)}"))
    if result.get("se") is not None:
        rows.append((_("Standard error"), number(result["se"], d)))
    method = result.get("method")
    if method == "sc":
        rows.append((_("p-value (rank of the post/pre RMSPE ratio among the placebos)"),
                     p_text(result.get("p_value"))))
    else:
        rows.append((_("p-value"), p_text(result.get("p_value"))))
        if result.get("placebo_p_value") is not None:
            rows.append((_("p-value (rank among the placebo estimates)"),
                         p_text(result.get("placebo_p_value"))))
    rows += [
        (_("Treated areas"), str(result.get("n_treated", "–"))),
        (_("Comparison areas"), str(result.get("n_controls", "–"))),
        (_("Periods before the start"), str(result.get("n_pre", "–"))),
        (_("Periods from the start"), str(result.get("n_post", "–"))),
    ]
    return rows


def path_rows(result: dict, decimals: int) -> list[dict]:
    """Per period: the treated areas, the counterfactual, the gap, before or after."""
    d = max(decimals, 1) + 1
    s = start_index(result)
    return [{"period": p, "treated": number(t, d), "counterfactual": number(c, d),
             "gap": number(g, d), "phase": _("before the start") if i < s else _("from the start")}
            for i, (p, t, c, g) in enumerate(zip(periods(result), result["treated_path"],
                                                 result["counterfactual"], result["gap"],
                                                 strict=True))]


def placebo_values(result: dict) -> tuple[list[float], float | None, str]:
    """``(placebo estimates, the real estimate, what they are)``. For synthetic control
    these are the placebo areas' mean gaps after the start; its p-value ranks their
    post/pre RMSPE ratios instead (see :func:`ratio_rows`), whose spread is too wide to
    draw (an area fitted almost exactly has a ratio in the millions)."""
    if result.get("method") == "sc":
        values = [p["estimate"] for p in result.get("placebos", [])]
    else:
        values = list(result.get("placebo_estimates") or [])
    return values, result.get("estimate"), _("placebo estimate")


def ratio_rows(result: dict, names: dict[str, str], decimals: int) -> list[dict]:
    """Synthetic control: each placebo area's fit and post/pre RMSPE ratio, the largest
    ratio first, with the real one among them (the ranking behind the p-value)."""
    if result.get("method") != "sc":
        return []
    d = effect_decimals(decimals)
    rows = [{"code": p["unit"], "name": names.get(p["unit"], ""), "own": False,
             "pre": p["pre_rmspe"], "post": p["post_rmspe"], "ratio": p["ratio"]}
            for p in result.get("placebos", [])]
    rows.append({"code": "", "name": _("this evaluation"), "own": True,
                 "pre": result.get("pre_rmspe"), "post": result.get("post_rmspe"),
                 "ratio": result.get("rmspe_ratio")})
    rows.sort(key=lambda r: -(r["ratio"] if r["ratio"] is not None else math.inf))
    return [{**r, "pre": number(r["pre"], d), "post": number(r["post"], d),
             "ratio": number(r["ratio"], 2)} for r in rows]


def placebo_rows(result: dict, decimals: int) -> list[dict]:
    """The histogram as a table: bin edges and counts, the real value's bin marked."""
    values, actual, _what = placebo_values(result)
    edges = placebo_bins(values, actual)
    counts = [0] * (len(edges) - 1)
    for v in values:
        counts[_bin(edges, v)] += 1
    own = _bin(edges, actual) if actual is not None else None
    d = effect_decimals(decimals)
    return [{"low": number(edges[i], d), "high": number(edges[i + 1], d), "count": counts[i],
             "own": i == own} for i in range(len(counts))]


def _bin(edges, value) -> int:
    """numpy.histogram's rule: half-open bins, the last one closed."""
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


def fit(result: dict, decimals: int) -> list[tuple[str, str]]:
    d = effect_decimals(decimals)
    rows = [(_("Pre-period RMSPE (how far the comparison missed before the start)"),
             number(result.get("pre_rmspe"), d))]
    spread = result.get("spread_between_areas")
    rows.append((_("Usual spread between comparison areas"), number(spread, d)))
    if spread and result.get("pre_rmspe") is not None:
        rows.append((_("RMSPE as a share of the spread"),
                     number(result["pre_rmspe"] / spread, 2)))
    if result.get("method") == "sc":
        rows.append((_("Post-period RMSPE"), number(result.get("post_rmspe"), d)))
    return rows


def donor_weights(result: dict, names: dict[str, str]) -> tuple[list[dict], int]:
    """Donors with a weight, largest first, and how many got (almost) none."""
    weights = result.get("unit_weights") or {}
    shown = sorted(((w, u) for u, w in weights.items() if w >= WEIGHT_SHOWN),
                   key=lambda x: (-x[0], x[1]))
    rows = [{"code": u, "name": names.get(u, ""), "weight": number(100 * w, 1)}
            for w, u in shown]
    return rows, len(weights) - len(shown)


def time_weights(result: dict) -> list[dict]:
    weights = result.get("time_weights") or {}
    return [{"period": p, "weight": number(100 * w, 1)} for p, w in weights.items()]


def left_out(result: dict, names: dict[str, str]) -> list[dict]:
    key = "detail_en" if lang() == "en" else "detail_nl"
    return [{"code": e["unit"], "name": names.get(e["unit"], ""), "reason": e[key],
             "code_reason": e["reason"]} for e in result["donor_pool"]["excluded"]]


def leave_one_out(result: dict, names: dict[str, str], decimals: int) -> list[dict]:
    d = effect_decimals(decimals)
    return [{"code": r["dropped"], "name": names.get(r["dropped"], ""),
             "estimate": number(r["estimate"], d), "pre_rmspe": number(r["pre_rmspe"], d)}
            for r in result.get("leave_one_out") or []]


def verdict(result: dict) -> dict:
    v = result["verdict"]
    return {"code": v["conclusion"], "label": conclusion_label(v["conclusion"]),
            "text": v[lang()], "lang": lang(),
            "issues": [{"text": i[lang()], "blocking": i["blocking"], "code": i["code"]}
                       for i in v.get("issues", [])]}


def codes_named(result: dict) -> set[str]:
    """Every area code the page names, to look their names up in one query."""
    pool = result["donor_pool"]
    return (set(pool["treated"]) | set(pool["donors"])
            | {e["unit"] for e in pool["excluded"]})
