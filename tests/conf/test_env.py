"""Every environment variable is documented (docs/deploy.md), as `wijkbalans envdocs` prints it."""

from pathlib import Path

import pytest

from wijkbalans.conf import env

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def test_deploy_doc_carries_the_current_envdocs_table():
    text = DEPLOY.read_text(encoding="utf-8")
    block = text.split("<!-- envdocs:start -->\n", 1)[1].split("<!-- envdocs:end -->", 1)[0]
    assert block == env.markdown_table()
    for name in env.REGISTRY:
        if name != "WIJKBALANS_EXAMPLE_FLAG":
            assert f"`{name}`" in block


def test_casts_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("WIJKBALANS_TEST_BOOL", "perhaps")
    with pytest.raises(env.EnvError, match="WIJKBALANS_TEST_BOOL"):
        env.env("WIJKBALANS_TEST_BOOL", default=False, help="t", cast=bool)
    env.REGISTRY.pop("WIJKBALANS_TEST_BOOL", None)
    monkeypatch.setenv("WIJKBALANS_TEST_LIST", "a, b,,c")
    assert env.env("WIJKBALANS_TEST_LIST", default=[], help="t", cast=list) == ["a", "b", "c"]
    env.REGISTRY.pop("WIJKBALANS_TEST_LIST", None)
