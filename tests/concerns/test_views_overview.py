"""/signalen/overzicht/: the suppressed early-warning table as the page shows it (never a
hidden count), the alerts with their rule, the chart with the same figures, links to the
monitor's series, and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest

from wijkbalans.concerns.publish import concerns_publish

from .conftest import buurt_code
from .test_aggregates import FIRST_QUARTER

URL = "/signalen/overzicht/"
CHART = "/signalen/overzicht/grafiek.svg"
B11, B12, B13, B21, B22 = (buurt_code(1, 1), buurt_code(1, 2), buurt_code(1, 3),
                           buurt_code(2, 1), buurt_code(2, 2))

@pytest.fixture(autouse=True)
def english(settings):
    """The pages in English, so that the assertions hold whatever the Dutch wording."""
    settings.LANGUAGE_CODE = "en"



@pytest.fixture
def quarter(add_concerns):
    add_concerns(FIRST_QUARTER)


def as_user(client, user):
    client.force_login(user)
    return client


def period(response, label):
    return next(p for p in response.context["periods"] if p["period"] == label)


def test_the_first_quarter_as_the_page_shows_it(client, quarter, signal_city):
    response = as_user(client, signal_city.programme).get(
        URL, {"gemeente": "GM0998", "van": "2025-Q1", "tot": "2025-Q1"})
    assert response.status_code == 200
    q1 = period(response, "2025-Q1")
    rows = {r["code"]: r["cells"] for r in q1["rows"]}
    # The table of test_aggregates, turned: buurten as rows, themes then total as columns.
    # undermining 7 (B11), 6 (B12); poverty 2 (B11), 9 (B12), 5 (B13); the 2 is hidden and
    # six cells with it. Buurten without a concern are left out.
    assert list(rows) == [B11, B12, B13, "GM0998"]
    assert rows[B11] == [None, None, "0", "0", "0", "0", "0", None]
    assert rows[B12] == [None, None, "0", "0", "0", "0", "0", "15"]
    assert rows[B13] == ["0", None, "0", "0", "0", "0", "0", None]
    assert rows["GM0998"] == ["13", "16", "0", "0", "0", "0", "0", "29"]
    assert (q1["primary"], q1["secondary"]) == (1, 6)
    # No hidden count reaches the page: 2, 7, 6, 9 and 5 are hidden, 13, 15, 16, 29 shown.
    table = response.content.decode().split('data-period="2025-Q1"')[1].split("</table>")[0]
    cells = [c.split("</td>")[0].strip() for c in table.split('<td class="num">')[1:]]
    assert sorted({c for c in cells if c.isdigit()}) == ["0", "13", "15", "16", "29"]
    assert cells.count('<span aria-hidden="true">×</span><span class="visually-hidden">'
                       'hidden</span>') == 7
    # The series of the chart: the gemeente's count per theme, one period.
    series = {s["theme"]: s["cells"] for s in response.context["series"]}
    assert series["undermining"] == ["13"] and series["poverty_debts"] == ["16"]
    assert series["totaal"] == ["29"]


def test_the_default_range_is_the_last_eight_complete_quarters(client, quarter,
                                                               signal_city):
    response = as_user(client, signal_city.analyst).get(URL)
    assert response.status_code == 200
    # Today is 18 June 2025: the last complete quarter is 2025-Q1.
    assert response.context["labels"] == ["2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1",
                                          "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    assert [p["period"] for p in response.context["periods"]][0] == "2025-Q1"
    quiet = period(response, "2024-Q1")
    assert [r["code"] for r in quiet["rows"]] == ["GM0998"]  # only the (zero) totals


@pytest.fixture
def season(add_concerns):
    """Today is 18 June 2025 (W25): the alerts' window is W21-W24 (tests/concerns/
    test_alerts.py has the same numbers)."""
    add_concerns([
        *[("undermining", B11, f"2024-W{w}", 1) for w in range(22, 48, 2)],
        ("undermining", B11, "2025-W22", 3), ("undermining", B11, "2025-W24", 2),
        ("poverty_debts", B12, "2024-W21", 13), ("poverty_debts", B12, "2025-W20", 13),
        ("poverty_debts", B12, "2025-W21", 6),
        ("youth_at_risk", B13, "2025-W23", 5),
        ("loneliness", B21, "2024-W40", 6), ("loneliness", B21, "2025-W21", 4),
    ])


def test_alerts_are_listed_with_their_rule_and_no_counts(client, season, signal_city):
    response = as_user(client, signal_city.programme).get(URL)
    alerts = [(a["alert"].buurt, a["alert"].theme) for a in response.context["alerts"]]
    # 13 before and 5 now: p 0.0037; nothing before and 5 now: p 0. Not: 26 and 6
    # (p 0.017), 6 and 4 (fewer than 5).
    assert alerts == [(B11, "undermining"), (B13, "youth_at_risk")]
    assert [a["alert"].p_below for a in response.context["alerts"]] == [0.01, 0.001]
    assert response.context["alert_window"] == ("week 21: 19 to 25 May 2025",
                                                "week 24: 9 to 15 June 2025")
    rule = response.context["rule"]
    assert (rule["window"], rule["baseline"], rule["alpha"], rule["k"]) == (4, 52, "0.01", 5)
    page = response.content.decode()
    assert f'data-buurt="{B11}" data-theme="undermining"' in page
    # An earlier window, chosen by week: nothing then.
    earlier = client.get(URL, {"week": "2025-W10"})
    assert earlier.status_code == 200 and earlier.context["alerts"] == []
    assert 'id="no-alerts"' in earlier.content.decode()


@pytest.mark.parametrize("query, field", [
    ({"van": "2025Q1"}, "van"),
    ({"tot": "2025-Q2"}, "tot"),  # not complete yet
    ({"van": "2025-Q1", "tot": "2024-Q4"}, "van"),
    ({"van": "2010-Q1"}, "van"),  # more than 40 periods
    ({"week": "2025-W25"}, "week"),  # this week is not complete
    ({"week": "W25"}, "week"),
    ({"gemeente": "GM0001"}, "gemeente"),
])
def test_a_bad_choice_is_a_400_naming_the_field(client, quarter, signal_city, query, field):
    response = as_user(client, signal_city.programme).get(URL, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert client.get(CHART, query).status_code == 400


@pytest.mark.parametrize("username", ["teacher", "police_officer", "debt_partner"])
def test_only_the_programme_bureau_sees_it(client, quarter, signal_city, username):
    user = as_user(client, getattr(signal_city, username))
    assert user.get(URL).status_code == 403
    assert user.get(CHART).status_code == 403


def test_visitors_are_sent_to_log_in(client, quarter):
    assert client.get(URL).status_code == 302 and client.get(CHART).status_code == 302


def test_the_chart_is_svg_with_a_title(client, quarter, signal_city):
    response = as_user(client, signal_city.programme).get(
        CHART, {"gemeente": "GM0998", "van": "2024-Q4", "tot": "2025-Q1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<title>" in svg and 'role="img"' in svg


def test_links_to_the_published_series_in_the_monitor(client, quarter, signal_city, monkeypatch):
    page = as_user(client, signal_city.programme).get(URL)
    assert page.context["links"] == []  # nothing published yet
    # In July the second quarter is complete; publish, then the links appear.
    monkeypatch.setattr("wijkbalans.concerns.selectors.today", lambda: dt.date(2025, 7, 9))
    concerns_publish(gemeenten=["GM0998"])
    links = client.get(URL).context["links"]
    assert [link["code"] for link in links][:2] == ["signalen_undermining",
                                                    "signalen_poverty_debts"]
    assert links[-1]["code"] == "signalen_totaal" and len(links) == 8
    assert links[0]["url"] == "/indicator/signalen_undermining/?niveau=buurt&binnen=GM0998"
    monitor = client.get(links[0]["url"] + "&periode=2025-Q1")
    assert monitor.status_code == 200
    shown = {code: (value, status) for code, _name, value, status
             in monitor.context["ranking"]["rows"]}
    assert shown[B11][1] == "suppressed" and shown[B12][1] == "suppressed"
    assert shown[B13] == (0.0, "value")
