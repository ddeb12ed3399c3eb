"""The HTML report, loaded in headless Chromium (Debian's chromium): it renders with no console
errors, loads nothing from the network, and its filters work; a screenshot is kept as a test
artifact (PARITY_TEST_ARTIFACTS, default ./test-artifacts)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from live import unavailable

from conftest import SAMPLE, cli

ARTIFACTS = Path(
    os.environ.get("PARITY_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts")
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("chromium is needed for the HTML report test", "apt-get install chromium")
    return found


def browse(page: Path, tmp_path: Path, *extra: str, fragment: str = "") -> tuple[str, str]:
    out = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            *extra,
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout, out.stderr


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    assert cli("check", "-c", str(SAMPLE / "parity.toml"), "-o", str(path)).code == 1
    return path


def test_page_loads_without_errors_or_network(page: Path, tmp_path: Path) -> None:
    text = page.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # nothing fetched
    assert "Content-Security-Policy" in text
    dom, log = browse(page, tmp_path, "--dump-dom")
    assert 'data-ready="1"' in dom and "data-error" not in dom
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    rows = re.findall(r'<tr class="finding[^"]*"[^>]*>', dom)
    assert len(rows) > 20 and not any("hidden" in r for r in rows)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    browse(page, tmp_path, "--window-size=1280,2000", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


def test_filters_from_the_link_hide_other_rows(page: Path, tmp_path: Path) -> None:
    dom, _ = browse(page, tmp_path, "--dump-dom", fragment="#severity=error&environment=canary")
    rows = re.findall(r'<tr class="finding[^"]*"([^>]*)>', dom)
    visible = [r for r in rows if "hidden" not in r]
    assert visible and all(
        'data-severity="error"' in r and 'data-environment="canary"' in r for r in visible
    )
    shown = re.search(r'<span id="shown">(\d+)</span>', dom)
    assert shown is not None and int(shown.group(1)) == len(visible) < len(rows)


def test_hostile_keys_and_values_are_text_not_markup(tree: object, tmp_path: Path) -> None:
    evil = '<img src=x onerror="document.body.dataset.pwned=1">'
    breakout = "</script><script>document.body.dataset.pwned=2</script>"
    root = tree(  # type: ignore[operator]
        {
            "parity.toml": """
            [environments.production]
            sources = [{ type = "config-file", path = "p.yaml", name = "cfg" }]
            [environments.staging]
            sources = [{ type = "config-file", path = "s.yaml", name = "cfg" }]
            """,
            "p.yaml": f"'{evil}': a\nnote: '{breakout}'\n",
            "s.yaml": "note: b\n",
        }
    )
    page = tmp_path / "evil.html"
    cli("check", "-c", str(root / "parity.toml"), "-o", str(page))
    text = page.read_text()
    assert "&lt;img src=x" in text and "&lt;/script&gt;" in text  # shown, as text
    assert "<img" not in text and "<script>document" not in text
    dom, _ = browse(page, tmp_path, "--dump-dom")
    assert 'data-ready="1"' in dom and "pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
