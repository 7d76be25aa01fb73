"""Demostad's early concerns: routes, some 300 concerns through the service (every text
clean), the rise in undermining in Noorderpoort that raises an alert, follow-up, the
published series, and a second load that writes nothing."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import transaction

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.concerns import periods
from wijkbalans.concerns.alerts import alerts
from wijkbalans.concerns.models import Assignment, Concern, FollowUp, Route
from wijkbalans.concerns.screening import screen
from wijkbalans.demo.concerns import (
    NOORDERPOORT,
    REFERENCE,
    STREAMS,
    TEXTS,
    WEEKS,
    demo_concerns_ensure,
    plan,
    stream_total,
)
from wijkbalans.demo.figures import DEFAULT_SEED, build_city
from wijkbalans.demo.geography import PROGRAMME_NAME, PROGRAMME_SLUG
from wijkbalans.indicators.models import Observation

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NORTH = {"BU99990100", "BU99990101", "BU99990102", "BU99990103", "BU99990104",
         "BU99990105", "BU99990200", "BU99990700", "BU99990701"}


@pytest.fixture(scope="module")
def geography():
    return build_city(DEFAULT_SEED).geography


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, geography):
    """Demostad's areas, programme area and people, then its concerns: loaded once for the
    module inside a transaction that is rolled back at its end (a load takes seconds)."""
    from django.test import override_settings

    from wijkbalans.areas.services import area_set_save, areas_register
    from wijkbalans.demo.people import demo_people_ensure

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            areas_register(records=geography.records)
            area_set_save(slug=PROGRAMME_SLUG, name=PROGRAMME_NAME,
                          member_codes=geography.programme_codes)
            demo_people_ensure()
            created = demo_concerns_ensure()
            yield created
            transaction.set_rollback(True)


@pytest.fixture
def demostad(loaded, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    return loaded


def test_every_text_passes_the_screen():
    for theme, texts in TEXTS.items():
        for text in texts:
            assert screen(text) == [], (theme, text)


def test_a_stream_spreads_its_concerns_evenly_by_hand():
    # Vogelbuurt, poverty: 0.45 a week, phase 2 × 0.618034 mod 1 = 0.236068;
    # floor(105 × 0.45 + 0.236) = floor(47.486) = 47.
    assert STREAMS[2] == ("BU99990101", "poverty_debts", 0.45)
    assert stream_total(0.45, 2) == 47
    # Noorderpoort, undermining: 0.42 a week, phase 0: floor(44.1) = 44.
    assert STREAMS[0] == (NOORDERPOORT, "undermining", 0.42)
    assert stream_total(0.42, 0) == 44
    items = plan()
    assert sum(1 for i in items if (i.buurt, i.theme) == ("BU99990101", "poverty_debts")) == 47
    # Noorderpoort's undermining: the stream's 44 and two a week in the last five weeks.
    assert sum(1 for i in items if (i.buurt, i.theme) == (NOORDERPOORT, "undermining")) == 54


def test_the_story(demostad):
    items = plan()
    assert demostad == len(items) == Concern.objects.count()
    assert len(items) == sum(stream_total(rate, i) for i, (_b, _t, rate)
                             in enumerate(STREAMS)) + 10
    north = Concern.objects.filter(buurt__code__in=NORTH).count()
    assert north >= 290 and Concern.objects.count() - north <= 30
    weeks = sorted({c.week for c in Concern.objects.all()})
    assert (weeks[0], weeks[-1]) == ("2024-W48", "2026-W48") and WEEKS == 105
    assert REFERENCE.isocalendar()[:2] == (2026, 48)
    # Every text is clean, and three in five concerns have one.
    texts = list(Concern.objects.exclude(text="").values_list("text", flat=True))
    assert len(texts) == sum(1 for i in items if i.text) and len(texts) >= 180
    assert all(screen(t) == [] for t in set(texts))
    assert set(Concern.objects.values_list("reporter__username", flat=True)) == {
        "professional", "professional-2", "professional-3", "professional-4",
        "professional-5"}
    assert set(Concern.objects.filter(reporter__username="professional").values_list(
        "organisation__name", flat=True)) == {"Sociaal Team Demostad-Noord"}
    assert sorted((r.theme, r.organisation.name) for r in Route.objects.all()) == [
        ("housing", "Woonstichting Demostad"),
        ("poverty_debts", "Schuldhulp Demostad"),
        ("psychological", "Zorggroep Demostad"),
        ("undermining", "Gemeente Demostad"), ("undermining", "Politie eenheid Demostad"),
        ("youth_at_risk", "Sociaal Team Demostad-Noord")]
    undermining = Concern.objects.filter(theme="undermining")
    assert Assignment.objects.filter(concern__in=undermining).count() == \
        2 * undermining.count()
    assert not Assignment.objects.filter(concern__theme__in=("loneliness", "other")).exists()
    # Each concern was recorded through the service: one audit entry each, no text in it.
    entries = AuditEntry.objects.filter(action="concern.submit")
    assert entries.count() == len(items)
    assert not any(t in str(e.after) for e in entries for t in texts[:20])


def test_the_rise_in_noorderpoort_raises_an_alert(demostad):
    for week in ("2026-W47", "2026-W48"):
        found = [(a.buurt, a.theme, a.p_below) for a in alerts(gemeente="GM9999", week=week)]
        assert (NOORDERPOORT, "undermining", 0.001) in found, (week, found)
    # Before the rise there is none.
    before = alerts(gemeente="GM9999", week="2026-W42")
    assert (NOORDERPOORT, "undermining") not in [(a.buurt, a.theme) for a in before]
    # Weeks 100-103 of the story (2026-W44 to W47): the stream gives floor(103 × 0.42) -
    # floor(100 × 0.42) = 43 - 42 = 1, the rise 4 × 2 = 8. The 52 weeks before (48-99):
    # floor(42.0) - floor(20.16) = 22, which expect 22 × 4 / 52 = 1.69 in four weeks.
    first = periods.week_start("2026-W44")
    window = Concern.objects.filter(buurt__code=NOORDERPOORT, theme="undermining",
                                    week_start__gte=first,
                                    week_start__lte=periods.week_start("2026-W47"))
    baseline = Concern.objects.filter(buurt__code=NOORDERPOORT, theme="undermining",
                                      week_start__lt=first,
                                      week_start__gte=first - dt.timedelta(weeks=52))
    assert (window.count(), baseline.count()) == (9, 22)
    # p = P(X >= 9) for X ~ Poisson(1.69) = 1 - sum of e^-m m^i / i! for i < 9: below 0.001
    m = 22 * 4 / 52
    p = 1 - sum(math.exp(-m) * m ** i / math.factorial(i) for i in range(9))
    assert 1e-5 < p < 1e-3


def test_follow_up_by_the_partners_with_a_log_in(demostad):
    police = Assignment.objects.filter(organisation__name="Politie eenheid Demostad")
    old = police.filter(concern__week_start__lt=dt.date(2026, 9, 21))  # > 8 weeks
    assert old.exists() and set(old.values_list("status", flat=True)) == {"closed"}
    assert all(o for o in old.values_list("outcome", flat=True))
    newest = police.filter(concern__week="2026-W48")
    assert newest.exists() and set(newest.values_list("status", flat=True)) == {"routed"}
    assert set(police.filter(concern__week="2026-W47").values_list("status", flat=True)) \
        == {"acknowledged"}
    # The municipality has no partner log-in in the demo: its share stays routed.
    assert set(Assignment.objects.filter(organisation__name="Gemeente Demostad")
               .values_list("status", flat=True)) == {"routed"}
    closed = FollowUp.objects.filter(status="closed")
    assert closed.count() == Assignment.objects.filter(status="closed").count() > 150
    assert set(closed.values_list("by__username", flat=True)) == {
        "politie", "schuldhulp", "zorggroep", "sociaalteam", "partner"}


def test_the_series_is_published_in_the_monitor(demostad):
    published = Observation.objects.filter(indicator__code__startswith="signalen_")
    totals = dict(published.filter(indicator__code="signalen_totaal", area__code="GM9999")
                  .values_list("period", "value"))
    # The complete quarters up to the reference date, from the first concern's.
    assert sorted(totals) == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                              "2026-Q1", "2026-Q2", "2026-Q3"]
    in_q1 = sum(1 for i in plan() if periods.period_of(i.monday, "quarter") == "2026-Q1")
    assert totals["2026-Q1"] == in_q1
    assert published.filter(status="suppressed", value__isnull=False).count() == 0
    shown = published.filter(status="value").values_list("value", flat=True)
    assert all(v == 0 or v >= 5 for v in shown)
    assert published.filter(status="suppressed").count() > 0
    # Vogelbuurt's poverty in 2026-Q1 (weeks 57 to 69 of the story, the Thursdays in
    # January to March): floor(70 × 0.45 + 0.236) - floor(57 × 0.45 + 0.236) = 31 - 25 = 6.
    vogelbuurt = published.get(indicator__code="signalen_poverty_debts",
                               area__code="BU99990101", period="2026-Q1")
    assert (vogelbuurt.status, vogelbuurt.value) == ("value", 6.0)


def test_a_second_load_writes_nothing(demostad):
    counts = (Concern.objects.count(), Assignment.objects.count(), FollowUp.objects.count(),
              AuditEntry.objects.count(), Observation.objects.count())
    assert demo_concerns_ensure() == 0
    assert (Concern.objects.count(), Assignment.objects.count(), FollowUp.objects.count(),
            AuditEntry.objects.count(), Observation.objects.count()) == counts


def test_the_demo_log_ins_see_their_pages(demostad, client):
    assert client.login(username="politie", password="demo")
    inbox = client.get("/signalen/partner/")
    assert inbox.status_code == 200 and inbox.context["organisation"].name == \
        "Politie eenheid Demostad"
    assert client.login(username="professional", password="demo")
    mine = client.get("/signalen/mijn/")
    assert mine.status_code == 200 and mine.context["page"].paginator.count == \
        sum(1 for i in plan() if i.reporter == "professional")
    assert client.login(username="bureau", password="demo")
    overview = client.get("/signalen/overzicht/", {"week": "2026-W47"})
    assert overview.status_code == 200
    assert (NOORDERPOORT, "undermining") in [(a["alert"].buurt, a["alert"].theme)
                                             for a in overview.context["alerts"]]
