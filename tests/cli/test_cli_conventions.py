"""CLI conventions: verdict line, filters, formats from extensions, colour only on a TTY,
help with examples and exit codes, case-insensitive levels, size-capped Markdown."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, cli

CFG = str(SAMPLE / "parity.toml")


def test_every_human_report_ends_with_a_verdict() -> None:
    table = cli("check", "-c", CFG)
    assert table.out.rstrip().splitlines()[-1].startswith("FAIL: ")
    assert "(gate: --fail-on error)" in table.out
    md = cli("check", "-c", CFG, "-f", "markdown")
    assert md.out.rstrip().splitlines()[-1].startswith("**FAIL: ")
    never = cli("check", "-c", CFG, "--fail-on", "NEVER")  # case-insensitive
    assert never.code == 0 and "PASS (gate: --fail-on never)" in never.out


def test_quiet_prints_only_the_verdict() -> None:
    r = cli("check", "-c", CFG, "-q")
    assert r.code == 1 and r.out.strip().startswith("FAIL: ") and len(r.out.splitlines()) == 1


def test_header_table_and_json_counts_agree() -> None:
    report = json.loads(cli("check", "-c", CFG, "-f", "json").out)
    table = cli("check", "-c", CFG).out
    staging = sum(
        1 for f in report["findings"] if f["environment"] == "staging" and not f["waived"]
    )
    assert "staging: score" in table and f", {staging} findings ==" in table


def test_min_severity_and_hide_waived() -> None:
    full = cli("check", "-c", CFG).out
    errors_only = cli("check", "-c", CFG, "--min-severity", "error", "--hide-waived").out
    assert "\ninfo " in full and "\ninfo " not in errors_only and "\nWARN " not in errors_only
    assert "info* " in full and "info* " not in errors_only


def test_output_extension_picks_the_format(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    cli("check", "-c", CFG, "-o", str(out))
    assert json.loads(out.read_text())["schema_version"] == 1
    md = tmp_path / "r.md"
    cli("check", "-c", CFG, "-o", str(md))
    assert md.read_text().startswith("# parity report")


def test_markdown_stays_under_the_github_comment_limit() -> None:
    from parity.model.findings import Finding
    from parity.reports.interface import RenderOptions
    from parity.reports.markdown import render_markdown

    from conftest import report_for, snap

    base = report_for(snap("production"), snap("staging"))
    many = [
        Finding(
            id=f"{i:016x}",
            rule="missing-key",
            category="config",
            severity="error",
            environment="staging",
            reference="production",
            subject=f"config:env:KEY_{i}",
            message="x" * 200,
            suggestion="add it",
            group=f"config:env:KEY_{i}",
        )
        for i in range(2000)
    ]
    text = render_markdown(base.model_copy(update={"findings": many}), None, RenderOptions())
    assert len(text) < 65_536 and "more finding(s) not shown" in text


@pytest.mark.parametrize("command", ["check", "diff", "snapshot", "report", "rules", "schema"])
def test_short_help_with_examples_and_exit_codes(command: str) -> None:
    r = cli(command, "-h")
    assert r.code == 0 and "Usage:" in r.out and "Exit codes: 0 pass" in r.out
    top = cli("-h")
    assert "Exit codes: 0 pass; 1 findings" in top.out


def test_check_help_has_examples_and_readable_metavars() -> None:
    out = cli("check", "-h").out
    assert "Examples:" in out and "--fail-on LEVEL" in out and "--format FORMAT" in out


def test_bad_fail_on_names_the_flag() -> None:
    r = cli("check", "-c", CFG, "--fail-on", "sometimes")
    assert r.code == 2 and "--fail-on" in r.err and "Traceback" not in r.err


def _run_on_tty(args: list[str], env: dict[str, str], stream: str = "stdout") -> str:
    """Run parity with stdout (or stderr) on a pseudo-terminal; return what it wrote there."""
    leader, follower = pty.openpty()
    ends = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    proc = subprocess.Popen(
        [sys.executable, "-m", "parity", *args],
        stdout=ends["stdout"],
        stderr=ends["stderr"],
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_tty_unless_no_color() -> None:
    env = {**os.environ, "PARITY_FINGERPRINT_KEY": "parity-test-fingerprint-key"}
    env.pop("NO_COLOR", None)
    coloured = _run_on_tty(["check", "-c", CFG], env)
    assert "\x1b[31mERR" in coloured
    plain = _run_on_tty(["check", "-c", CFG], {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "ERR" in plain
    piped = cli("check", "-c", CFG).out
    assert "\x1b[" not in piped


def test_progress_is_one_rewritten_line_on_a_tty_and_absent_when_piped() -> None:
    env = {**os.environ, "PARITY_FINGERPRINT_KEY": "parity-test-fingerprint-key"}
    err = _run_on_tty(["check", "-c", CFG, "-q"], env, stream="stderr")
    # one line per source as it finishes (sources run concurrently), rewritten in place
    assert "[1/" in err and "staging: dotenv (staging/.env)" in err
    assert "\r\x1b[2K" in err and "\n" not in err.replace("\r\n", "")
    piped = cli("check", "-c", CFG, "-q")
    assert "[1/" not in piped.err


def _bash_complete(words: list[str], cwd: Path | None = None) -> list[str]:
    """What `parity completion bash` offers for the last word of `words`: real bash running
    the script, which asks the installed `parity` (typer's completion) for the candidates."""
    script = cli("completion", "bash").out
    line = " ".join(f"'{w}'" for w in words)
    probe = (
        f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        'COMPREPLY=(); _parity_completion parity; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    out = subprocess.run(
        ["bash", "-c", probe],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PATH": path},
    )
    return out.stdout.split()


def test_bash_completion_offers_commands_options_and_values() -> None:
    assert _bash_complete(["parity", "ch"]) == ["check"]
    assert "--fail-on" in _bash_complete(["parity", "check", "--fail"])
    assert _bash_complete(["parity", "check", "--fail-on", ""]) == [
        "error",
        "warning",
        "info",
        "never",
    ]
    assert "markdown" in _bash_complete(["parity", "diff", "a", "b", "-f", "m"])
    # Environment names come from the project's parity.toml, and none without one.
    assert _bash_complete(["parity", "prune", "--env", ""], cwd=SAMPLE) == [
        "production",
        "staging",
        "canary",
    ]
    assert _bash_complete(["parity", "history", "s"], cwd=SAMPLE) == ["staging"]
    assert _bash_complete(["parity", "snapshot", ""], cwd=SAMPLE.parent / "tests") == []


def test_completion_scripts_for_each_shell() -> None:
    fish = cli("completion", "fish")
    assert fish.code == 0 and "complete --command parity" in fish.out
    assert "_PARITY_COMPLETE=complete_fish" in fish.out
    zsh = cli("completion", "zsh")
    assert (
        zsh.code == 0
        and "#compdef parity" in zsh.out
        and "_PARITY_COMPLETE=complete_zsh" in zsh.out
    )
    assert cli("completion", "bash").out.endswith(
        "complete -o default -F _parity_completion parity\n"
    )
    bad = cli("completion", "tcsh")
    assert bad.code == 2 and "'tcsh' is not one of 'bash', 'zsh', 'fish'" in bad.err


def test_usage_errors_are_one_line_and_name_the_command() -> None:
    typo = cli("chek")
    assert (
        typo.code == 2
        and typo.err
        == "parity: error: unknown command 'chek'; did you mean 'check'? (see parity -h)\n"
    )
    close = cli("check", "--fail-of", "error")
    assert close.code == 2 and "--fail-of" in close.err and "--fail-on" in close.err
    option = cli("check", "--bogus")
    assert option.code == 2 and option.err.count("\n") == 1
    assert "--bogus" in option.err and "(see parity check -h)" in option.err
    keep = cli("prune", "--keep", "0")
    assert keep.code == 2 and "--keep" in keep.err and "greater than or equal to 1" in keep.err
    bare = cli()
    assert bare.code == 2 and "Usage: parity" in bare.out and bare.err == ""


def test_fail_on_from_the_environment_is_checked_like_the_flag(monkeypatch) -> None:
    monkeypatch.setenv("PARITY_FAIL_ON", "NEVER")
    assert cli("check", "-c", CFG).code == 0
    monkeypatch.setenv("PARITY_FAIL_ON", "sometimes")
    r = cli("check", "-c", CFG)
    assert r.code == 2 and "'--fail-on' (env var: 'PARITY_FAIL_ON')" in r.err
    assert "'sometimes' is not one of 'error', 'warning', 'info', 'never'" in r.err
    assert cli("check", "-c", CFG, "--fail-on", "never").code == 0  # the flag wins


def test_version() -> None:
    from parity import __version__

    r = cli("--version")
    assert r.code == 0 and r.out == f"parity {__version__}\n"
