"""Two members of the bureau save the same section's text at the same moment, each on
their own database connection (PostgreSQL only): one save wins, the other is refused with
the text as it is now; no edit is silently lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from wijkbalans.accounts.services import membership_grant, organisation_create, user_create
from wijkbalans.areas.models import AreaSet
from wijkbalans.reports.errors import ConflictError
from wijkbalans.reports.models import ReportNarrative
from wijkbalans.reports.services import narrative_save

pytestmark = [pytest.mark.postgres]


def run_in_threads(*targets, timeout: float = 30):
    outcomes: list = [None] * len(targets)

    def body(i, target):
        try:
            outcomes[i] = target()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a thread hung"
    return outcomes


@pytest.fixture
def bureau(transactional_db):
    city = organisation_create(name="Gemeente Test", kind="municipality")
    people = []
    for name in ("anna", "bart"):
        person = user_create(username=name, password="a-long-test-password")
        membership_grant(user=person, organisation=city, role="programme_staff")
        people.append(person)
    return AreaSet.objects.create(slug="test-noord", name="Test-Noord"), people


@pytest.mark.parametrize("existing", [False, True])
def test_two_saves_of_one_text_never_lose_one(bureau, existing):
    area_set, (anna, bart) = bureau
    version = 0
    if existing:
        version = narrative_save(acting_user=anna, area_set=area_set, section="summary",
                                 lang="nl", text="Eerste.", expected_version=0).version
    barrier = threading.Barrier(2)

    def save(user, text):
        def go():
            barrier.wait(timeout=10)
            return narrative_save(acting_user=user, area_set=area_set, section="summary",
                                  lang="nl", text=text, expected_version=version)
        return go

    outcomes = run_in_threads(save(anna, "Van Anna."), save(bart, "Van Bart."))
    won = [o for o in outcomes if isinstance(o, ReportNarrative)]
    lost = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    row = ReportNarrative.objects.get(area_set=area_set, section="summary", lang="nl")
    assert row.text == won[0].text and row.version == version + 1
    assert lost[0].current["text"] in ("", "Eerste.", row.text)
