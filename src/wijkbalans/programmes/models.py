"""The programme register, its results and its money.

The register is one tree of :class:`Activity` rows: a programme, its action lines, their
interventions, to any depth (``parent``). Each activity has an owner organisation, partners
in IATI-like roles, the areas it works in, themes from the indicator catalogue, and (for
an intervention) an evidence level on the Dutch ladder of the recognition system for
interventions.

Results follow IATI: a :class:`ResultIndicator` (an outcome indicator from the registry, or
the activity's own output indicator) has a baseline and targets per period
(:class:`ResultPeriod`); partners report actual values through :class:`ResultUpdate`, which
the programme bureau approves or returns. An approved update sets the period's actual; an
approved period can be locked.

Money: a :class:`FundingSource` secures amounts per year (:class:`FundingAllocation`); a
:class:`BudgetLine` plans an activity's need per year and source, with commitments and
spending. Amounts are exact decimals in euros. Rows that users edit concurrently carry a
``version`` that every update must name (optimistic locking, see ``services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EURO = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 18, "decimal_places": 4}


class Activity(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programme")
        ACTION_LINE = "action_line", _("action line")
        INTERVENTION = "intervention", _("intervention")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        FINISHED = "finished", _("finished")
        STOPPED = "stopped", _("stopped")

    class Evidence(models.TextChoices):
        NOT_RATED = "not_rated", _("not rated")
        WELL_DESCRIBED = "goed_beschreven", _("well described (goed beschreven)")
        WELL_FOUNDED = "goed_onderbouwd", _("well founded (goed onderbouwd)")
        EFFECTIVE_FIRST = "effectief_eerste", _(
            "effective, first indications (effectief volgens eerste aanwijzingen)")
        EFFECTIVE_GOOD = "effectief_goede", _(
            "effective, good indications (effectief volgens goede aanwijzingen)")
        EFFECTIVE_STRONG = "effectief_sterke", _(
            "effective, strong indications (effectief volgens sterke aanwijzingen)")

    class Databank(models.TextChoices):
        NONE = "", _("none")
        NJI = "nji", _("NJi — Databank Effectieve Jeugdinterventies")
        MOVISIE = "movisie", _("Movisie — Databank Effectieve Sociale Interventies")
        LOKET = "loket_gezond_leven", _("Loket Gezond Leven (RIVM)")
        CCV = "ccv", _("CCV — Wat werkt bij veiligheid")
        KENNISPLATFORM = "kennisplatform", _("Kennisplatform Integratie & Samenleving")
        OTHER = "other", _("other")

    code = models.SlugField(
        _("code"), max_length=60, unique=True,
        help_text=_("A short, stable key, used in spreadsheets and links."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("part of"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                              related_name="owned_activities",
                              verbose_name=_("owner organisation"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    areas = models.ManyToManyField("areas.Area", blank=True, related_name="activities",
                                   verbose_name=_("areas"))
    area_sets = models.ManyToManyField("areas.AreaSet", blank=True,
                                       related_name="activities",
                                       verbose_name=_("area sets"))
    themes = models.JSONField(
        _("themes"), default=list, blank=True,
        help_text=_("Theme keys of the indicator catalogue, e.g. work_income, safety."))
    links = models.JSONField(
        _("links"), default=list, blank=True,
        help_text=_("A list of {title, url}."))
    evidence_level = models.CharField(_("evidence level"), max_length=20,
                                      choices=Evidence.choices, default=Evidence.NOT_RATED)
    evidence_databank = models.CharField(_("databank"), max_length=30,
                                         choices=Databank.choices, blank=True, default="")
    evidence_url = models.URLField(_("databank entry"), blank=True)
    weight = models.DecimalField(
        _("weight in the roll-up"), null=True, blank=True, max_digits=8, decimal_places=3,
        help_text=_("Relative weight of this activity in its parent's progress; "
                    "empty counts as 1."))
    public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Shown to everyone, logged in or not."))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(end__isnull=True) | Q(start__isnull=True)
                           | Q(end__gte=models.F("start"))),
                name="activity_end_after_start"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gte=0),
                                   name="activity_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class ActivityPartner(models.Model):
    """An organisation's role in an activity (IATI organisation roles)."""

    class Role(models.TextChoices):
        FUNDING = "funding", _("funding")
        ACCOUNTABLE = "accountable", _("accountable")
        EXTENDING = "extending", _("commissioning")
        IMPLEMENTING = "implementing", _("implementing")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="activity_roles",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["activity__code", "organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "organisation", "role"],
                                    name="activitypartner_unique"),
        ]
        verbose_name = _("partner role")
        verbose_name_plural = _("partner roles")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()} — {self.activity.code}"


class ResultIndicator(models.Model):
    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("outcome")
        OUTPUT = "output", _("output")

    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    indicator_code = models.CharField(
        _("indicator in the registry"), max_length=120, blank=True,
        help_text=_("Required for an outcome indicator; empty for the activity's own "
                    "output indicators."))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices,
                                 default=Direction.UP)
    baseline_period = models.CharField(_("baseline period"), max_length=7, blank=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **QUANTITY)
    weight = models.DecimalField(_("weight in the roll-up"), null=True, blank=True,
                                 max_digits=8, decimal_places=3)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["activity__code", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="output") | ~Q(indicator_code=""),
                name="resultindicator_outcome_has_code"),
            models.UniqueConstraint(fields=["activity", "name"],
                                    name="resultindicator_unique_name"),
        ]
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")

    def __str__(self) -> str:
        return f"{self.activity.code}: {self.name}"


class ResultPeriod(models.Model):
    """Target and (approved) actual of a result indicator in one period."""

    result = models.ForeignKey(ResultIndicator, on_delete=models.CASCADE,
                               related_name="periods")
    period = models.CharField(_("period"), max_length=7)
    target = models.DecimalField(_("target"), null=True, blank=True, **QUANTITY)
    actual = models.DecimalField(_("actual"), null=True, blank=True, **QUANTITY,
                                 help_text=_("Set by the approved update."))
    locked = models.BooleanField(_("locked"), default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["result_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["result", "period"],
                                    name="resultperiod_unique"),
        ]
        verbose_name = _("result period")
        verbose_name_plural = _("result periods")

    def __str__(self) -> str:
        return f"{self.result} {self.period}"


class ResultUpdate(models.Model):
    """A partner's report of an actual value, through draft → submitted → approved or
    returned (with a comment); a returned update can be edited and submitted again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    period = models.ForeignKey(ResultPeriod, on_delete=models.CASCADE,
                               related_name="updates")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="result_updates",
                                     verbose_name=_("reporting organisation"))
    value = models.DecimalField(_("actual value"), **QUANTITY)
    narrative = models.TextField(_("explanation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    review_comment = models.TextField(_("comment of the programme bureau"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved", "returned"]),
                name="resultupdate_status_known"),
        ]
        verbose_name = _("result update")
        verbose_name_plural = _("result updates")

    def __str__(self) -> str:
        return f"{self.period} = {self.value} ({self.status})"


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        STATE_GRANT = "state_grant", _("state grant (e.g. NPLV/SPUK)")
        REGIO_DEAL = "regio_deal", _("Regio Deal")
        NPG = "npg", _("Nationaal Programma Groningen")
        MUNICIPAL = "municipal", _("municipal budget")
        PARTNER = "partner", _("partner contribution")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    funder = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="funding_sources",
                               verbose_name=_("funder"))
    conditions = models.TextField(_("conditions"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True,
        help_text=_("Empty for a structural source; a temporary source ends here."))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="fundingsource_end_after_start"),
        ]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.name


class FundingAllocation(models.Model):
    """What a source has secured (granted, decided) for one year."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE,
                               related_name="allocations")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("secured amount (EUR)"), **EURO)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["source__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="allocation_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="allocation_not_negative"),
        ]
        verbose_name = _("secured funds")
        verbose_name_plural = _("secured funds")

    def __str__(self) -> str:
        return f"{self.source.code} {self.year}: {self.amount}"


class BudgetLine(models.Model):
    """An activity's planned need in one year, to be paid from one source, with what is
    committed (contracted) and spent of it."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT,
                                 related_name="budget_lines")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT,
                               related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.DecimalField(_("planned (EUR)"), **EURO)
    committed = models.DecimalField(_("committed (EUR)"), default=0, **EURO)
    spent = models.DecimalField(_("spent (EUR)"), default=0, **EURO)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["activity__code", "year", "source__code"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "source", "year"],
                                    name="budgetline_unique"),
            models.CheckConstraint(
                condition=Q(planned__gte=0) & Q(committed__gte=0) & Q(spent__gte=0),
                name="budgetline_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.activity.code} {self.year} {self.source.code}: {self.planned}"
