"""The touchstone's forms. They collect and parse input; what is valid is decided by the
services (:mod:`wijkbalans.touchstone.services`), whose errors are shown at the field
they name (:func:`.common.show_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.analysis import touchstone as rules
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.programmes import selectors as programme_selectors

from ..context import DEFAULT_TARGET_GROUP
from ..criteria.base import CRITERION_LABELS, CRITERION_QUESTIONS, RATING_LABELS
from ..models import Decision
from ..scorecard import ARGUABLE, NOTE_LIMIT
from ..services import LABEL_LIMIT, REASON_LIMIT
from .common import day, lang

POPULATION_THEME = "population"


def population_choices() -> list[tuple[str, str]]:
    """The population counts of the registry (theme population, summed over areas): the
    target groups an assessor can choose, ``inwoners`` first."""
    found = [i for i in indicator_selectors.indicator_list(theme=POPULATION_THEME)
             if i.aggregation == "sum"]
    found.sort(key=lambda i: (i.code != DEFAULT_TARGET_GROUP, i.code))
    english = lang() == "en"
    choices = [(i.code, f"{(i.name_en or i.name_nl) if english else i.name_nl} ({i.code})")
               for i in found]
    if not any(code == DEFAULT_TARGET_GROUP for code, _label in choices):
        choices.insert(0, (DEFAULT_TARGET_GROUP, DEFAULT_TARGET_GROUP))
    return choices


def output_choices(activity) -> list[tuple[str, str]]:
    outputs = [r.name for r in programme_selectors.activity_results(activity=activity)
               if r.kind == "output"]
    return [("", _("the first output indicator with a target")),
            *[(name, name) for name in outputs]]


class InputsForm(forms.Form):
    """What the live scorecard is computed with (GET, the same names as the API)."""

    target_group = forms.ChoiceField(
        label=_lazy("Target group"), required=False,
        help_text=_lazy("The population count that reach is a share of."))
    reach_result = forms.ChoiceField(label=_lazy("Output that counts reach"),
                                     required=False)

    def __init__(self, data=None, *, activity, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["target_group"].choices = population_choices()
        self.fields["reach_result"].choices = output_choices(activity)

    def inputs(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"target_group_indicator": data.get("target_group") or DEFAULT_TARGET_GROUP,
                "reach_result": data.get("reach_result") or ""}


class AssessmentForm(forms.Form):
    """Store the scorecard shown as an assessment: a label, a note per criterion, and a
    rating argued in words where the data say unknown. The target group and the output
    are those the scorecard was computed with."""

    label = forms.CharField(
        label=_lazy("Name of this alternative"), required=False, max_length=LABEL_LIMIT,
        help_text=_lazy("Optional, e.g. 'variant A: two schools'."))
    target_group_indicator = forms.CharField(required=False, widget=forms.HiddenInput)
    reach_result = forms.CharField(required=False, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("no rating: the data say unknown")),
                   *[(r, str(RATING_LABELS[r])) for r in ARGUABLE]]
        for key in rules.CRITERIA:
            name = str(CRITERION_LABELS[key])
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": name.lower()},
                required=False, max_length=NOTE_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=str(CRITERION_QUESTIONS[key]))
            self.fields[f"argued_{key}"] = forms.ChoiceField(
                label=_("Your rating of %(criterion)s, argued in the note")
                % {"criterion": name.lower()}, required=False, choices=choices)

    def criterion_fields(self, unknown: set[str]) -> list[dict]:
        """Per criterion its note, and its argued rating where the data say unknown (or
        where one was sent)."""
        out = []
        for key in rules.CRITERIA:
            argued = self[f"argued_{key}"]
            show = key in unknown or bool(argued.value()) or bool(argued.errors)
            out.append({"key": key, "label": str(CRITERION_LABELS[key]),
                        "note": self[f"note_{key}"], "argued": argued if show else None})
        return out

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "label": data.get("label") or "",
            "expected_version": data.get("expected_version"),
            "inputs": {
                "target_group_indicator": data.get("target_group_indicator") or "",
                "reach_result": data.get("reach_result") or "",
                "notes": {k: data[f"note_{k}"] for k in rules.CRITERIA
                          if data.get(f"note_{k}")},
                "argued_ratings": {k: data[f"argued_{k}"] for k in rules.CRITERIA
                                   if data.get(f"argued_{k}")},
            },
        }


class DecisionForm(forms.Form):
    """Go, adjust or stop on one of the plan's current assessments, with the reason."""

    assessment = forms.TypedChoiceField(label=_lazy("Assessment"), coerce=int)
    decision = forms.ChoiceField(
        label=_lazy("Decision"), widget=forms.RadioSelect,
        choices=[(Decision.Choice.GO, _lazy("Go: carry out the plan as assessed")),
                 (Decision.Choice.ADJUST, _lazy("Adjust: change the plan, then assess it "
                                                "again")),
                 (Decision.Choice.STOP, _lazy("Stop: do not carry out the plan"))],
        error_messages={"required": _lazy("Choose go, adjust or stop."),
                        "invalid_choice": _lazy("Expected go, adjust or stop; found "
                                                "%(value)s.")})
    reason = forms.CharField(
        label=_lazy("Reason"), max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy("Why this decision: it is shown with the assessment."),
        error_messages={"required": _lazy("Give the reason for the decision.")})

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [(a.pk, assessment_name(a)) for a in assessments]
        self.fields["assessment"].error_messages["invalid_choice"] = _(
            "Expected one of the plan's current assessments; found %(value)s.")
        if assessments and not self.is_bound:
            self.initial.setdefault("assessment", assessments[0].pk)


def assessment_name(assessment) -> str:
    """``#12 variant A (28 november 2026, version 3)``."""
    label = f" {assessment.label}" if assessment.label else ""
    return _("#%(id)s%(label)s (%(day)s, version %(version)s)") % {
        "id": assessment.pk, "label": label, "day": day(assessment.created_at),
        "version": assessment.activity_version}
