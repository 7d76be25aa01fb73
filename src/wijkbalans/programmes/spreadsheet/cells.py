"""Reading one cell as its column's type, and writing a value as a cell.

Numbers are what spreadsheet users type, so amounts are numeric cells. A workbook stores
them as binary floating point; a float is read through its shortest decimal text
(``repr``), which gives back exactly what was typed for every amount of up to 15 digits.
The result must then be a whole cent (2 decimals for euros, 4 for quantities, 3 for
weights): a value that differs from one by no more than a spreadsheet's rounding noise
(10⁻⁶, or 10⁻¹⁵ of the value when that is larger) is read as it; anything else is refused,
never rounded. Numbers may also be text, with a point or a comma as the decimal sign and
no thousands separator.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import schema as s

SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
PERIOD_PATTERN = re.compile(r"^\d{4}(?:-Q[1-4])?$")
NUMBER_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
TRUE_WORDS = {"true", "waar", "ja", "yes", "1"}
FALSE_WORDS = {"false", "onwaar", "nee", "no", "0"}
# (decimal places, max digits, minimum) of the decimal types, as the model fields have them.
DECIMALS = {s.AMOUNT: (2, 14, Decimal(0)), s.QUANTITY: (4, 18, None),
            s.WEIGHT: (3, 8, Decimal(0))}
FIRST_YEAR, LAST_YEAR = 1990, 2100  # as the money services accept
FLOAT_DIGITS = 15  # a decimal with more significant digits is written as text
NOISE = Decimal("1e-6")
RELATIVE_NOISE = Decimal("1e-15")
_url = URLValidator(schemes=["http", "https"])


class CellError(ValueError):
    """The cell does not hold what its column expects; the message says what it expects."""


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse(column: s.Column, raw: Any) -> Any:
    """The value of ``raw`` as ``column`` holds it; raise :class:`CellError`."""
    if is_empty(raw):
        if column.required:
            raise CellError("a value (this column is required)")
        return _empty(column)
    return _PARSERS[column.type](column, raw)


def _empty(column: s.Column) -> Any:
    if column.default is not None:
        return column.default
    if column.type in (s.TEXT, s.SLUG, s.URL, s.PERIOD, s.CHOICE):
        return ""
    if column.type in (s.LIST, s.LINKS):
        return ()
    return None


def _text(column: s.Column, raw: Any) -> str:
    if isinstance(raw, bool | dt.date | dt.time):
        raise CellError(f"text ({s.TYPE_HELP[column.type][1]})")
    if isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    else:
        text = str(raw)
    text = text.strip()
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"at most {column.max_length} characters (it has {len(text)})")
    return text


def _slug(column: s.Column, raw: Any) -> str:
    text = _text(column, raw)
    if not SLUG_PATTERN.match(text):
        raise CellError("a code of letters, digits, '-' and '_' only")
    return text


def _choice(column: s.Column, raw: Any) -> str:
    text = _text(column, raw)
    if text not in column.choices:
        raise CellError("one of " + ", ".join(c for c in column.choices if c))
    return text


def _period(column: s.Column, raw: Any) -> str:
    text = _text(column, raw)
    if not PERIOD_PATTERN.match(text):
        raise CellError("a period yyyy or yyyy-Qn (e.g. 2025 or 2025-Q3)")
    return text


def _url_cell(column: s.Column, raw: Any) -> str:
    text = _text(column, raw)
    check_url(text)
    return text


def check_url(text: str) -> None:
    try:
        _url(text)
    except ValidationError:
        raise CellError("a web address starting with http:// or https://") from None


def _integer(raw: Any, expected: str) -> int:
    if isinstance(raw, bool):
        raise CellError(expected)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    raise CellError(expected)


def _int(column: s.Column, raw: Any) -> int:
    value = _integer(raw, "a whole number, 0 or more")
    if not 0 <= value <= 32767:
        raise CellError("a whole number from 0 to 32767")
    return value


def _year(column: s.Column, raw: Any) -> int:
    value = _integer(raw, "a year such as 2025")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise CellError(f"a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def _decimal(column: s.Column, raw: Any) -> Decimal:
    places, max_digits, minimum = DECIMALS[column.type]
    unit = Decimal(1).scaleb(-places)
    what = {s.AMOUNT: "an amount in euros", s.QUANTITY: "a number",
            s.WEIGHT: "a weight"}[column.type]
    expected = f"{what} with at most {places} decimals"
    if isinstance(raw, bool) or isinstance(raw, dt.date | dt.time):
        raise CellError(expected)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(expected)
        exact = Decimal(repr(raw))
        value = exact.quantize(unit)
        if abs(exact - value) > max(NOISE, abs(exact) * RELATIVE_NOISE):
            raise CellError(expected)
    elif isinstance(raw, str) and NUMBER_TEXT.match(raw.strip()):
        try:
            exact = Decimal(raw.strip().replace(",", "."))
        except InvalidOperation:
            raise CellError(expected) from None
        value = exact.quantize(unit)
        if value != exact:
            raise CellError(expected)
    else:
        raise CellError(expected + " (write it without thousands separators, e.g. 1234.50)")
    value = value.quantize(unit)
    if minimum is not None and value < minimum:
        raise CellError(f"{what} of 0 or more")
    if len(value.as_tuple().digits) > max_digits and abs(value) >= 1:
        raise CellError(f"{what} of at most {max_digits - places} digits before the "
                        "decimal sign")
    return value


def _bool(column: s.Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.strip().lower() in TRUE_WORDS
    raise CellError("TRUE or FALSE (or yes/no, ja/nee)")


def _date(column: s.Column, raw: Any) -> dt.date:
    expected = "a date (yyyy-mm-dd)"
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise CellError(expected + " without a time of day")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        match = ISO_DATE.match(text)
        parts = (match.group(1), match.group(2), match.group(3)) if match else None
        dutch = DUTCH_DATE.match(text)
        if dutch:
            parts = (dutch.group(3), dutch.group(2), dutch.group(1))
        if parts:
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                pass
    raise CellError(expected)


def _list(column: s.Column, raw: Any) -> tuple[str, ...]:
    items = [item.strip() for item in _text(column, raw).split(",")]
    if column.upper:
        items = [item.upper() for item in items]
    items = [item for item in items if item]
    if len(set(items)) != len(items):
        raise CellError("a list in which each item appears once")
    for item in items:
        if column.choices and item not in column.choices:
            raise CellError("items from " + ", ".join(column.choices))
    return tuple(items)


def _links(column: s.Column, raw: Any) -> tuple[tuple[str, str], ...]:
    links = []
    for line in _text(column, raw).splitlines():
        if not line.strip():
            continue
        title, _, url = line.rpartition("|")  # no bar: a link without a title
        if len(title.strip()) > 200:
            raise CellError("link titles of at most 200 characters")
        try:
            check_url(url.strip())
        except CellError:
            raise CellError("one link per line as: title | https://... (or the address "
                            "alone)") from None
        links.append((title.strip(), url.strip()))
    if len(links) > s.MAX_LINKS:
        raise CellError(f"at most {s.MAX_LINKS} links")
    return tuple(links)


_PARSERS = {s.TEXT: _text, s.SLUG: _slug, s.CHOICE: _choice, s.INT: _int, s.YEAR: _year,
            s.AMOUNT: _decimal, s.QUANTITY: _decimal, s.WEIGHT: _decimal, s.BOOL: _bool,
            s.DATE: _date, s.PERIOD: _period, s.LIST: _list, s.LINKS: _links,
            s.URL: _url_cell}

# -- writing -------------------------------------------------------------------------------

NUMBER_FORMATS = {s.AMOUNT: "#,##0.00", s.DATE: "yyyy-mm-dd", s.YEAR: "0", s.INT: "0"}


def to_cell(column: s.Column, value: Any) -> Any:
    """``value`` as the cell that reads back as it (``parse(column, to_cell(...))``)."""
    if value is None or value == "" or value == ():
        return None
    if column.type == s.LIST:
        return ", ".join(value)
    if column.type == s.LINKS:
        return "\n".join(f"{title} | {url}" if title else url for title, url in value)
    if isinstance(value, Decimal):
        places = DECIMALS[column.type][0]
        value = value.quantize(Decimal(1).scaleb(-places))
        # A float keeps 15 significant digits exactly; a longer quantity stays text.
        if len(value.normalize().as_tuple().digits) > FLOAT_DIGITS:
            return format(value, "f")
        return value
    return value
