"""Where a finding's source is in the repository, for formats that point at files (SARIF,
GitHub annotations): one parser, so both agree on what counts as a file."""

from __future__ import annotations

import re

# `path[:line][#fragment]`, where the path has no scheme: `sqlite:db`, `docker:unix://…`,
# `rds:instance/x` are live sources, not files.
_FILE = re.compile(r"^(?P<path>[\w.\-/]+)(?::(?P<line>\d+))?(?:#\S*)?(?: \(.*\))?$")


def file_location(source: str | None) -> tuple[str, int | None] | None:
    """(relative path, line) when a finding's source is a project file, else None."""
    if not source:
        return None
    m = _FILE.match(source)
    if not m:
        return None
    path = m.group("path")
    if path.startswith(("/", "../")) or "." not in path.rsplit("/", 1)[-1]:
        return None
    line = m.group("line")
    return path, int(line) if line else None
