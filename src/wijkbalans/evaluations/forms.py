"""The form that defines an evaluation. It only collects input; what is valid is decided
by :func:`~.services.evaluation_create`, whose errors are shown at the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbalans.areas import selectors as area_selectors
from wijkbalans.indicators import selectors as indicator_selectors

from .models import Evaluation
from .presentation import lang


class EvaluationForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200,
        help_text=_("Leave empty for a title made from the choices below."))
    area_set = forms.ChoiceField(label=_("Programme area (area set)"))
    outcome = forms.ChoiceField(label=_("Outcome indicator"))
    start_period = forms.CharField(
        label=_("First period with the programme"), max_length=7,
        help_text=_("For example 2019. Periods before it are compared, periods from it on "
                    "are evaluated."))
    method = forms.ChoiceField(
        label=_("Method"), choices=Evaluation.Method.choices, initial="sdid",
        help_text=_("Synthetic difference-in-differences suits one to twenty treated "
                    "areas; synthetic control one area with a long history; "
                    "difference-in-differences many areas with parallel trends."))
    donor_exclude_area_sets = forms.MultipleChoiceField(
        label=_("Leave out the areas of these area sets (a similar programme)"),
        required=False, widget=forms.CheckboxSelectMultiple)
    donor_exclude = forms.CharField(
        label=_("Leave out these areas"), required=False,
        help_text=_("Buurtcodes separated by commas, e.g. areas with a known shock."))
    donor_exclude_own_municipality = forms.BooleanField(
        label=_("Leave out the treated areas' own municipality"), required=False)
    donor_municipalities = forms.CharField(
        label=_("Compare only with areas in these municipalities"), required=False,
        help_text=_("Gemeentecodes separated by commas (GM0014); empty means all."))
    first_period = forms.CharField(label=_("First period to use"), required=False,
                                   max_length=7)
    last_period = forms.CharField(label=_("Last period to use"), required=False, max_length=7)
    placebo_reps = forms.IntegerField(label=_("Placebo replications"), initial=200,
                                      min_value=20, max_value=5000)
    seed = forms.IntegerField(label=_("Random seed"), initial=0, min_value=0,
                              max_value=2**32 - 1)
    activity_ref = forms.CharField(
        label=_("Activity in the programme register"), required=False, max_length=200,
        help_text=_("Optional: the activity this evaluation is about."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sets = [(s.slug, s.name) for s in area_selectors.area_set_list()]
        self.fields["area_set"].choices = sets
        self.fields["donor_exclude_area_sets"].choices = sets
        english = lang() == "en"
        self.fields["outcome"].choices = [
            (i.code, (i.name_en or i.name_nl) if english else i.name_nl)
            for i in indicator_selectors.indicators_with_data(level="buurt")]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["donor_exclude_area_sets"] = list(data["donor_exclude_area_sets"])
        return data
