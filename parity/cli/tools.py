"""Tools around the gate: rules, schema, iam-policy, init, completion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from .options import Config, Debug, environment_names
from .support import emit, handled, out, say

app = typer.Typer()


@app.command(
    epilog="Examples:\n  parity rules -f json\n  parity rules -f markdown   # the README's table"
)
@handled
def rules(
    config: Config = None,
    format: Annotated[
        Literal["table", "json", "markdown", "md"],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            case_sensitive=False,
            help="table, json or markdown.",
        ),
    ] = "table",
    debug: Debug = False,
) -> None:
    """List rules with their effective severity (after the project policy)."""
    from parity.app import project_policy
    from parity.policies import default_policy
    from parity.policies.catalog import render_rules
    from parity.settings import find_config, load_settings

    policy = project_policy(load_settings(config)) if find_config(config) else default_policy()
    fmt = "markdown" if format == "md" else format
    emit(render_rules(policy.rules.values(), fmt), None)


@app.command("iam-policy", epilog="Examples:\n  parity iam-policy -e production > readonly.json")
@handled
def iam_policy(
    env: Annotated[
        str | None,
        typer.Option(
            "--env",
            "-e",
            metavar="NAME",
            help="Only this environment's sources.",
            autocompletion=environment_names,
        ),
    ] = None,
    config: Config = None,
    debug: Debug = False,
) -> None:
    """Print the least-privilege IAM policy for the configured aws-* sources."""
    import json

    from parity.collectors.aws._iam import iam_policy as build
    from parity.settings import load_settings

    emit(json.dumps(build(load_settings(config), env), indent=2) + "\n", None)


@app.command(epilog="Examples:\n  parity schema > parity-report.schema.json")
@handled
def schema(debug: Debug = False) -> None:
    """Print the JSON Schema of the JSON report."""
    from parity.reports.json_report import report_schema

    emit(report_schema(), None)


@app.command(epilog="Examples:\n  parity init && parity check")
@handled
def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Repository to scan (default: the current directory)."),
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing parity.toml.")] = (
        False
    ),
    debug: Debug = False,
) -> None:
    """Scaffold a commented, valid parity.toml from the repository's per-environment files."""
    from parity.app.scaffold import render as scaffold
    from parity.app.scaffold import scan
    from parity.errors import ConfigError

    if not directory.is_dir():
        raise ConfigError(f"{directory} is not a directory", hint="parity init [DIR]")
    target = directory / "parity.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target} exists", hint="use --force to overwrite it")
    found = scan(directory)
    emit(scaffold(directory, found), target)
    envs = sorted({f.env for f in found})
    say(
        f"parity: wrote {target}: {len(found)} source file(s) in "
        f"{len(envs)} environment(s) ({', '.join(envs) or 'none found'})"
    )


@app.command(
    epilog="Examples:\n"
    '  eval "$(parity completion bash)"          # in ~/.bashrc\n'
    '  eval "$(parity completion zsh)"           # in ~/.zshrc\n'
    "  parity completion fish > ~/.config/fish/completions/parity.fish\n"
    "  (or: parity --install-completion)",
)
@handled
def completion(
    shell: Annotated[
        Literal["bash", "zsh", "fish", "powershell", "pwsh"],
        typer.Argument(
            metavar="SHELL", case_sensitive=False, help="bash, zsh, fish, powershell or pwsh."
        ),
    ],
) -> None:
    """Print the shell-completion script (the one `parity --show-completion SHELL` prints)."""
    from typer._completion_shared import get_completion_script  # what --show-completion uses

    script = get_completion_script(prog_name="parity", complete_var="_PARITY_COMPLETE", shell=shell)
    out(script + "\n")
