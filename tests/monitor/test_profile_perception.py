"""The profile shows what the figures say next to what residents say, per theme, and no
empty perception block where there is no survey."""

import re

import pytest
from django.utils.translation import gettext, override

from wijkbalans.indicators.importers import survey
from wijkbalans.indicators.importers.base import IndicatorSpec, Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed

from .conftest import GM, buurt

CIJFER = "Rapportcijfer voor de buurt"
VEILIG = "Ik voel me veilig in mijn buurt"


def panel(tmp_path):
    """Buurten 0-2 and the city, 2023 and 2024; buurt 2 has 12 respondents in 2024."""
    lines = ["gebied;periode;vraag;vraagtekst;waarde;maat;n;thema;polariteit"]
    for area, period, score, n_score, share, n_share in [
        (buurt(0), "2023", "6,8", 40, "70", 40), (buurt(0), "2024", "7,1", 50, "66", 50),
        (buurt(1), "2023", "7,0", 60, "80", 60), (buurt(1), "2024", "7,5", 150, "74", 150),
        (buurt(2), "2023", "6,0", 45, "50", 45), (buurt(2), "2024", "9,0", 12, "90", 12),
        (GM, "2023", "7,2", 900, "76", 900), (GM, "2024", "7,4", 950, "78", 950),
    ]:
        lines.append(f"{area};{period};rapportcijfer;{CIJFER};{score};score;{n_score};"
                     "liveability;higher_better")
        lines.append(f"{area};{period};veilig;{VEILIG};{share};%;{n_share};safety;"
                     "higher_better")
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = survey.parse(path, {}, lambda n: None)
    load_parsed(parsed=parsed, kind="survey", file_name=path.name, file_sha256="panel")


def since(change, period):
    return nl("%(change)s since %(period)s") % {"change": change, "period": period}


def themes(response):
    return {t.theme: t for t in response.context["profile"].themes}


def nl(msgid):
    with override("nl"):
        return gettext(msgid)


def test_a_buurt_shows_figures_and_perceptions_side_by_side(client, city, tmp_path):
    panel(tmp_path)
    response = client.get(f"/gebied/{buurt(1)}/")
    assert response.status_code == 200
    blocks = themes(response)
    live = blocks["liveability"]
    assert [f.indicator.code for f in live.registered] == ["lbm_klasse"]
    assert [f.indicator.code for f in live.perceived] == ["enquete_rapportcijfer"]
    score = live.perceived[0]
    # 7,5 in 2024 against the city's 7,4; up 0,5 on 7,0 in 2023, which is better
    assert (score.period, score.text, score.references) == ("2024", "7,5", ["7,4"])
    assert (score.change, score.direction, score.respondents) == (
        since("+0,5", "2023"), "better", "150")
    # a theme with perceptions only, and the count of respondents is no figure of its own
    assert not blocks["safety"].registered
    assert blocks["safety"].perceived[0].text == "74"
    assert blocks["safety"].perceived[0].change == since("−6", "2023")
    assert blocks["safety"].perceived[0].direction == "worse"
    shown = {f.indicator.code for _, figures in response.context["profile"].figures_by_theme
             for f in figures}
    assert "enquete_veilig_n" not in shown and "enquete_rapportcijfer_n" not in shown
    html = response.content.decode()
    pair = html[html.index('class="theme-pair"'):]
    pair = pair[:pair.index("</section>")]
    assert nl("What the figures say") in pair and nl("What residents say") in pair
    assert pair.index(nl("What the figures say")) < pair.index(nl("What residents say"))
    assert re.search(r'<table class="figures perceptions">\s*<caption>[^<]*'
                     + re.escape(nl("What residents say")), html)
    assert html.count('class="theme-pair"') == 1  # liveability only: safety has no pair


def test_perception_trends_keep_their_tables(client, city, tmp_path):
    panel(tmp_path)
    response = client.get(f"/gebied/{buurt(1)}/")
    trends = {t["indicator"].code: t for t in response.context["trends"]}
    assert "enquete_rapportcijfer_n" not in trends
    table = trends["enquete_rapportcijfer"]["table"]
    assert table["rows"] == [("2023", ["7,0", "7,2"]), ("2024", ["7,5", "7,4"])]
    assert client.get(trends["enquete_rapportcijfer"]["chart"]).status_code == 200
    html = response.content.decode()
    assert 'id="trend-enquete_rapportcijfer"' in html
    assert 'href="#trend-enquete_rapportcijfer"' in html


def test_too_few_respondents_shows_the_last_result_and_says_why(client, city, tmp_path):
    panel(tmp_path)
    response = client.get(f"/gebied/{buurt(2)}/")
    score = themes(response)["liveability"].perceived[0]
    assert (score.period, score.text, score.suppressed_after) == ("2023", "6,0", ["2024"])
    with override("nl"):
        expected = gettext("too few respondents in %(periods)s") % {"periods": "2024"}
    assert expected in response.content.decode()


def test_area_set_weighs_buurten_by_respondents(client, city, tmp_path):
    panel(tmp_path)
    response = client.get("/gebied/noord/")
    score = themes(response)["liveability"].perceived[0]
    # 2024: buurt 2 is suppressed (12 respondents); (7,1 * 50 + 7,5 * 150) / 200 = 7,4
    assert score.value == pytest.approx((7.1 * 50 + 7.5 * 150) / 200)
    # the respondents behind the figure: not the suppressed buurt's 12
    assert score.respondents == "200"
    assert score.missing_members == [buurt(2)]


def test_a_perception_without_respondents_has_no_respondents_column(client, city):
    spec = IndicatorSpec(code="gezond_zelf", name_nl="Ervaren gezondheid", theme="work_income",
                         unit="%", polarity="higher_better", source="Gezondheidsmonitor",
                         aggregation="weighted_mean", denominator="inwoners", decimals=1,
                         perception=True)
    rows = {"indicator": ["gezond_zelf"], "area": [buurt(1)], "period": ["2024"],
            "value": [71.0], "status": ["value"], "row": [2], "column": ["x"]}
    load_parsed(parsed=Parsed(observations=observations_frame(rows), indicators=[spec]),
                kind="test", file_name="gezond", file_sha256="gezond")
    response = client.get(f"/gebied/{buurt(1)}/")
    block = themes(response)["work_income"]
    assert [f.indicator.code for f in block.perceived] == ["gezond_zelf"]
    assert not block.has_respondents
    assert nl("Respondents") not in response.content.decode()


def test_a_city_without_survey_has_no_perception_block(client, city):
    response = client.get(f"/gebied/{GM}/")
    assert response.status_code == 200
    profile = response.context["profile"]
    assert not profile.has_perceptions
    assert all(not t.perceived for t in profile.themes)
    html = response.content.decode()
    assert "theme-pair" not in html and "perceptions" not in html
    assert nl("What residents say") not in html
    assert html.count('<table class="figures">') == len(profile.themes) == 2
