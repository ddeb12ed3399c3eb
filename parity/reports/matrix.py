"""The key x environment matrix: which environment sets each key, and to what.

The view people reach for first: every configuration key that differs somewhere, one column per
environment, its value (secrets as `<secret>`, references by their store, `—` where unset).
It reads the snapshots, not the findings, so it shows what is there rather than what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping

from parity.model import ConfigEntry, Snapshot

UNSET = "—"
WIDTH = 40


def _cell(r: ConfigEntry | None) -> str:
    if r is None:
        return UNSET
    if r.value is not None:
        text = r.value
    elif r.value_ref is not None:
        text = f"<ref {r.value_ref}>"
    else:
        text = "<secret>"
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def render_matrix(snapshots: Mapping[str, Snapshot], show_equal: bool = False) -> str:
    """The table of keys that differ (or every key with `show_equal`), then a count of the
    rest; the first snapshot is the reference."""
    from tabulate import tabulate

    envs = list(snapshots)
    rows: dict[tuple[str, str], dict[str, ConfigEntry]] = {}
    for env, snap in snapshots.items():
        for r in snap.records:
            if isinstance(r, ConfigEntry):
                rows.setdefault((r.scope, r.key), {})[env] = r
    table, equal = [], 0
    for (scope, key), by_env in sorted(rows.items()):
        cells = [_cell(by_env.get(env)) for env in envs]
        same = len(set(cells)) == 1 and len(by_env) == len(envs)
        if same and not show_equal:
            equal += 1
            continue
        table.append([f"{key} ({scope})", *cells])
    out = tabulate(table, headers=["key", *envs], disable_numparse=True) if table else ""
    tail = f"{equal} key(s) equal in every environment not shown" if equal else ""
    return "\n".join(x for x in (out, tail) if x) + "\n"
