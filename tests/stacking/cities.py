"""A small hand-checkable country for the stacking tests, loaded through the normal
pipeline (load_parsed): two gemeenten, GM0777 (buurten b0..b5) and GM0778 (c0..c3), the
country NL00, and the area set ``noord`` (b0, b1, b2).

Figures (catalogue definitions, so polarity and aggregation are the catalogue's):

* inwoners (2019, 2021, 2024): b = 100..600, c = 1000, 1000, 1000, 50 (c3 is small);
* woningen (2024): b = 80, 100, 150, 200, 250, 300; c = 400, 400, 400, 20;
* werkzaam_pct: b = 50, 55, 60, 70, 72, 74 in 2019, the set +2 a step in 2021 and 2024;
  c = 65, 68, 71, 60 throughout; GM0777 publishes 66.0 for 2019 (not for 2024);
* ervaren_gezondheid_pct: the set 60 (2019), 60.5 (2021), 66 (2024); b3..b5 80; c 75;
* angst_depressie_hoog_pct: 2020 only (a survey year): b = 10, 9, 8, 6, 5, 4; c = 5..8;
* lbm_klasse (2021 and 2024): b = 3, 4, 5, 6, 2, 8; c = 7, 7, 7, 9;
* NL00: werkzaam 70.0 (2019) and 71.0 (2024), ervaren 78.0 (2019).
"""

from __future__ import annotations

from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.importers.base import AreaRecord, Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed

GM_A, GM_B = "GM0777", "GM0778"
B = [f"BU07770{i:03d}" for i in range(6)]
C = [f"BU07780{i:03d}" for i in range(4)]
SET = B[:3]
INWONERS = dict(zip(B + C, [100, 200, 300, 400, 500, 600, 1000, 1000, 1000, 50], strict=True))
WONINGEN = dict(zip(B + C, [80, 100, 150, 200, 250, 300, 400, 400, 400, 20], strict=True))
WERKZAAM_2019 = dict(zip(B + C, [50, 55, 60, 70, 72, 74, 65, 68, 71, 60], strict=True))
ANGST_2020 = dict(zip(B + C, [10, 9, 8, 6, 5, 4, 5, 6, 7, 8], strict=True))
LBM = dict(zip(B + C, [3, 4, 5, 6, 2, 8, 7, 7, 7, 9], strict=True))
STEP = {"2019": 0, "2021": 1, "2024": 2}
ERVAREN_SET = {"2019": 60.0, "2021": 60.5, "2024": 66.0}


def werkzaam(code: str, period: str) -> float:
    return WERKZAAM_2019[code] + (2 * STEP[period] if code in SET else 0)


def ervaren(code: str, period: str) -> float:
    return ERVAREN_SET[period] if code in SET else (80.0 if code in B else 75.0)


def rows() -> list[tuple[str, str, str, float]]:
    out = []
    for period in STEP:
        for code in B + C:
            out += [("inwoners", code, period, INWONERS[code]),
                    ("werkzaam_pct", code, period, werkzaam(code, period)),
                    ("ervaren_gezondheid_pct", code, period, ervaren(code, period))]
    for code in B + C:
        out += [("woningen", code, "2024", WONINGEN[code]),
                ("angst_depressie_hoog_pct", code, "2020", ANGST_2020[code]),
                ("lbm_klasse", code, "2021", LBM[code]), ("lbm_klasse", code, "2024", LBM[code])]
    out += [("werkzaam_pct", GM_A, "2019", 66.0), ("werkzaam_pct", "NL00", "2019", 70.0),
            ("werkzaam_pct", "NL00", "2024", 71.0),
            ("ervaren_gezondheid_pct", "NL00", "2019", 78.0)]
    return out


def make_country(extra_buurten: int = 0) -> None:
    """Load the country; ``extra_buurten`` adds a third gemeente GM0779 with that many
    buurten (same figures as b0..) to see that query counts do not grow."""
    areas = [AreaRecord(code="NL00", name="Nederland", level="land", year=2024)]
    for gm, name, codes in ((GM_A, "Teststad", B), (GM_B, "Proefdorp", C)):
        areas.append(AreaRecord(code=gm, name=name, level="gemeente", year=2024))
        areas.append(AreaRecord(code="WK" + gm[2:] + "00", name=f"{name}-Wijk", level="wijk",
                                year=2024))
        areas += [AreaRecord(code=c, name=f"Buurt {c[-2:]} {name}", level="buurt", year=2024)
                  for c in codes]
    data = rows()
    if extra_buurten:
        areas.append(AreaRecord(code="GM0779", name="Groeistad", level="gemeente", year=2024))
        areas.append(AreaRecord(code="WK077900", name="Groei", level="wijk", year=2024))
        for i in range(extra_buurten):
            code = f"BU077900{i:02d}"
            areas.append(AreaRecord(code=code, name=f"Groei {i}", level="buurt", year=2024))
            data += [(ind, code, p, v) for ind, c, p, v in rows() if c == B[i % 6]]
    columns = {k: [] for k in ("indicator", "area", "period", "value", "status", "row",
                               "column")}
    for n, (indicator, area, period, value) in enumerate(data):
        for key, item in (("indicator", indicator), ("area", area), ("period", period),
                          ("value", float(value)), ("status", "value"), ("row", n),
                          ("column", indicator)):
            columns[key].append(item)
    codes = sorted({r[0] for r in data})
    parsed = Parsed(observations=observations_frame(columns), areas=areas,
                    indicators=[catalogue.spec(c) for c in codes])
    load_parsed(parsed=parsed, kind="test", file_name="country",
                file_sha256=f"country-{extra_buurten}")
    area_set_save(slug="noord", name="Noord", member_codes=SET)
