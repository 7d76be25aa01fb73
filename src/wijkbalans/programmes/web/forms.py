"""The forms of the programme pages. They only collect and parse input; what is valid is
decided by the services (:mod:`wijkbalans.programmes.services`), whose errors are shown
at the field they name (:func:`show_error`). Field names are the services' argument
names, so that an error's ``field`` finds its form field.

Amounts and quantities are typed as people write them: Dutch ``1.234,56`` (or ``1234,56``,
``1234.56``) on Dutch pages, ``1,234.56`` on English ones, and always become an exact
:class:`~decimal.Decimal`, never a float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.accounts.models import Organisation
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.indicators import catalogue
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.catalogue import THEMES

from ..models import Activity, ActivityPartner, FundingSource, ResultIndicator

# First path segments of the register's own pages: no activity code may take them.
# Codes that would collide with fixed paths under /programma/ and /toetssteen/.
RESERVED_CODES = frozenset({"nieuw", "dekking", "financiering", "samenhang", "vergelijk"})
YEAR_RANGE = (1990, 2100)


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def parse_decimal(text: str, *, places: int, language: str | None = None) -> Decimal:
    """A number as people type it, exactly; ValueError when it is no such number.

    Dutch: ``1.234,56``, ``1234,56`` and (without a comma, with one or two decimals)
    ``1234.56``; English: ``1,234.56`` and ``1234.56``. A euro sign and spaces are
    ignored. More than ``places`` decimals is refused, never rounded.

    >>> parse_decimal("€ 1.234.567,89", places=2, language="nl")
    Decimal('1234567.89')
    >>> parse_decimal("1.250", places=2, language="nl")
    Decimal('1250')
    >>> parse_decimal("12.5", places=2, language="nl")
    Decimal('12.5')
    >>> parse_decimal("1,250.5", places=2, language="en")
    Decimal('1250.5')
    """
    language = language or lang()
    point, group = (",", ".") if language == "nl" else (".", ",")
    raw = re.sub(r"[\s\u00a0€]", "", text).replace("−", "-")
    sign, body = ("-", raw[1:]) if raw.startswith("-") else ("", raw)
    if language == "nl" and "," not in body and re.fullmatch(r"\d+\.\d{1,2}", body):
        point, group = ".", ","  # 12.5 or 1234.56: unambiguous, a decimal point
    whole, _sep, fraction = body.rpartition(point) if point in body else (body, "", "")
    if not re.fullmatch(r"\d+|[1-9]\d{0,2}(?:" + re.escape(group) + r"\d{3})+", whole or "x"):
        raise ValueError(text)
    if _sep and not re.fullmatch(r"\d+", fraction):
        raise ValueError(text)
    if len(fraction) > places:
        raise ValueError(text)
    try:
        return Decimal(sign + whole.replace(group, "") + ("." + fraction if fraction else ""))
    except InvalidOperation as error:
        raise ValueError(text) from error


def decimal_text(value: Decimal | None, *, language: str | None = None) -> str:
    """A Decimal as an input shows it: no thousands separator, no trailing zeros beyond
    the cents, the reader's decimal sign (``1234,5``)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") if len(text.split(".")[1]) > 2 else text
    return text.replace(".", ",") if (language or lang()) == "nl" else text


class DecimalField(forms.Field):
    """An exact number in the reader's notation; ``places`` decimals at most."""

    widget = forms.TextInput
    max_length = 40

    def __init__(self, *, places: int = 2, euro: bool = False, **kwargs):
        self.places, self.euro = places, euro
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": str(self.max_length)})

    def prepare_value(self, value):
        return decimal_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            if len(text) > self.max_length:
                raise ValueError(text)
            return parse_decimal(text, places=self.places)
        except ValueError:
            example = "1.234,56" if lang() == "nl" else "1,234.56"
            if self.euro:
                message = _("Expected an amount in euros such as %(example)s, with at most "
                            "two decimals; found %(found)s.")
            else:
                message = _("Expected a number such as %(example)s, with at most "
                            "%(places)s decimals; found %(found)s.")
            raise ValidationError(message % {"example": example, "places": self.places,
                                             "found": text}, code="invalid") from None


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_RANGE[0])
        kwargs.setdefault("max_value", YEAR_RANGE[1])
        kwargs.setdefault("error_messages", {"invalid": _lazy("Expected a year such as 2026.")})
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def organisation_choices(ids=None, *, blank: str | None = None) -> list[tuple[str, str]]:
    organisations = Organisation.objects.order_by("name")
    if ids is not None:
        organisations = organisations.filter(pk__in=ids)
    choices = [(str(o.pk), o.name) for o in organisations]
    return ([("", blank)] if blank is not None else []) + choices


def theme_choices() -> list[tuple[str, str]]:
    index = 1 if lang() == "en" else 0
    return [(key, names[index]) for key, names in THEMES.items()]


def theme_label(key: str) -> str:
    names = THEMES.get(key)
    return names[1 if lang() == "en" else 0] if names else key


def _organisation(pk: str | None) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first() if pk else None


class VersionedForm(forms.Form):
    """A form over a row with a ``version``: the version read travels with the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# -- the register -----------------------------------------------------------------------

class ActivityForm(forms.Form):
    code = forms.SlugField(label=_lazy("Code"), max_length=60, help_text=_lazy(
        "A short, stable key of letters, digits and hyphens, such as rijke-schooldag."))
    title = forms.CharField(label=_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=_lazy("Kind"), choices=Activity.Kind.choices)
    parent = forms.ChoiceField(label=_lazy("Part of"), required=False)
    owner = forms.ChoiceField(label=_lazy("Owner organisation"))
    status = forms.ChoiceField(label=_lazy("Status"), choices=Activity.Status.choices,
                               initial="planned")
    start = forms.DateField(label=_lazy("Start"), required=False, widget=DateInput)
    end = forms.DateField(label=_lazy("End"), required=False, widget=DateInput)
    description = forms.CharField(label=_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    area_codes = forms.CharField(
        label=_lazy("Areas"), required=False, max_length=4000,
        help_text=_lazy("CBS codes separated by commas, such as BU00140402, WK001404."))
    area_set_slugs = forms.MultipleChoiceField(
        label=_lazy("Programme areas (area sets)"), required=False,
        widget=forms.CheckboxSelectMultiple)
    themes = forms.MultipleChoiceField(label=_lazy("Themes"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    links = forms.CharField(
        label=_lazy("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("One link a line: a title, a vertical bar and the address, such as "
                        "Plan van aanpak | https://example.org/plan.pdf"))
    evidence_level = forms.ChoiceField(label=_lazy("Evidence level"),
                                       choices=Activity.Evidence.choices, initial="not_rated")
    evidence_databank = forms.ChoiceField(label=_lazy("Databank"), required=False,
                                          choices=Activity.Databank.choices)
    evidence_url = forms.URLField(label=_lazy("Entry in the databank"), required=False,
                                  assume_scheme="https")
    weight = DecimalField(label=_lazy("Weight in the roll-up"), places=3, required=False,
                          help_text=_lazy("Relative weight in the progress of the activity "
                                          "it is part of; empty counts as 1."))
    public = forms.BooleanField(label=_lazy("Public: shown to everyone"), required=False)

    def __init__(self, *args, owner_ids=None, parents=(), may_mark_public=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = organisation_choices(owner_ids, blank="")
        self.fields["parent"].choices = [("", _("— none: a programme at the top —"))] + [
            (a.code, f"{'· ' * depth}{a.title} ({a.code})") for a, depth in parents]
        self.fields["area_set_slugs"].choices = [
            (s.slug, s.name) for s in area_selectors.area_set_list()]
        if not self.fields["area_set_slugs"].choices:
            self.fields["area_set_slugs"].help_text = _("No programme areas are defined yet.")
        self.fields["themes"].choices = theme_choices()
        if not may_mark_public:
            self.fields["public"].disabled = True
            self.fields["public"].help_text = _(
                "Only programme staff of a municipality mark an activity public.")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise ValidationError(_("The code %(code)s is the name of a page of the register; "
                                    "choose another.") % {"code": code})
        return code

    def clean_area_codes(self):
        raw = self.cleaned_data["area_codes"]
        return [c.strip().upper() for c in re.split(r"[\s,;]+", raw) if c.strip()]

    def clean_links(self):
        links = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            if not line.strip():
                continue
            title, _bar, url = line.rpartition("|") if "|" in line else ("", "", line)
            url = url.strip()
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(_("Line %(n)s: expected a title, a vertical bar and an "
                                        "address starting with https://; found %(found)s.")
                                      % {"n": number, "found": line.strip()}) from None
            links.append({"title": title.strip() or url, "url": url})
        return links

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = _organisation(data["owner"])
        data["parent"] = (Activity.objects.filter(code=data["parent"]).first()
                          if data["parent"] else None)
        data["area_set_slugs"] = list(data["area_set_slugs"])
        data["themes"] = list(data["themes"])
        if self.fields["public"].disabled:
            data.pop("public")
        return data

    @staticmethod
    def initial_from(activity: Activity) -> dict:
        return {
            "code": activity.code, "title": activity.title, "kind": activity.kind,
            "parent": activity.parent.code if activity.parent_id else "",
            "owner": str(activity.owner_id), "status": activity.status,
            "start": activity.start, "end": activity.end, "description": activity.description,
            "area_codes": ", ".join(a.code for a in activity.areas.order_by("code")),
            "area_set_slugs": [s.slug for s in activity.area_sets.all()],
            "themes": list(activity.themes),
            "links": "\n".join(f"{link.get('title', '')} | {link.get('url', '')}"
                               for link in activity.links),
            "evidence_level": activity.evidence_level,
            "evidence_databank": activity.evidence_databank,
            "evidence_url": activity.evidence_url, "weight": activity.weight,
            "public": activity.public, "version": activity.version,
        }


class ActivityEditForm(ActivityForm, VersionedForm):
    pass


class PartnerForm(forms.Form):
    organisation = forms.ChoiceField(label=_lazy("Organisation"))
    role = forms.ChoiceField(label=_lazy("Role"), choices=ActivityPartner.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(blank="")

    def service_arguments(self) -> dict:
        return {"organisation": _organisation(self.cleaned_data["organisation"]),
                "role": self.cleaned_data["role"]}


class ResultIndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Kind"), choices=ResultIndicator.Kind.choices,
                             help_text=_lazy("Outcome: an indicator of the neighbourhood "
                                             "figures; output: what the activity itself "
                                             "delivers, such as pupils reached."))
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    indicator_code = forms.ChoiceField(label=_lazy("Indicator in the registry"),
                                       required=False,
                                       help_text=_lazy("Required for an outcome."))
    unit = forms.CharField(label=_lazy("Unit"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_lazy("Direction"),
                                  choices=ResultIndicator.Direction.choices)
    baseline_period = forms.CharField(label=_lazy("Baseline period"), max_length=7,
                                      required=False,
                                      help_text=_lazy("A year (2024) or quarter (2024-Q1)."))
    baseline_value = DecimalField(label=_lazy("Baseline"), places=4, required=False)
    weight = DecimalField(label=_lazy("Weight in the roll-up"), places=3, required=False)
    order = forms.IntegerField(label=_lazy("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        english = lang() == "en"
        known = {spec.code: spec for spec in catalogue.BY_CODE.values()}
        known.update({i.code: i for i in indicator_selectors.indicator_list()})
        self.fields["indicator_code"].choices = [("", "—")] + sorted(
            ((code, f"{(i.name_en or i.name_nl) if english else i.name_nl} ({code})")
             for code, i in known.items()), key=lambda choice: choice[1].lower())

    @staticmethod
    def initial_from(result: ResultIndicator) -> dict:
        return {name: getattr(result, name) for name in (
            "kind", "name", "indicator_code", "unit", "direction", "baseline_period",
            "baseline_value", "weight", "order")}


class ResultPeriodForm(forms.Form):
    period = forms.CharField(label=_lazy("Period"), max_length=7,
                             help_text=_lazy("A year (2026) or quarter (2026-Q1)."))
    target = DecimalField(label=_lazy("Target"), places=4, required=False)


class ResultUpdateForm(forms.Form):
    period = forms.ChoiceField(label=_lazy("Result and period"))
    organisation = forms.ChoiceField(label=_lazy("Reporting organisation"))
    value = DecimalField(label=_lazy("Actual value"), places=4)
    narrative = forms.CharField(label=_lazy("Explanation"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, periods=(), organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {str(p.pk): p for p in periods}
        self.fields["period"].choices = [("", "")] + [
            (str(p.pk), f"{p.result.name} — {p.period}") for p in periods]
        self.fields["organisation"].choices = organisation_choices(organisation_ids)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"period": self.periods[data["period"]],
                "organisation": _organisation(data["organisation"]),
                "value": data["value"], "narrative": data["narrative"]}


class ResultUpdateEditForm(VersionedForm):
    value = DecimalField(label=_lazy("Actual value"), places=4)
    narrative = forms.CharField(label=_lazy("Explanation"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_lazy("Comment for the partner"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Required when you return the update: say what should change."))


# -- money ------------------------------------------------------------------------------

class FundingSourceForm(forms.Form):
    code = forms.SlugField(label=_lazy("Code"), max_length=60)
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=_lazy("Kind"), choices=FundingSource.Kind.choices)
    funder = forms.ChoiceField(label=_lazy("Funder"), required=False)
    start_year = YearField(label=_lazy("First year"))
    end_year = YearField(label=_lazy("Last year"), required=False, help_text=_lazy(
        "Empty for a structural source; a temporary source ends in this year."))
    conditions = forms.CharField(label=_lazy("Conditions"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = organisation_choices(blank="—")

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["funder"] = _organisation(data["funder"])
        return data

    @staticmethod
    def initial_from(source: FundingSource) -> dict:
        return {"code": source.code, "name": source.name, "kind": source.kind,
                "funder": str(source.funder_id or ""), "start_year": source.start_year,
                "end_year": source.end_year, "conditions": source.conditions,
                "version": source.version}


class FundingSourceEditForm(FundingSourceForm, VersionedForm):
    pass


class AllocationForm(forms.Form):
    year = YearField(label=_lazy("Year"))
    amount = DecimalField(label=_lazy("Secured amount (EUR)"), euro=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class BudgetLineForm(forms.Form):
    source = forms.ChoiceField(label=_lazy("Funding source"))
    year = YearField(label=_lazy("Year"))
    planned = DecimalField(label=_lazy("Planned (EUR)"), euro=True)
    committed = DecimalField(label=_lazy("Committed (EUR)"), euro=True, required=False)
    spent = DecimalField(label=_lazy("Spent (EUR)"), euro=True, required=False)
    note = forms.CharField(label=_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {s.code: s for s in sources}
        self.fields["source"].choices = [("", "")] + [
            (s.code, f"{s.name} ({s.code})") for s in sources]

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["source"] = self.sources[data["source"]]
        for name in ("committed", "spent"):
            data[name] = data[name] if data[name] is not None else Decimal("0")
        return data

    @staticmethod
    def initial_from(line) -> dict:
        return {"source": line.source.code, "year": line.year, "planned": line.planned,
                "committed": line.committed, "spent": line.spent, "note": line.note,
                "version": line.version}


class BudgetLineEditForm(BudgetLineForm, VersionedForm):
    pass


class CoverageFilterForm(forms.Form):
    van = YearField(label=_lazy("From year"), required=False)
    tot = YearField(label=_lazy("To year"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("Expected a year from %(first)s on; found %(found)s.")
                           % {"first": data["van"], "found": data["tot"]})
        return data


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(label=_lazy("Status"), required=False)
    theme = forms.ChoiceField(label=_lazy("Theme"), required=False)
    owner = forms.ChoiceField(label=_lazy("Owner"), required=False)
    area = forms.CharField(label=_lazy("Area (code or area set)"), required=False,
                           max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = _("all")
        self.fields["status"].choices = [("", everything), *Activity.Status.choices]
        self.fields["theme"].choices = [("", everything), *theme_choices()]
        self.fields["owner"].choices = [("", everything)] + [
            (o.slug, o.name) for o in Organisation.objects.filter(
                owned_activities__isnull=False).distinct().order_by("name")]


def show_error(form: forms.Form, error) -> None:
    """A service's :class:`~wijkbalans.programmes.errors.ProgrammeError` at its field."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)
