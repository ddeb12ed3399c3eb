"""A Terraform / OpenTofu root module directory, read as `terraform plan` reads it.

Every `.tf` file of the directory is one configuration; variable values come, later winning,
from defaults, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars[.json]` in lexical
order (unless `auto_tfvars = false`), the source's `var_files` in order (`-var-file`) and its
`vars` (`-var`). So two environment folders (`envs/prod`, `envs/staging`) align, and so does
one module applied with `prod.tfvars` and `staging.tfvars` (two sources, same `path`). Each
block kind is a scope of its own (`terraform/resource`: `aws_db_instance.main.instance_class`,
`terraform/var`: `instance_class`); see _terraform.py for what is recorded.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from parity.errors import CollectorError

from ._terraform import Module
from .interface import BaseOptions, Collector, CollectorResult


class TerraformOptions(BaseOptions):
    """Options of the terraform collector."""

    path: str = Field(description="The root module's directory.")
    var_files: list[str] = Field(
        default_factory=list,
        description="tfvars files applied in order, as `-var-file` (relative to the config).",
    )
    vars: dict[str, Any] = Field(
        default_factory=dict, description="Variable values applied last, as `-var`."
    )
    auto_tfvars: bool = Field(
        default=True,
        description="Read terraform.tfvars(.json) and *.auto.tfvars(.json) as Terraform does.",
    )


class TerraformCollector(Collector[TerraformOptions]):
    """Reads a root module directory with its variable files."""

    type_name = "terraform"
    Options = TerraformOptions
    summary = "Terraform/OpenTofu root module: blocks by label, tfvars resolved, modules/providers"

    def location(self) -> str:
        return self.ctx.display(self.ctx.resolve(self.options.path))

    def collect(self) -> CollectorResult:
        root = self.ctx.resolve(self.options.path)
        if not root.is_dir():
            raise CollectorError(
                f"{self.ctx.display(root)} is not a directory",
                hint="point path at the root module's directory (the one `terraform plan` runs in)",
            )
        module = Module()
        tf = sorted(p for p in root.iterdir() if p.suffix == ".tf" and p.is_file())
        if not tf:
            raise CollectorError(
                f"{self.ctx.display(root)} holds no .tf file", hint="check the source path"
            )
        for p in tf:
            module.add_tf(self.ctx.display(p), self.ctx.read_text(p, allow_empty=True))
        if self.options.auto_tfvars:
            auto = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
            auto += sorted(
                p for p in root.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
            )
            for p in auto:
                if p.is_file():
                    module.add_tfvars(self.ctx.display(p), self.ctx.read_text(p, allow_empty=True))
        for name in self.options.var_files:
            p = self.ctx.resolve(name)
            module.add_tfvars(self.ctx.display(p), self.ctx.read_text(p, allow_empty=True))
        module.cli_vars = dict(self.options.vars)
        lock = root / ".terraform.lock.hcl"
        if lock.is_file():
            module.add_lock(self.ctx.read_text(lock, allow_empty=True), self.ctx.display(lock))
        return CollectorResult(records=module.records(self.ctx, self.scope, per_kind=True))
