"""Query parameters of the API, read and checked: a bad value is a 400 naming the
parameter, what was expected and what was found; never a 500, never silently ignored.

Every problem in one request is reported at once (``{"level": ["expected ..."], ...}``).
A parameter the endpoint does not know is a problem too, so a misspelt filter cannot
quietly return everything. An empty value (``?level=``) counts as not given. Lists are
comma-separated (``?area=BU00140000,BU00140001``) or the parameter repeated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from wijkbalans.areas import codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import ObservationStatus

# Parameters every endpoint understands: the format switch and the page window.
COMMON = ("format", "limit", "offset")
LATEST = "latest"
MAX_TEXT = 100
MAX_LIST = 1000
_GEMEENTECODE = re.compile(r"^GM\d{4}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class Filters:
    """The checked query parameters of one request; :meth:`check` raises one 400."""

    def __init__(self, query_params: QueryDict, allowed: Iterable[str]):
        self.params = query_params
        self.errors: dict[str, list[str]] = {}
        allowed = tuple(allowed)
        known = ", ".join(sorted(set(allowed) | set(COMMON)))
        for name in sorted(set(query_params) - set(allowed) - set(COMMON)):
            self.errors[name] = [f"unknown parameter; this endpoint knows: {known}"]

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def raw(self, name: str) -> str | None:
        values = [v.strip() for v in self.params.getlist(name) if v.strip()]
        return ",".join(values) or None

    def items(self, name: str) -> list[str]:
        raw = self.raw(name)
        if raw is None:
            return []
        items = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
        if len(items) > MAX_LIST:
            self.fail(name, f"expected at most {MAX_LIST} values; found {len(items)}")
            return []
        return items

    # -- values of a form ---------------------------------------------------------------

    def choices(self, name: str, allowed: Iterable[str]) -> list[str]:
        allowed = list(allowed)
        found = self.items(name)
        wrong = [v for v in found if v not in allowed]
        if wrong:
            self.fail(name, f"expected one of {', '.join(allowed)}; found "
                            f"{', '.join(repr(v) for v in wrong)}")
            return []
        return found

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        raw = self.raw(name)
        if raw is None:
            return None
        allowed = list(allowed)
        if raw not in allowed:
            self.fail(name, f"expected one of {', '.join(allowed)}; found {raw!r}")
            return None
        return raw

    def level(self, name: str = "level") -> str | None:
        return self.choice(name, codes.LEVELS)

    def year(self, name: str = "year") -> int | None:
        raw = self.raw(name)
        if raw is None:
            return None
        if not (raw.isdigit() and len(raw) == 4):
            self.fail(name, f"expected a year of four digits such as 2024; found {raw!r}")
            return None
        return int(raw)

    def text(self, name: str = "q") -> str | None:
        raw = self.raw(name)
        if raw is not None and len(raw) > MAX_TEXT:
            self.fail(name, f"expected at most {MAX_TEXT} characters; found {len(raw)}")
            return None
        return raw

    def periods(self, name: str = "period") -> tuple[list[str], bool]:
        """The periods asked for and whether ``latest`` was asked (alone)."""
        found = self.items(name)
        if found == [LATEST]:
            return [], True
        wrong = [p for p in found if not indicator_selectors.is_period(p)]
        if wrong or LATEST in found:
            self.fail(name, "expected periods YYYY, YYYY-Qn or YYYY-MM, comma-separated, or "
                            f"'{LATEST}' alone; found {', '.join(repr(p) for p in wrong or found)}")
            return [], False
        return found, False

    # -- values that must name something stored -----------------------------------------

    def area_codes(self, name: str) -> list[str]:
        found = [codes.normalise(c) for c in self.items(name)]
        malformed = [c for c in found if codes.level_of(c) is None]
        if malformed:
            self.fail(name, "expected CBS area codes such as GM0014, WK001404 or BU00140402; "
                            f"found {', '.join(repr(c) for c in malformed)}")
            return []
        if found:
            known = area_selectors.area_code_map(codes=set(found))
            unknown = [c for c in found if c not in known]
            if unknown:
                self.fail(name, f"expected known area codes; unknown: {', '.join(unknown)}")
                return []
        return found

    def area_code(self, name: str) -> str | None:
        found = self.area_codes(name)
        if len(found) > 1:
            self.fail(name, f"expected one area code; found {len(found)}")
            return None
        return found[0] if found else None

    def gemeentecode(self, name: str = "within") -> str | None:
        raw = self.raw(name)
        if raw is None:
            return None
        code = codes.normalise(raw)
        if not _GEMEENTECODE.match(code):
            self.fail(name, f"expected a gemeentecode such as GM0014; found {raw!r}")
            return None
        if not area_selectors.area_list(within=code).exists():
            self.fail(name, f"expected a gemeentecode of known areas; no area lies in {code}")
            return None
        return code

    def indicator_codes(self, name: str = "indicator") -> list[str]:
        found = self.items(name)
        if found:
            unknown = indicator_selectors.indicator_codes_unknown(codes=found)
            if unknown:
                self.fail(name, f"expected known indicator codes; unknown: {', '.join(unknown)}")
                return []
        return found

    def area_set(self, name: str = "area_set"):
        raw = self.raw(name)
        if raw is None:
            return None
        if not _SLUG.match(raw):
            self.fail(name, f"expected the slug of an area set; found {raw!r}")
            return None
        area_set = area_selectors.area_set_get(slug=raw)
        if area_set is None:
            self.fail(name, f"expected the slug of an area set; no area set {raw!r}")
        return area_set


# -- the filters of each endpoint -------------------------------------------------------

def only_common(query_params: QueryDict, allowed: Iterable[str] = ()) -> Filters:
    """For endpoints without filters: refuse unknown parameters."""
    filters = Filters(query_params, allowed)
    filters.check()
    return filters


def area_filters(query_params: QueryDict) -> dict:
    f = Filters(query_params, ("level", "within", "parent", "year", "q"))
    result = {"level": f.level(), "within": f.gemeentecode(), "parent": f.area_code("parent"),
              "year": f.year(), "q": f.text()}
    f.check()
    return result


def indicator_filters(query_params: QueryDict) -> dict:
    f = Filters(query_params, ("theme", "q"))
    theme = f.raw("theme")
    if theme is not None:
        theme = f.choice("theme", indicator_selectors.indicator_themes())
    result = {"theme": theme, "q": f.text()}
    f.check()
    return result


def observation_filters(query_params: QueryDict) -> dict:
    f = Filters(query_params, ("indicator", "area", "area_set", "level", "within", "period",
                               "status"))
    periods, latest = f.periods()
    result = {
        "indicators": f.indicator_codes(), "areas": f.area_codes("area"),
        "area_set": f.area_set(), "level": f.level(), "within": f.gemeentecode(),
        "periods": periods, "latest": latest,
        "statuses": f.choices("status", ObservationStatus.values),
    }
    asked = {name for name in ("indicator", "area", "area_set") if f.raw(name)}
    if not asked:
        f.fail("indicator", "expected one or more indicator codes (comma-separated); "
                            "required unless area or area_set is given")
    f.check()
    return result

