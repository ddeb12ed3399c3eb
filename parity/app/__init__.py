"""The application layer: what each command does, usable from Python without the CLI.

`run_check`, `run_diff`, `run_snapshot`, `run_audit` and `run_baseline` take settings and
options and return results (a report and the policy it applied, a snapshot, an audit); the
CLI (parity/cli/) only parses arguments, calls one of them and renders what it returns. This
is the one place that composes the stages — collection, the policy, evaluation, the history —
so the stages never import each other upwards.

    from parity.app import run_check
    from parity.settings import load_settings

    result = run_check(load_settings("parity.toml"))
    print(result.report.summary.by_severity)

Modules: `commands` (the run_* functions), `collect` (concurrent collection), `pipeline` (building a
report from snapshots), `audit` (new/persisting/resolved marks, the webhook), `baseline` (the
waiver file), `scaffold` (`parity init`'s inference of sources from a repository, also used by
a zero-config `parity diff`).
"""

from .commands import (
    AuditResult,
    Result,
    gather,
    history_of,
    needs_config,
    project_policy,
    run_audit,
    run_baseline,
    run_check,
    run_diff,
    run_files,
    run_snapshot,
)

__all__ = [
    "AuditResult",
    "Result",
    "gather",
    "history_of",
    "needs_config",
    "project_policy",
    "run_audit",
    "run_baseline",
    "run_check",
    "run_diff",
    "run_files",
    "run_snapshot",
]
