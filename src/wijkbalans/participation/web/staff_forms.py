"""The forms of the staff pages (``/meedoen/beheer/``): consultations, budget rounds and
their projects. As on the residents' pages, the forms collect input and say what is
missing or malformed; the services decide what is valid, and their refusals are shown at
the field they name (``common.show_error``). Field names are the services' argument
names.

- *Areas* are typed as a CBS code (``BU09990000``) or a name (``Oosterpark``); a name that
  fits several areas is refused with their codes. Or an area set is chosen.
- *Moments* are a date and a time (``2026-03-01 09:00``; the browser's date-time picker
  sends ``2026-03-01T09:00``; ``1-3-2026 09:00`` is read too), in the site's time zone.
- *Amounts* are typed as people write them (``50.000,00``, ``50000``; ``50,000.00`` on
  English pages), by the register's :class:`~wijkbalans.programmes.web.forms.DecimalField`;
  an amount with both a point and a comma is read in either notation (:class:`EuroField`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.programmes.web.forms import DecimalField, YearField, parse_decimal

PLACE_LEVELS = (area_codes.BUURT, area_codes.WIJK, area_codes.GEMEENTE)
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y"]
NAME_MATCHES = 8  # areas named in a refusal
# Whole numbers in a text input: a number input drops what is not a number, and the
# message would not show what was typed.
WHOLE_NUMBER = {"inputmode": "numeric", "size": "6"}


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _moment(label, required_message):
    return forms.DateTimeField(
        label=label, input_formats=MOMENT_FORMATS, widget=MomentInput(),
        help_text=_lazy("A date and a time, such as 2026-03-01 09:00."),
        error_messages={"required": required_message,
                        "invalid": _lazy("Expected a date and a time, such as 2026-03-01 "
                                         "09:00.")})


class EuroField(DecimalField):
    """An amount in euros in the page's notation; one with both a point and a comma is
    unambiguous (the last of the two separates the cents), so ``50.000,00`` is read on
    English pages too, and ``50,000.00`` on Dutch ones."""

    def __init__(self, **kwargs):
        super().__init__(places=2, euro=True, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if "," in text and "." in text and len(text) <= self.max_length:
            language = "nl" if text.rfind(",") > text.rfind(".") else "en"
            try:
                return parse_decimal(text, places=2, language=language)
            except ValueError:
                pass  # the page's notation says what was expected
        return super().to_python(value)


def _text(label, *, rows: int, required_message="", help_text=""):
    return forms.CharField(label=label, required=bool(required_message), help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": required_message})


def _level_name(level: str) -> str:
    return {area_codes.BUURT: _("buurt"), area_codes.WIJK: _("wijk"),
            area_codes.GEMEENTE: _("municipality")}[level]


def area_code_of(text: str) -> str:
    """The code of the buurt, wijk or municipality typed as a code or a name; a
    :class:`ValidationError` naming the problem (and the candidates) otherwise."""
    typed = " ".join(str(text or "").split())
    if not typed:
        return ""
    rows = list(area_selectors.area_search(q=typed).filter(level__in=PLACE_LEVELS)
                .values_list("code", "name", "level")[:200])
    by_code = [r for r in rows if r[0] == area_codes.normalise(typed)]
    if by_code:
        return by_code[0][0]
    named = [r for r in rows if r[1].casefold() == typed.casefold()] or (rows if len(rows) == 1
                                                                       else [])
    if len(named) == 1:
        return named[0][0]
    listed = named or rows
    if not listed:
        raise ValidationError(
            _("Expected the code or the name of a buurt, wijk or municipality, such as "
              "BU00140000 or Oosterpark; no area matches “%(typed)s”.") % {"typed": typed},
            code="unknown")
    candidates = ", ".join(f"{name} ({_level_name(level)} {code})"
                           for code, name, level in listed[:NAME_MATCHES])
    more = "" if len(listed) <= NAME_MATCHES else " …"
    raise ValidationError(
        _("“%(typed)s” fits several areas: %(candidates)s. Type the code of the one you "
          "mean.") % {"typed": typed, "candidates": candidates + more}, code="ambiguous")


class PlaceForm(forms.Form):
    """The area (by code or name) or the area set an item is about."""

    area = forms.CharField(
        label=_lazy("Area"), required=False, max_length=200,
        help_text=_lazy("The code or the name of a buurt, wijk or municipality, such as "
                        "BU00140000 or Oosterpark. Or choose a programme area below."))
    area_set = forms.ChoiceField(
        label=_lazy("Or a programme area (area set)"), required=False,
        error_messages={"invalid_choice": _lazy("Choose one of the programme areas in the "
                                                "list.")})

    def __init__(self, *args, with_place: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_place:
            self.fields["area_set"].choices = [("", "—")] + [
                (s.slug, s.name) for s in area_selectors.area_set_list()]
        else:  # the place of an item does not change once it exists
            del self.fields["area"], self.fields["area_set"]

    def clean_area(self) -> str:
        return area_code_of(self.cleaned_data.get("area", ""))

    def place_arguments(self) -> dict:
        return {"area_code": self.cleaned_data["area"],
                "area_set_slug": self.cleaned_data["area_set"]}


def _activity_choices(activities) -> list[tuple[str, str]]:
    return [(a.code, f"{'· ' * depth}{a.title} ({a.code})") for a, depth in activities]


class ConsultationForm(PlaceForm):
    field_order = ["title", "area", "area_set", "text", "opens", "closes", "activity",
                   "publish"]
    title = forms.CharField(label=_lazy("Title"),
                            help_text=_lazy("Short and in plain words (at most 200 "
                                            "characters)."),
                            error_messages={"required": _lazy("Give the consultation a "
                                                              "title.")})
    text = _text(_lazy("The question or plan"), rows=10,
                 help_text=_lazy("What residents are asked, and what is already decided. "
                                 "In plain words (B1)."),
                 required_message=_lazy("Describe the question or the plan."))
    opens = _moment(_lazy("Open for comments from"),
                    _lazy("Fill in when residents may start to comment."))
    closes = _moment(_lazy("Open for comments until"),
                     _lazy("Fill in when commenting closes."))
    activity = forms.ChoiceField(
        label=_lazy("Activity in the programme register"), required=False,
        help_text=_lazy("The activity the plan belongs to, if any."),
        error_messages={"invalid_choice": _lazy("Choose one of the activities in the "
                                                "list.")})
    publish = forms.BooleanField(
        label=_lazy("Publish: residents see it"), required=False,
        help_text=_lazy("Without it, the consultation stays a draft only staff see."))

    def __init__(self, *args, activities=(), with_publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {a.code: a for a, _depth in activities}
        self.fields["activity"].choices = [("", _("none"))] + _activity_choices(activities)
        if not with_publish:
            del self.fields["publish"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "text": data["text"], "opens": data["opens"],
                "closes": data["closes"], "activity": self.activities.get(data["activity"])}


class BudgetRoundForm(PlaceForm):
    field_order = ["title", "area", "area_set", "description", "total_budget", "max_projects",
                   "opens", "closes", "year", "programme", "source"]
    title = forms.CharField(label=_lazy("Title"),
                            help_text=_lazy("Such as Wijkbudget Noord 2026 (at most 200 "
                                            "characters)."),
                            error_messages={"required": _lazy("Give the round a title.")})
    description = _text(_lazy("Description"), rows=6,
                        help_text=_lazy("What residents choose, and what happens with the "
                                        "result. In plain words (B1)."))
    total_budget = EuroField(
        label=_lazy("Budget in euros"),
        help_text=_lazy("Such as 50.000,00 (on English pages 50,000.00)."),
        error_messages={"required": _lazy("Fill in the budget, such as 50.000,00.")})
    opens = _moment(_lazy("Voting opens"), _lazy("Fill in when voting opens."))
    closes = _moment(_lazy("Voting closes"), _lazy("Fill in when voting closes."))
    year = YearField(label=_lazy("Budget year"), widget=forms.TextInput(attrs=WHOLE_NUMBER),
                     help_text=_lazy("The year of the budget lines of the winning projects."),
                     error_messages={"required": _lazy("Fill in a year such as 2026."),
                                     "invalid": _lazy("Expected a year such as 2026."),
                                     "min_value": _lazy("Expected a year such as 2026."),
                                     "max_value": _lazy("Expected a year such as 2026.")})
    programme = forms.ChoiceField(
        label=_lazy("Programme of the winning projects"),
        help_text=_lazy("The winning projects become activities under this programme. You "
                        "see the programmes whose owner you work for."),
        error_messages={"required": _lazy("Choose the programme."),
                        "invalid_choice": _lazy("Choose one of the programmes in the "
                                                "list.")})
    source = forms.ChoiceField(
        label=_lazy("Funding source"),
        help_text=_lazy("Pays the winning projects: each gets a budget line on it."),
        error_messages={"required": _lazy("Choose the funding source."),
                        "invalid_choice": _lazy("Choose one of the funding sources in the "
                                                "list.")})
    max_projects = forms.IntegerField(
        label=_lazy("Most projects per vote (optional)"), required=False, min_value=1,
        max_value=1000, widget=forms.TextInput(attrs=WHOLE_NUMBER),
        help_text=_lazy("Empty: as many as fit within the budget."),
        error_messages={"invalid": _lazy("Expected a whole number from 1, or nothing."),
                        "min_value": _lazy("Expected a whole number from 1, or nothing."),
                        "max_value": _lazy("Expected at most 1000.")})

    def __init__(self, *args, programmes=(), sources=(), with_place: bool = True, **kwargs):
        super().__init__(*args, with_place=with_place, **kwargs)
        self.programmes = {p.code: p for p in programmes}
        self.sources = {s.code: s for s in sources}
        if with_place:
            self.fields["programme"].choices = [("", "—")] + [
                (p.code, f"{p.title} ({p.code})") for p in programmes]
        else:  # the programme, like the area, is fixed once the round exists
            del self.fields["programme"]
        self.fields["source"].choices = [("", "—")] + [
            (s.code, f"{s.name} ({s.start_year}–{s.end_year or '…'})") for s in sources]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "description": data["description"],
                "total_budget": data["total_budget"], "opens": data["opens"],
                "closes": data["closes"], "year": data["year"],
                "source": self.sources[data["source"]], "max_projects": data["max_projects"]}


class ProjectForm(forms.Form):
    title = forms.CharField(label=_lazy("Project title"),
                            help_text=_lazy("At most 200 characters."),
                            error_messages={"required": _lazy("Give the project a title.")})
    description = _text(_lazy("What the project does"), rows=4,
                        help_text=_lazy("Residents read this on the ballot."))
    cost = EuroField(label=_lazy("Cost in euros"),
                        help_text=_lazy("Such as 6.000,00; at most the whole budget."),
                        error_messages={"required": _lazy("Fill in the cost, such as "
                                                          "6.000,00.")})
    proposal = forms.ChoiceField(
        label=_lazy("From a residents' proposal (optional)"), required=False,
        help_text=_lazy("When the project comes from a proposal, the proposal's page shows "
                        "the result of the vote."),
        error_messages={"invalid_choice": _lazy("Choose one of the proposals in the list.")})

    def __init__(self, *args, proposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposals is None:  # a project's proposal does not change once it exists
            del self.fields["proposal"]
            self.proposals = {}
        else:
            self.proposals = {str(p.pk): p for p in proposals}
            self.fields["proposal"].choices = [("", _("none"))] + [
                (str(p.pk), f"{p.title} ({p.get_status_display()})") for p in proposals]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"title": data["title"], "description": data["description"],
                     "cost": data["cost"]}
        if "proposal" in self.fields:
            arguments["proposal"] = self.proposals.get(data["proposal"])
        return arguments
