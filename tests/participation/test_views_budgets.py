"""A budget round on the pages. The round of the fixtures: € 10.000 on wijk Noord with
A € 6.000, B € 5.000, C € 3.000 and D € 1.000. A ballot within the budget is cast and
confirmed; one over it is refused with the total and the budget named and the choice kept;
the total is shown without JavaScript; only verified residents of the area vote, once;
the results appear when the round is closed, with the activities the winners became."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wijkbalans.participation.models import Ballot, BallotChoice
from wijkbalans.participation.services.ballots import ballot_cast

from .conftest import end_voting, projects

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(budget_round) -> str:
    return f"/meedoen/budget/{budget_round.pk}/"


def choose(client, budget_round, *letters, action="vote"):
    ids = projects(budget_round)
    return client.post(url(budget_round), {"projects": [ids[x] for x in letters],
                                           "action": action})


def test_the_ballot_shows_projects_costs_and_the_budget(client, budget_round, make_resident):
    client.force_login(make_resident("9711AA"))
    html = client.get(url(budget_round)).content.decode()
    assert html.count('type="checkbox" name="projects"') == 4
    assert "Project A · <span class=\"cost\">€ 6,000.00</span>" in html
    assert 'data-budget="10000.00"' in html and 'data-cost="6000.00"' in html
    assert "You chose € 0.00 of the € 10,000.00 budget; € 10,000.00 is left." in html
    assert 'aria-live="polite"' in html and "participation/ballot.js" in html


def test_a_ballot_within_the_budget_is_cast_and_confirmed(client, budget_round,
                                                          make_resident):
    resident = make_resident("9711AA")
    client.force_login(resident)
    response = choose(client, budget_round, "A", "C", "D")
    assert response.status_code == 302
    assert response["Location"] == f"/meedoen/budget/{budget_round.pk}/gestemd/"
    assert Ballot.objects.filter(resident=resident).count() == 1
    assert BallotChoice.objects.count() == 3
    done = client.get(response["Location"]).content.decode()
    assert "Project A · € 6,000.00" in done and "Project D · € 1,000.00" in done
    assert "Together € 10,000.00 of the € 10,000.00 budget." in done
    page = client.get(url(budget_round)).content.decode()
    assert "You voted on" in page and 'name="projects"' not in page


def test_an_over_budget_ballot_is_refused_with_both_amounts_and_the_choice_kept(
        client, budget_round, make_resident):
    client.force_login(make_resident("9711AA"))
    response = choose(client, budget_round, "A", "B")
    html = response.content.decode()
    assert response.status_code == 400
    message = ("The projects you chose cost € 11,000.00 together; the budget is € 10,000.00. "
               "Choose projects that fit within the budget.")
    assert f'<div class="error" id="projects_error" role="alert"><p>{message}</p>' in html
    assert ("You chose € 11,000.00: € 1,000.00 more than the € 10,000.00 budget."
            in html.split('id="ballot-total"')[1])
    ids = projects(budget_round)
    for letter, checked in (("A", True), ("B", True), ("C", False), ("D", False)):
        box = html.split(f'id="project-{ids[letter]}"')[1].split(">")[0]
        assert ("checked" in box) is checked
    assert Ballot.objects.count() == 0 and BallotChoice.objects.count() == 0


def test_check_the_total_without_javascript_writes_nothing(client, budget_round,
                                                           make_resident):
    client.force_login(make_resident("9711AA"))
    within = choose(client, budget_round, "B", "C", action="check").content.decode()
    assert "You chose € 8,000.00 of the € 10,000.00 budget; € 2,000.00 is left." in within
    over = choose(client, budget_round, "A", "B", "D", action="check")
    assert over.status_code == 200
    assert ("You chose € 12,000.00: € 2,000.00 more than the € 10,000.00 budget."
            in over.content.decode())
    assert Ballot.objects.count() == 0


def test_the_script_gets_the_same_sentences(client, budget_round, make_resident):
    client.force_login(make_resident("9711AA"))
    html = client.get(url(budget_round)).content.decode()
    assert ('data-within="You chose {total} of the {budget} budget; {left} is left."'
            in html)
    assert 'data-over="You chose {total}: {over} more than the {budget} budget."' in html
    assert "data-too-many" not in html  # the round has no most number of projects


def test_a_second_ballot_is_refused(client, budget_round, make_resident):
    resident = make_resident("9711AA")
    ballot_cast(acting_user=resident, budget_round=budget_round,
                project_ids=[projects(budget_round)["D"]])
    client.force_login(resident)
    response = choose(client, budget_round, "C")
    assert response.status_code == 409
    assert "You have already voted in this round." in response.content.decode()
    assert BallotChoice.objects.count() == 1


def test_a_resident_of_another_area_cannot_vote(client, budget_round, make_resident):
    client.force_login(make_resident("9712AA"))  # Helpman lies in wijk Zuid
    page = client.get(url(budget_round)).content.decode()
    assert "Only residents of Noord can vote in this round" in page
    assert 'name="projects"' not in page
    response = choose(client, budget_round, "D")
    assert response.status_code == 403
    assert "Only residents of Noord may do this" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_staff_and_anonymous_visitors_cannot_vote(client, budget_round, moderator):
    anonymous = client.get(url(budget_round)).content.decode()
    assert "Only residents of the area can vote. Log in" in anonymous
    assert choose(client, budget_round, "D").status_code == 403
    client.force_login(moderator)
    assert "Only residents can vote. You are logged in as staff." in client.get(
        url(budget_round)).content.decode()
    response = choose(client, budget_round, "D")
    assert response.status_code == 403
    assert "Register as a resident first." in response.content.decode()
    assert Ballot.objects.count() == 0


def test_malformed_choices_are_refused_clearly(client, budget_round, make_resident):
    client.force_login(make_resident("9711AA"))
    nothing = client.post(url(budget_round), {"action": "vote"})
    assert nothing.status_code == 400
    assert "Choose at least one project." in nothing.content.decode()
    junk = client.post(url(budget_round), {"action": "vote", "projects": ["x1"]})
    assert junk.status_code == 400
    assert "Expected a list of project numbers; found &#x27;x1&#x27;." in junk.content.decode()
    other = client.post(url(budget_round), {"action": "vote", "projects": ["999999"]})
    assert "These projects are not on this ballot: 999999." in other.content.decode()
    assert Ballot.objects.count() == 0


def test_results_after_closing_with_the_activities_they_became(client, budget_round,
                                                               make_resident, moderator):
    ids = projects(budget_round)
    for letters in (("A", "C", "D"), ("A", "C"), ("B", "C"), ("A",)):
        ballot_cast(acting_user=make_resident("9711AA"), budget_round=budget_round,
                    project_ids=[ids[x] for x in letters])
    public = client.get(url(budget_round)).content.decode()
    assert 'id="uitslag"' not in public  # not before the round is closed
    end_voting(budget_round)
    client.force_login(moderator)
    page = client.get(url(budget_round)).content.decode()
    assert "Interim count" in page and "Close the round and count the votes" in page
    response = client.post(f"/meedoen/budget/{budget_round.pk}/sluiten/")
    assert response["Location"] == f"{url(budget_round)}#uitslag"
    client.logout()
    html = client.get(url(budget_round)).content.decode()
    results = html.split('id="uitslag"')[1].split("</section>")[0]
    # Votes: A 3, C 3, B 1, D 1. A (6.000) then C (3.000) fit; B no longer fits; D does.
    rows = [r.split("</th>")[0].split(">")[-1] for r in results.split('<tr data-project=')[1:]]
    assert rows == ["Project C", "Project A", "Project D", "Project B"]
    assert "4 residents voted." in results
    assert "The chosen projects cost € 10,000.00 of the € 10,000.00 budget" in results
    winners = budget_round.projects.filter(selected=True).select_related("activity")
    assert {p.title for p in winners} == {"Project A", "Project C", "Project D"}
    for p in winners:
        assert f'href="/programma/{p.activity.code}/"' in results
    assert sum(p.cost for p in winners) == Decimal("10000")


def test_closing_is_for_the_staff_who_run_the_round(client, budget_round, make_resident,
                                                    outsider_staff):
    end_voting(budget_round)
    client.force_login(outsider_staff)
    response = client.post(f"/meedoen/budget/{budget_round.pk}/sluiten/")
    assert response.status_code == 403
    budget_round.refresh_from_db()
    assert budget_round.status == "published"


def test_closing_before_the_end_is_refused_with_the_reason(client, budget_round, moderator):
    client.force_login(moderator)
    response = client.post(f"/meedoen/budget/{budget_round.pk}/sluiten/")
    assert response.status_code == 400
    assert "Voting is open until" in response.content.decode()


def test_at_most_so_many_projects(client, city, moderator, programme, source, make_resident):
    from .conftest import round_in

    small = round_in(moderator=moderator, programme=programme, source=source, max_projects=2)
    client.force_login(make_resident("9711AA"))
    html = client.get(url(small)).content.decode()
    assert "Choose at most 2 projects." in html
    assert 'data-max="2"' in html
    assert 'data-too-many="You chose {count} projects; choose at most 2."' in html
    checked = choose(client, small, "B", "C", "D", action="check").content.decode()
    assert "You chose 3 projects; choose at most 2." in checked
    refused = choose(client, small, "B", "C", "D")
    assert refused.status_code == 400
    error = refused.content.decode().split('id="projects_error"')[1].split("</div>")[0]
    assert "You chose 3 projects; choose at most 2." in error
    assert Ballot.objects.count() == 0


def test_before_voting_opens(client, city, moderator, programme, source, make_resident):
    import datetime as dt

    from django.utils import timezone

    from wijkbalans.participation.models import BudgetRound

    from .conftest import round_in

    later = round_in(moderator=moderator, programme=programme, source=source)
    now = timezone.now()
    BudgetRound.objects.filter(pk=later.pk).update(opens=now + dt.timedelta(days=2),
                                                   closes=now + dt.timedelta(days=9))
    client.force_login(make_resident("9711AA"))
    html = client.get(url(later)).content.decode()
    assert "Voting opens" in html and 'name="projects"' not in html
    refused = choose(client, later, "D")
    assert refused.status_code == 400
    assert "Voting in this round has not started yet." in refused.content.decode()
    assert Ballot.objects.count() == 0
