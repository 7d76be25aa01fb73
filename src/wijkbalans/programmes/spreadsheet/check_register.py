"""The register's cross-row rules (see ``checks``), on the state the import would leave:
each sheet row replaces the registered row with its key, registered rows the workbook
does not name stay as they are. Mirrors ``services.register`` and ``services.results``."""

from __future__ import annotations

from collections import defaultdict

from wijkbalans.analysis.rollup import period_key
from wijkbalans.programmes.models import Activity
from wijkbalans.programmes.services.register import KIND_RANK

from .checks import ACTIVITY, ORGANISATION, Lookups, exists
from .problems import found_text
from .read import BAD, Parsed, Row

ACTIVITY_STATE = ("parent_code", "owner", "kind", "start", "end")


def _value(row: Row, name: str):
    return row[name] if row.good(name) else BAD


def activities(parsed: Parsed, found: Lookups, orgs: set, known: set) -> None:
    final = {code: dict(state) for code, state in found.activities.items()}
    sheet: dict[str, Row] = {}
    for row in parsed.rows.get("activities", []):
        exists(parsed, row, "owner", orgs, ORGANISATION)
        exists(parsed, row, "parent_code", known, ACTIVITY)
        if row.good("code"):
            sheet[row["code"]] = row
            final[row["code"]] = {n: _value(row, n) for n in ACTIVITY_STATE}
        if row.good("start", "end") and row["start"] and row["end"] \
                and row["end"] < row["start"]:
            parsed.row_problem(row, "end", f"a date not before the start ({row['start']})",
                               found=row["end"].isoformat())
        for column, ids, expected in (
                ("areas", found.area_ids, "CBS codes of registered areas"),
                ("area_sets", found.area_set_ids, "slugs of existing area sets")):
            for code in (row[column] if row.good(column) else ()):
                if code not in ids:
                    parsed.row_problem(row, column, expected, found=code)
        if row.good("evidence_level", "evidence_databank") and row["evidence_databank"] == "" \
                and row["evidence_level"] != Activity.Evidence.NOT_RATED:
            parsed.row_problem(row, "evidence_databank", "the databank whose committee "
                               "rated the intervention (a rated evidence level names it)")
    in_cycle = _cycles(parsed, final, sheet)
    for code, state in final.items():
        parent = final.get(state["parent_code"]) if state["parent_code"] is not BAD else None
        if parent is None or code in in_cycle or not (code in sheet
                                                      or state["parent_code"] in sheet):
            continue
        _rank_and_dates(parsed, code, state, state["parent_code"], parent, sheet)


def _cycles(parsed: Parsed, final: dict, sheet: dict[str, Row]) -> set[str]:
    reported: set[str] = set()
    for code, row in sheet.items():
        chain, current = [code], final[code]["parent_code"]
        while current and current is not BAD and current in final and current not in chain:
            chain.append(current)
            current = final[current]["parent_code"]
        if current == code and not reported & set(chain):
            reported.update(chain)
            parsed.row_problem(row, "parent_code", "a parent that is not the activity itself "
                               "nor one of its parts (cycle: " + " -> ".join(
                                   [*chain, code]) + ")", found=row["parent_code"])
    return reported


def _rank_and_dates(parsed: Parsed, code: str, child: dict, parent_code: str, parent: dict,
                    sheet: dict[str, Row]) -> None:
    """A part ranks no higher than its parent and lies within its dates (where set); the
    problem goes to the row in the workbook: the part's, or else its parent's."""
    row = sheet.get(code)
    if BAD not in (child["kind"], parent["kind"]) \
            and KIND_RANK[child["kind"]] < KIND_RANK[parent["kind"]]:
        if row is not None:
            parsed.row_problem(row, "kind", f"a kind that can be part of the "
                               f"{parent['kind']} {parent_code} (programme, then action_line, "
                               "then intervention)", found=child["kind"])
        else:
            parsed.row_problem(sheet[parent_code], "kind", f"a kind that keeps its part "
                               f"{code} ({child['kind']}) below it", found=parent["kind"])
    if BAD in (child["start"], child["end"], parent["start"], parent["end"]):
        return
    for column in ("start", "end"):
        date = child[column]
        if date is None:
            continue
        if (parent["start"] and date < parent["start"]) or (parent["end"]
                                                           and date > parent["end"]):
            span = f"{parent['start'] or '...'} to {parent['end'] or '...'}"
            if row is not None:
                parsed.row_problem(row, column, f"a date within the dates of the parent "
                                   f"{parent_code} ({span})", found=date.isoformat())
            else:
                parsed.row_problem(sheet[parent_code], column, f"dates that keep its part "
                                   f"{code} ({child['start'] or '...'} to "
                                   f"{child['end'] or '...'}) inside", found=span)
            return


def results(parsed: Parsed, found: Lookups, orgs: set, known: set) -> None:
    rows = parsed.rows
    sheet_periods = {r.key: r for r in rows.get("result_periods", [])
                     if r.good("activity", "result", "period")}
    updates = {r.key: r for r in rows.get("result_updates", [])
               if r.good("activity", "result", "period")}
    locked_after = {key for key, (_, locked, _, _) in found.periods.items() if locked
                    and not (key in sheet_periods and sheet_periods[key]["locked"] is False)}
    final = dict(found.results)
    sheet_results = {}
    for row in rows.get("result_indicators", []):
        exists(parsed, row, "activity", known, ACTIVITY)
        _result_row(parsed, row, found, locked_after)
        if row.good("activity", "name", "baseline_period"):
            sheet_results[row.key] = row
            final[row.key] = {"baseline_period": row["baseline_period"]}
    for key, row in sheet_periods.items():
        if key[:2] not in final:
            parsed.row_problem(row, "result", "a result indicator of that activity (sheet "
                               "result_indicators or already registered)", found=key[1])
    _baselines(parsed, found, final, sheet_results, sheet_periods)
    _periods(parsed, found, sheet_periods, updates)
    _updates(parsed, found, orgs, sheet_periods, updates)


def _result_row(parsed: Parsed, row: Row, found: Lookups, locked_after: set) -> None:
    if row.good("kind", "indicator_code"):
        code = row["indicator_code"]
        if row["kind"] == "outcome" and not code:
            parsed.row_problem(row, "indicator_code", "an indicator code for an outcome "
                               "indicator")
        elif code and code not in found.indicator_codes:
            parsed.row_problem(row, "indicator_code", "a code in the indicator registry",
                               found=code)
    if row.good("kind", "baseline_period", "baseline_value") and row["kind"] == "outcome" \
            and row["baseline_value"] is not None and not row["baseline_period"]:
        parsed.row_problem(row, "baseline_period", "the period of the baseline of an "
                           "outcome indicator")
    registered = found.results.get(row.key) if row.good("activity", "name") else None
    if registered and any(k[:2] == row.key for k in locked_after):
        for column in ("baseline_period", "baseline_value", "direction"):
            if row.good(column) and row[column] != registered[column]:
                shown = found_text(registered[column]) or "none"
                parsed.row_problem(row, column, f"the registered {column} ({shown}): a "
                                   "period of this indicator is locked", found=row[column])


def _baselines(parsed, found, final, sheet_results, sheet_periods) -> None:
    """Every period of a result comes after its baseline period."""
    periods = defaultdict(set)
    for key in [*found.periods, *sheet_periods]:
        periods[key[:2]].add(key[2])
    for result_key, names in periods.items():
        baseline = final.get(result_key, {}).get("baseline_period")
        if not baseline:
            continue
        early = sorted((p for p in names if period_key(p) <= period_key(baseline)),
                       key=period_key)
        for period in early:
            row = sheet_periods.get((*result_key, period))
            if row is not None:
                parsed.row_problem(row, "period", f"a period after the baseline period "
                                   f"{baseline}", found=period)
        registered_early = [p for p in early if (*result_key, p) not in sheet_periods]
        if registered_early and result_key in sheet_results:
            parsed.row_problem(sheet_results[result_key], "baseline_period", "a period "
                               "before the registered periods " + ", ".join(registered_early),
                               found=baseline)


def _periods(parsed, found, sheet_periods, updates) -> None:
    for key, row in sheet_periods.items():
        target, locked, _, actual = found.periods.get(key, (None, False, None, None))
        update = updates.get(key)
        if update is not None:
            actual = update["value"]  # BAD when its cell has a problem of its own
        if row.good("actual") and actual is not BAD and row["actual"] != actual:
            parsed.row_problem(row, "actual", "the value of the approved update ("
                               f"{found_text(actual) or 'none'}); change it in sheet "
                               "result_updates", found=row["actual"])
        if row.good("locked") and row["locked"] and actual is None:
            parsed.row_problem(row, "locked", "FALSE: a period is locked only with an "
                               "approved actual", found="TRUE")
        if locked and row.good("locked", "target") and row["locked"] \
                and row["target"] != target:
            parsed.row_problem(row, "target", "the locked period's target "
                               f"({found_text(target) or 'none'}); "
                               "set locked to FALSE to change it", found=row["target"])


def _updates(parsed, found, orgs, sheet_periods, updates) -> None:
    rows = parsed.rows
    owner = {code: state["owner"] for code, state in found.activities.items()}
    owner |= {r["code"]: r["owner"] for r in rows.get("activities", [])
              if r.good("code", "owner")}
    involved = defaultdict(set, {k: set(v) for k, v in found.partner_orgs.items()})
    for r in rows.get("partners", []):
        if r.good("activity", "organisation"):
            involved[r["activity"]].add(r["organisation"])
    for key, row in updates.items():
        if key not in sheet_periods and key not in found.periods:
            parsed.row_problem(row, "period", "a period of that result (sheet "
                               "result_periods or already registered)", found=key[2])
        if row.good("organisation"):
            if row["organisation"] not in orgs:
                parsed.row_problem(row, "organisation", ORGANISATION,
                                   found=row["organisation"])
            elif row["organisation"] not in involved[key[0]] | {owner.get(key[0])}:
                parsed.row_problem(row, "organisation", "the owner or a partner of the "
                                   "activity", found=row["organisation"])
        _, locked, approved, _ = found.periods.get(key, (None, False, None, None))
        period_row = sheet_periods.get(key)
        stays_locked = locked and (period_row is None or period_row["locked"] is not False)
        if stays_locked and row.good("organisation", "value", "narrative", "review_comment") \
                and approved != (row["organisation"], row["value"], row["narrative"],
                                 row["review_comment"]):
            parsed.row_problem(row, "value", "the approved update of the locked period "
                               "unchanged; unlock the period (sheet result_periods, locked "
                               "FALSE) to change it", found=row["value"])
