"""The forms of the concern pages. They collect and parse input and say, at the field,
what was expected; what may be stored is decided by the services
(:mod:`wijkbalans.concerns.services`), whose errors are shown at the field they name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.areas import codes
from wijkbalans.areas.models import Area

from .. import periods, selectors
from ..models import STATUS_ORDER, Outcome, Severity, Sign, Status, Theme
from ..services import MAX_TEXT, MAX_WEEKS_BACK
from . import common

#: A line under each theme of the form: what belongs to it.
THEME_HINTS = {
    Theme.UNDERMINING: _lazy("For example recruitment of young people, drug dealing, money "
                             "mules or a suspicious business."),
    Theme.POVERTY_DEBTS: _lazy("For example unpaid bills, cut-off energy, children without "
                               "breakfast."),
    Theme.PSYCHOLOGICAL: _lazy("For example confused behaviour, someone who withdraws or "
                               "talks about not wanting to live."),
    Theme.LONELINESS: _lazy("For example people who are hardly ever seen any more."),
    Theme.HOUSING: _lazy("For example mould, damp, overcrowding or poor maintenance."),
    Theme.YOUTH: _lazy("For example truancy, new older friends, young people out late."),
    Theme.OTHER: _lazy("Something else that worries you about the neighbourhood."),
}


def buurt_choices(gemeente: str) -> list:
    """The gemeente's buurten as choices, grouped by wijk (optgroups), by name."""
    buurten = selectors.gemeente_buurten(gemeente=gemeente)
    wijk_codes = {codes.parent_of(code) for code, _name in buurten}
    wijken = dict(Area.objects.filter(code__in=wijk_codes).values_list("code", "name"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name in buurten:
        groups.setdefault(codes.parent_of(code) or "", []).append((code, name))
    out: list = [("", _("Choose a buurt"))]
    for wijk in sorted(groups, key=lambda w: (wijken.get(w, w) or "").casefold()):
        options = sorted(groups[wijk], key=lambda o: o[1].casefold())
        out.append((wijken.get(wijk, wijk), options))
    return out


class ConcernForm(forms.Form):
    organisation = forms.ChoiceField(
        label=_lazy("You report for"),
        error_messages={"required": _lazy("Choose the organisation you report for."),
                        "invalid_choice": _lazy("Choose one of your own organisations.")})
    theme = forms.ChoiceField(
        label=_lazy("What is it about?"), choices=Theme.choices, widget=forms.RadioSelect,
        error_messages={"required": _lazy("Choose a theme."),
                        "invalid_choice": _lazy("Choose one of the themes in the list.")})
    sign = forms.ChoiceField(
        label=_lazy("What kind of undermining? (optional)"), required=False,
        choices=[("", _lazy("Not applicable or not sure"))] + list(Sign.choices),
        help_text=_lazy("Only for undermining crime."),
        error_messages={"invalid_choice": _lazy("Choose one of the kinds in the list.")})
    buurt = forms.ChoiceField(
        label=_lazy("Neighbourhood (buurt)"), required=False,
        help_text=_lazy("Choose the buurt from the list, or tap it on the map."),
        error_messages={"invalid_choice": _lazy("Choose a buurt from the list.")})
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    week = forms.ChoiceField(
        label=_lazy("Week"),
        help_text=_lazy("The week in which you saw it: this week or one of the 12 weeks "
                        "before."),
        error_messages={"required": _lazy("Choose a week."),
                        "invalid_choice": _lazy("Choose this week or one of the 12 weeks "
                                                "before it.")})
    severity = forms.TypedChoiceField(
        label=_lazy("How serious is it?"), coerce=int, choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _lazy("Choose low, medium or high."),
                        "invalid_choice": _lazy("Choose low, medium or high.")})
    text = forms.CharField(
        label=_lazy("What did you see? (optional)"), required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        error_messages={"max_length": _lazy("Use at most %(limit_value)d characters "
                                            "(this text has %(show_value)d).")})

    def __init__(self, *args, organisations, gemeente: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        field.choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = str(organisations[0].pk)
            field.required = False  # the one organisation, whether posted or not
        self.fields["buurt"].choices = buurt_choices(gemeente)
        self.fields["week"].choices = common.week_choices(weeks_back=MAX_WEEKS_BACK)
        self.fields["week"].initial = common.this_week()

    def clean(self):
        data = super().clean()
        point = data.get("lon") is not None and data.get("lat") is not None
        if not data.get("buurt") and not point and "buurt" not in self.errors:
            self.add_error("buurt", _("Choose a buurt from the list, or tap it on the map."))
        if data.get("sign") and data.get("theme") and data["theme"] != Theme.UNDERMINING:
            self.add_error("sign", _("A kind of undermining goes only with the theme "
                                     "undermining crime; leave it empty or change the "
                                     "theme."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        where = ({"buurt_code": data["buurt"]} if data.get("buurt")
                 else {"lon": data["lon"], "lat": data["lat"]})
        chosen = data.get("organisation") or next(iter(self.organisations))
        return {"organisation": self.organisations[chosen],
                "theme": data["theme"], "sign": data.get("sign") or "",
                "week": data["week"], "severity": data["severity"],
                "text": data.get("text") or "", **where}

    def single_organisation(self):
        return next(iter(self.organisations.values())) if len(self.organisations) == 1 \
            else None


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_lazy("New status"),
        error_messages={"required": _lazy("Choose the new status."),
                        "invalid_choice": _lazy("Choose a status later than the current "
                                                "one.")})
    outcome = forms.ChoiceField(
        label=_lazy("Outcome (when you close it)"), required=False,
        choices=[("", _lazy("No outcome yet"))] + list(Outcome.choices),
        error_messages={"invalid_choice": _lazy("Choose an outcome from the list.")})

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices
            if STATUS_ORDER[value] > STATUS_ORDER[current]]

    def clean(self):
        data = super().clean()
        status, outcome = data.get("status"), data.get("outcome")
        if status == Status.CLOSED and not outcome:
            self.add_error("outcome", _("Closing needs an outcome: choose one."))
        if status and status != Status.CLOSED and outcome:
            self.add_error("outcome", _("An outcome is given only when you close the "
                                        "follow-up; leave it empty or choose closed."))
        return data


class InboxForm(forms.Form):
    organisatie = forms.ChoiceField(label=_lazy("Organisation"), required=False)
    status = forms.ChoiceField(
        label=_lazy("Status"), required=False,
        choices=[("", _lazy("Every status"))] + list(Status.choices),
        error_messages={"invalid_choice": _lazy("Choose a status from the list.")})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [(o.slug, o.name) for o in organisations]
        self.fields["organisatie"].error_messages["invalid_choice"] = _(
            "Choose one of the organisations you follow up for.")


class KnowledgeForm(forms.Form):
    q = forms.CharField(label=_lazy("Search"), required=False, max_length=100,
                        error_messages={"max_length": _lazy("Use at most %(limit_value)d "
                                                            "characters.")})
    thema = forms.ChoiceField(
        label=_lazy("Theme"), required=False,
        choices=[("", _lazy("Every theme"))] + list(Theme.choices),
        error_messages={"invalid_choice": _lazy("Choose a theme from the list.")})


class OverviewForm(forms.Form):
    """The early-warning page: a gemeente, a range of complete periods of the published
    kind, and the last week of the alerts' window."""

    gemeente = forms.ChoiceField(label=_lazy("Municipality"), required=False)
    van = forms.CharField(label=_lazy("From"), required=False, max_length=8)
    tot = forms.CharField(label=_lazy("To"), required=False, max_length=8)
    week = forms.CharField(label=_lazy("Alerts up to week"), required=False, max_length=8,
                           help_text=_lazy("An ISO week such as 2025-W07; empty: the last "
                                           "complete week."))

    DEFAULT_PERIODS = 8

    def __init__(self, *args, gemeenten, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = selectors.published_period_kind()
        self.latest = selectors.last_complete_period(kind=self.kind)
        self.gemeenten = list(gemeenten)
        self.fields["gemeente"].choices = self.gemeenten
        self.fields["gemeente"].error_messages["invalid_choice"] = _(
            "Choose a municipality from the list.")
        form = periods.FORMS[self.kind][1]
        for name in ("van", "tot"):
            self.fields[name].help_text = _("A period written as %(form)s.") % {"form": form}

    def _period(self, name: str) -> str | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            return periods.check_period(raw.upper(), self.kind)
        except periods.PeriodError:
            self.add_error(name, _("Expected a period written as %(form)s; found "
                                   "%(found)s.") % {"form": periods.FORMS[self.kind][1],
                                                    "found": raw})
            return None

    def clean(self):
        data = super().clean()
        if not data.get("gemeente") and "gemeente" not in self.errors and self.gemeenten:
            data["gemeente"] = self.gemeenten[0][0]
        last = self._period("tot") or self.latest
        if "tot" not in self.errors and last > self.latest:
            self.add_error("tot", _("Only complete periods are shown: %(latest)s or "
                                    "earlier.") % {"latest": self.latest})
        first = self._period("van") or periods.previous(last, self.kind,
                                                       self.DEFAULT_PERIODS - 1)
        if not self.errors:
            try:
                span = periods.periods_between(first, last, self.kind)
            except periods.PeriodError:
                self.add_error("van", _("The first period must come before the last."))
            else:
                if len(span) > selectors.MAX_PERIODS:
                    self.add_error("van", _("At most %(n)d periods at a time.")
                                   % {"n": selectors.MAX_PERIODS})
        week = (data.get("week") or "").strip().upper()
        if week:
            try:
                periods.check_period(week, "week")
            except periods.PeriodError:
                self.add_error("week", _("Expected an ISO week such as 2025-W07; found "
                                         "%(found)s.") % {"found": data.get("week")})
            else:
                today = selectors.today()
                last_complete = today - dt.timedelta(days=today.weekday() + 7)
                if periods.week_start(week) > last_complete:
                    self.add_error("week", _("Alerts look at complete weeks: %(week)s or "
                                             "earlier.")
                                   % {"week": periods.week_label(last_complete)})
        data.update(first=first, last=last, alert_week=week or None)
        return data
