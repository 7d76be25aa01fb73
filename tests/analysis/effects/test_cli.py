"""``wijkbalans evaluate`` as a plain function: JSON out, clear errors, no Django."""

import doctest
import importlib
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.effects.cli import main

MODULES = ["panel", "simplex", "sdid", "synth", "did", "donors", "verdict", "cli"]


def write_panel(path, *, sep=",", n=24, t=12, start=8, effect=2.0, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(n, 1)) * 2 + np.cumsum(rng.normal(size=t)) + rng.normal(
        scale=0.3, size=(n, t))
    y[:3, start:] += effect
    rows = [{"buurt": f"BU{i:04d}", "jaar": 2010 + j, "score": y[i, j],
             "gemeente": "GM0014" if i % 2 else "GM0363", "inkomen": 20 + i + 0.1 * j}
            for i in range(n) for j in range(t)]
    pd.DataFrame(rows).to_csv(path, sep=sep, index=False)
    return path


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def base_args(path):
    return ["--panel", str(path), "--unit", "buurt", "--time", "jaar", "--outcome", "score",
            "--treated", "BU0000,BU0001,BU0002", "--start", "2018", "--format", "json"]


@pytest.mark.parametrize("method", ["sdid", "sc", "did"])
def test_json_output_has_the_promised_fields(tmp_path, capsys, method):
    path = write_panel(tmp_path / "panel.csv")
    code, out, _ = run(capsys, *base_args(path), "--method", method, "--placebo-reps", "50",
                       "--seed", "3")
    assert code == 0
    result = json.loads(out)
    for key in ("estimate", "se", "p_value", "unit_weights", "time_weights", "timings",
                "periods", "treated_path", "counterfactual", "gap", "donor_pool", "verdict"):
        assert key in result, key
    assert result["method"] == method
    assert result["estimate"] == pytest.approx(2.0, abs=0.6)
    assert sum(result["unit_weights"].values()) == pytest.approx(1.0)
    assert result["timings"]["total"] > 0
    assert result["verdict"]["nl"] and result["verdict"]["en"]
    if method == "sc":
        assert result["se"] is None and result["time_weights"] is None
        assert len(result["placebos"]) == 21
    else:
        assert sum(result["time_weights"].values()) == pytest.approx(1.0)
        assert result["se"] > 0


def test_semicolon_files_donor_rules_and_text_output(tmp_path, capsys):
    path = write_panel(tmp_path / "panel.csv", sep=";")
    frame = pd.read_csv(path, sep=";")
    frame.loc[(frame["buurt"] == "BU0010") & (frame["jaar"] == 2011), "score"] = np.nan
    frame.to_csv(path, sep=";", index=False)
    code, out, _ = run(capsys, *base_args(path), "--similar", "BU0005", "--city-column",
                       "gemeente", "--exclude-own-city", "--treated", "BU0001")
    assert code == 0
    result = json.loads(out)
    reasons = {e["unit"]: e["reason"] for e in result["donor_pool"]["excluded"]}
    assert reasons["BU0005"] == "similar_programme"
    assert reasons["BU0003"] == "own_city"  # odd numbers are in GM0014, as BU0001
    assert reasons["BU0010"] == "missing_pre"
    assert "BU0010" not in result["unit_weights"]
    assert result["n_controls"] == len(result["donor_pool"]["donors"]) == 11
    code, text, _ = run(capsys, *base_args(path)[:-2], "--format", "text")
    assert code == 0 and "left out" in text and "BU0010" in text


def test_staggered_starts_use_callaway_santanna(tmp_path, capsys):
    path = write_panel(tmp_path / "panel.csv")
    args = base_args(path)
    args[args.index("--start") + 1] = "2016,2018,2018"
    code, out, _ = run(capsys, *args, "--method", "did", "--control", "notyet")
    result = json.loads(out)
    assert code == 0 and result["method"] == "did-cs" and result["control_group"] == "notyet"
    assert result["groups"] == {"2016": 1, "2018": 2}
    code, out, _ = run(capsys, *args, "--method", "sdid")
    assert code == 2 and "staggered" in json.loads(out)["problems"][0]


@pytest.mark.parametrize("change, expected", [
    (lambda f: f.drop(columns=["score"]), "column 'score' is not in the table"),
    (lambda f: f.assign(score=f["score"].astype(object).where(f.index != 5, "n.v.t.")),
     "column 'score', unit 'BU0000', period 2015: expected a number, found 'n.v.t.'"),
    (lambda f: pd.concat([f, f.iloc[[0]]]), "unit 'BU0000', period 2010: more than one row"),
    (lambda f: f[f["buurt"] != "BU0001"], "unit 'BU0001' is not in the panel"),
    (lambda f: f.assign(score=f["score"].where(f.index != 1)),
     "treated unit 'BU0000' has no value for 'score' in 2011"),
])
def test_bad_panels_fail_with_a_clear_message(tmp_path, capsys, change, expected):
    path = write_panel(tmp_path / "panel.csv")
    change(pd.read_csv(path)).to_csv(path, index=False)
    code, out, _ = run(capsys, *base_args(path))
    assert code == 2
    assert any(expected in p for p in json.loads(out)["problems"]), out


def test_bad_arguments_fail_with_status_2(tmp_path, capsys):
    path = write_panel(tmp_path / "panel.csv")
    code, out, _ = run(capsys, *base_args(tmp_path / "nope.csv"))
    assert code == 2 and "does not exist" in json.loads(out)["problems"][0]
    code, out, _ = run(capsys, *base_args(path)[:-2], "--start", "1999", "--format", "json")
    assert code == 2 and "period '1999' is not in the panel" in json.loads(out)["problems"][0]
    code, _, err = run(capsys, *base_args(path)[:-2], "--method", "magic")
    assert code == 2 and "invalid choice" in err
    code, out, _ = run(capsys, *base_args(path), "--predictors", "inkomen")
    assert code == 2 and "--method sc only" in json.loads(out)["problems"][0]


def test_basque_weights_through_the_command_line(shared_data, capsys):
    specs = ",".join(
        [f"{c}:1964-1969" for c in ["school.illit", "school.prim", "school.med", "school.high",
                                     "school.post.high", "invest"]]
        + ["gdpcap:1960-1969"]
        + [f"{c}:1961-1969:2" for c in ["sec.agriculture", "sec.energy", "sec.industry",
                                        "sec.construction", "sec.services.venta",
                                        "sec.services.nonventa"]]
        + ["popdens:1969"])
    code, out, _ = run(
        capsys, "--panel", str(shared_data / "synthetic-control-canon" / "basque.csv"),
        "--unit", "regionname", "--time", "year", "--outcome", "gdpcap",
        "--treated", "Basque Country (Pais Vasco)", "--start", "1970", "--from", "1960",
        "--method", "sc", "--exclude", "Spain (Espana)", "--predictors", specs,
        "--random-starts", "0", "--no-leave-one-out", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["unit_weights"]["Cataluna"] == pytest.approx(0.851, abs=0.03)
    assert result["unit_weights"]["Madrid (Comunidad De)"] == pytest.approx(0.149, abs=0.03)
    assert result["donor_pool"]["excluded"][0]["reason"] == "excluded"
    assert result["n_pre"] == 10 and result["loss"] == pytest.approx(0.0088645, abs=2e-6)
    # 16 donors: the placebo test cannot reach p <= 0.05, and the verdict says so.
    assert result["verdict"]["conclusion"] == "unreliable"
    assert "0,0588" in result["verdict"]["nl"]


def test_the_effects_modules_do_not_import_django():
    code = ("import sys\n"
            f"for name in {MODULES!r}:\n"
            "    __import__('wijkbalans.analysis.effects.' + name)\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] == 'django'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PATH": "", "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"wijkbalans.analysis.effects.{name}")
    assert doctest.testmod(module).failed == 0
