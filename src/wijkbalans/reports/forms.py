"""The forms of the report pages. They collect input; what is valid is decided by the
services (:func:`~.services.report_request`, :func:`~.services.narrative_save`), whose
errors are shown at the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbalans.areas import selectors as area_selectors

from .models import LANGUAGES


class ReportForm(forms.Form):
    area_set = forms.ChoiceField(label=_("Programme area (area set)"))
    period = forms.CharField(
        label=_("Period"), max_length=7,
        help_text=_("A year such as 2024, or a quarter such as 2024-Q2. The report shows "
                    "the figures up to the end of this period."))
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="nl")
    date = forms.DateField(
        label=_("Date on the report"), required=False,
        help_text=_("Written as YYYY-MM-DD; empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_set"].choices = [(s.slug, s.name)
                                           for s in area_selectors.area_set_list()]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; an empty line starts a new paragraph. Leave empty for no "
                    "explanation in this section."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
