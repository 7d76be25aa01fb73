"""The core indicators wijkbalans knows by name, with their themes, polarity and
aggregation rules. Importers map source columns onto these codes; columns they do not
know are kept under the source's own key (e.g. ``cbs.AantalInwoners_5``).

Aggregation follows docs/indicators.md: counts are summed; rates and shares are means
weighted by their denominator (never a plain mean of rates); scores are not aggregable.
"""

from __future__ import annotations

from .importers.base import IndicatorSpec

CBS = "CBS Kerncijfers wijken en buurten"
RIVM = "RIVM/CBS Gezondheidsmonitor wijken en buurten"
LBM = "Leefbaarometer (Ministerie van BZK)"
CC_BY = "CC BY 4.0"

# Themes (domains) of the stacking index; the keys are stable codes.
THEMES = {
    "population": ("Bevolking", "Population"),
    "work_income": ("Werk en inkomen", "Work and income"),
    "poverty": ("Armoede", "Poverty"),
    "education": ("Onderwijs", "Education"),
    "housing": ("Wonen", "Housing"),
    "health": ("Gezondheid", "Health"),
    "safety": ("Veiligheid en ondermijning", "Safety and undermining"),
    "physical": ("Fysieke omgeving", "Physical environment"),
    "social": ("Sociale samenhang", "Social cohesion"),
    "liveability": ("Leefbaarheid", "Liveability"),
    "other": ("Overig", "Other"),
}


def _count(code, nl, en, theme="population", source=CBS, unit="aantal", description=""):
    return IndicatorSpec(code=code, name_nl=nl, name_en=en, theme=theme, unit=unit,
                         polarity="neutral", source=source, licence=CC_BY,
                         aggregation="sum", description=description)


def _share(code, nl, en, theme, polarity, denominator, source=CBS, unit="%", decimals=1,
           description=""):
    return IndicatorSpec(code=code, name_nl=nl, name_en=en, theme=theme, unit=unit,
                         polarity=polarity, source=source, licence=CC_BY if source != LBM else
                         "Open data BZK", aggregation="weighted_mean", denominator=denominator,
                         decimals=decimals, description=description,
                         perception=source == RIVM)


CORE: list[IndicatorSpec] = [
    _count("inwoners", "Aantal inwoners", "Residents"),
    _count("mannen", "Mannen", "Men"),
    _count("vrouwen", "Vrouwen", "Women"),
    _count("inwoners_0_14", "Inwoners 0 tot 15 jaar", "Residents aged 0-14"),
    _count("inwoners_15_24", "Inwoners 15 tot 25 jaar", "Residents aged 15-24"),
    _count("inwoners_25_44", "Inwoners 25 tot 45 jaar", "Residents aged 25-44"),
    _count("inwoners_45_64", "Inwoners 45 tot 65 jaar", "Residents aged 45-64"),
    _count("inwoners_65plus", "Inwoners 65 jaar of ouder", "Residents aged 65 and over"),
    _count("huishoudens", "Aantal huishoudens", "Households"),
    _count("woningen", "Woningvoorraad", "Dwellings", theme="housing"),
    _share("werkzaam_pct", "Werkzame inwoners (15-75 jaar)", "Residents in work (15-75)",
           "work_income", "higher_better", "inwoners"),
    _share("bijstand_per_1000", "Bijstandsuitkeringen per 1.000 inwoners",
           "Social assistance benefits per 1,000 residents", "work_income", "higher_worse",
           "inwoners", unit="per 1.000"),
    _share("inkomen_per_inwoner", "Gemiddeld inkomen per inwoner",
           "Average income per resident", "work_income", "higher_better", "inwoners",
           unit="x 1.000 euro"),
    _share("laag_inkomen_hh_pct", "Huishoudens met een laag inkomen",
           "Households with a low income", "poverty", "higher_worse", "huishoudens"),
    _share("kinderen_armoede_pct", "Kinderen in huishoudens met een laag inkomen",
           "Children in low-income households", "poverty", "higher_worse", "inwoners_0_14"),
    _share("moeite_rondkomen_pct", "Moeite met rondkomen (18+)",
           "Difficulty making ends meet (18+)", "poverty", "higher_worse", "inwoners", source=RIVM),
    _share("onderwijsachterstand_pct", "Risico op onderwijsachterstand",
           "Risk of educational disadvantage", "education", "higher_worse", "inwoners_0_14"),
    _share("woz_waarde", "Gemiddelde WOZ-waarde van woningen", "Average property value",
           "housing", "higher_better", "woningen", unit="x 1.000 euro", decimals=0),
    _share("corporatiewoningen_pct", "Huurwoningen van woningcorporaties",
           "Social housing (corporations)", "housing", "neutral", "woningen"),
    _share("ervaren_gezondheid_pct", "Ervaren gezondheid goed of zeer goed (18+)",
           "Self-rated health good or very good (18+)", "health", "higher_better",
           "inwoners", source=RIVM),
    _share("angst_depressie_hoog_pct", "Hoog risico op angst of depressie (18+)",
           "High risk of anxiety or depression (18+)", "health", "higher_worse", "inwoners",
           source=RIVM),
    _share("eenzaam_ernstig_pct", "Ernstig of zeer ernstig eenzaam (18+)",
           "Severely lonely (18+)", "social", "higher_worse", "inwoners", source=RIVM),
    _share("vrijwilligerswerk_pct", "Doet vrijwilligerswerk (18+)", "Volunteers (18+)",
           "social", "higher_better", "inwoners", source=RIVM),
    _share("misdrijven_per_1000", "Geregistreerde misdrijven per 1.000 inwoners",
           "Registered crimes per 1,000 residents", "safety", "higher_worse", "inwoners",
           unit="per 1.000"),
    _share("jonge_verdachten_per_1000", "Jeugdige verdachten per 1.000 jongeren",
           "Young suspects per 1,000 young people", "safety", "higher_worse", "inwoners_15_24",
           unit="per 1.000"),
    IndicatorSpec(code="lbm_klasse", name_nl="Leefbaarometer: klasse (1-9)",
                  name_en="Leefbaarometer: class (1-9)", theme="liveability", unit="klasse",
                  polarity="higher_better", source=LBM, licence="Open data BZK",
                  aggregation="none",
                  description="1 zeer onvoldoende, 2 ruim onvoldoende, 3 onvoldoende, "
                  "4 zwak, 5 voldoende, 6 ruim voldoende, 7 goed, 8 zeer goed, 9 uitstekend."),
    IndicatorSpec(code="lbm_afw", name_nl="Leefbaarometer: totaalscore (afwijking van NL)",
                  name_en="Leefbaarometer: total score (deviation from NL)",
                  theme="liveability", unit="score", polarity="higher_better", source=LBM,
                  licence="Open data BZK", aggregation="weighted_mean",
                  denominator="woningen", decimals=4),
]
for _dim, _nl, _en, _theme in [
    ("won", "woningvoorraad", "housing stock", "housing"),
    ("fys", "fysieke omgeving", "physical environment", "physical"),
    ("vrz", "voorzieningen", "amenities", "physical"),
    ("soc", "sociale samenhang", "social cohesion", "social"),
    ("onv", "overlast en onveiligheid", "nuisance and insecurity", "safety"),
]:
    CORE.append(IndicatorSpec(
        code=f"lbm_{_dim}", name_nl=f"Leefbaarometer: {_nl}", name_en=f"Leefbaarometer: {_en}",
        theme=_theme, unit="score", polarity="higher_better", source=LBM,
        licence="Open data BZK", aggregation="weighted_mean", denominator="woningen",
        decimals=4))

BY_CODE: dict[str, IndicatorSpec] = {spec.code: spec for spec in CORE}


def spec(code: str) -> IndicatorSpec:
    """The catalogue definition of ``code``."""
    return BY_CODE[code]
