"""From frozen figures to the report: HTML (``templates/reports/report.html``) and PDF.

Rendering reads nothing from the database: the figures, the bureau's texts, the settings
and the software versions of a :class:`~.models.ReportVersion` are all it needs, so a
stored version renders again to the identical HTML and, with the same software, the
identical PDF. The PDF's creation and modification dates are the report's date (its
setting ``date``), not the clock, and WeasyPrint writes nothing else that varies.

The PDF is tagged and declares PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant: structure
tags, the document language and title, alternative texts of the figures).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Section

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes | None
    html_sha256: str
    pdf_sha256: str
    pages: int | None


def canonical(value):
    """``value`` with every object's keys in sorted order, as PostgreSQL's ``jsonb`` gives
    them back: the templates then see the same order however the figures were stored."""
    return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False))


def fingerprint(figures: dict, narrative: dict, settings: dict) -> str:
    """SHA-256 of the report's content (figures, texts and settings) as canonical JSON:
    the same for every rendering of the same content, printed in the appendix."""
    text = json.dumps({"figures": figures, "narrative": narrative, "settings": settings},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _page_label() -> tuple[str, str, str]:
    """The footer's "page 3 of 24" split around its two numbers, for CSS ``content``."""
    text = _("page %(page)s of %(pages)s") % {"page": "\x00", "pages": "\x01"}
    before, rest = text.split("\x00")
    middle, after = rest.split("\x01")
    return before, middle, after


def _css_string(text: str) -> str:
    """``text`` as a CSS string inside the page's ``<style>`` (quotes, backslashes and
    ``<`` escaped, so no text can end the style element)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
               .replace("\n", " "))
    return f'"{escaped}"'


def html_document(*, figures: dict, narrative: dict, settings: dict, software: dict,
                  area_set_name: str, period: str, lang: str) -> str:
    """The report as one HTML document (charts inline as SVG images)."""
    figures, narrative = canonical(figures), canonical(narrative or {})
    settings, software = canonical(settings), canonical(software or {})
    with translation.override(lang):
        before, middle, after = _page_label()
        sections = [{"key": str(key), "title": str(key.label),
                     "figures": figures.get(str(key), {}),
                     "narrative": (narrative or {}).get(str(key), ""),
                     "template": f"reports/sections/_{key}.html"}
                    for key in Section]
        day = dt.date.fromisoformat(settings["date"])
        context = {
            "lang": lang, "area_set_name": area_set_name, "period": period,
            "date": day, "settings": settings, "software": software,
            "sections": sections, "figures": figures,
            "created": f"{day.isoformat()}T00:00:00+00:00",
            "fingerprint": fingerprint(figures, narrative or {}, settings),
            "footer": {"before": _css_string(before), "middle": _css_string(middle),
                       "after": _css_string(after)},
            "header": _css_string(_("%(name)s — progress report %(period)s")
                                  % {"name": area_set_name, "period": period}),
        }
        return render_to_string("reports/report.html", context)


def pdf_document(html: str) -> tuple[bytes, int]:
    """The HTML as a tagged A4 PDF (PDF/UA-1), and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render(pdf_variant=PDF_VARIANT)
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def render(*, figures: dict, narrative: dict, settings: dict, software: dict,
           area_set_name: str, period: str, lang: str, pdf: bool = True) -> Rendered:
    html = html_document(figures=figures, narrative=narrative, settings=settings,
                         software=software, area_set_name=area_set_name, period=period,
                         lang=lang)
    data, pages = pdf_document(html) if pdf else (None, None)
    return Rendered(
        html=html, pdf=data, html_sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(),
        pdf_sha256=hashlib.sha256(data).hexdigest() if data else "", pages=pages)
