"""Terraform / OpenTofu read as Terraform reads it: blocks by label, references kept, tfvars in
Terraform's order, modules and providers as dependencies, sensitive values fingerprinted, state
files (local and on S3) as deployed attributes, protection settings judged by meaning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from parity.collectors.interface import CollectContext
from parity.collectors.terraform import TerraformCollector, TerraformOptions
from parity.collectors.terraform_state import transform
from parity.errors import ParseError
from parity.model import ConfigEntry, Dependency

from conftest import DATA, cli

TF = DATA / "terraform"
CANARIES = (
    "tf-canary-Pr0d-Pa55w0rd-x9",
    "tf-canary-Stg-Pa55w0rd-k3",
    "tf-canary-state-Pa55w0rd-q1",
    "tf-canary-state-output-token-77",
)


def collect(path: str, **options: Any) -> dict[tuple[str, str], Any]:
    ctx = CollectContext("production", TF)
    result = TerraformCollector(TerraformOptions(path=path, **options), ctx).run()
    out: dict[tuple[str, str], Any] = {}
    for r in result.records:
        out[(r.scope, r.key) if isinstance(r, ConfigEntry) else (r.ecosystem, r.name)] = r
    return out


def test_blocks_are_keyed_by_labels_and_references_stay_references() -> None:
    recs = collect("envs/prod")
    storage = recs[("terraform/resource", "aws_db_instance.main.allocated_storage")]
    assert storage.value == "100" and storage.source == "envs/prod/main.tf:34"
    cls = recs[("terraform/resource", "aws_db_instance.main.instance_class")]
    assert cls.value == "var.instance_class" and cls.value_ref.backend == "terraform"
    assert cls.fingerprint is None  # a reference is never secret material
    name = recs[("terraform/resource", "aws_db_instance.main.tags.Name")]
    assert name.value == "production-db-primary"  # interpolation of known values, resolved
    assert recs[("terraform/locals", "name")].value == "production-db"
    assert ("terraform/variable", "instance_class.default") not in recs  # reported at var.


def test_variable_values_come_from_tfvars_with_their_line() -> None:
    recs = collect("envs/prod")
    cls = recs[("terraform/var", "instance_class")]
    assert (cls.value, cls.source) == ("db.r5.large", "envs/prod/terraform.tfvars:2")
    assert recs[("terraform/var", "deletion_protection")].value == "true"


def test_tfvars_precedence_is_terraforms() -> None:
    """defaults < terraform.tfvars < *.auto.tfvars (lexical) < -var-file (in order) < -var."""
    assert collect("shared")[("terraform/var", "replicas")].value == "5"  # b.auto wins over a
    assert (
        collect("shared", var_files=["shared/prod.tfvars"])[("terraform/var", "replicas")].value
        == "3"
    )
    only = collect("shared", auto_tfvars=False, var_files=["shared/staging.tfvars"])
    assert only[("terraform/var", "replicas")].value == "1"
    last = collect("shared", var_files=["shared/prod.tfvars"], vars={"replicas": 9})
    assert last[("terraform/var", "replicas")].value == "9"


def test_modules_and_providers_are_dependencies_once() -> None:
    recs = collect("envs/prod")
    net = recs[("terraform-module", "network:github.com/acme/tf-network")]
    assert isinstance(net, Dependency) and net.version == "v1.2.0"
    assert recs[("terraform-module", "rds:terraform-aws-modules/rds/aws")].version == "6.1.0"
    assert recs[("terraform-provider", "hashicorp/aws")].version == "5.31.0"  # the lock file
    assert ("terraform/module", "rds.version") not in recs  # said by the dependency only


def test_sensitive_variables_are_fingerprinted_never_stored() -> None:
    pw = collect("envs/prod")[("terraform/var", "db_password")]
    assert pw.value is None and pw.fingerprint


def test_config_file_reads_a_tf_file_with_kinds_in_the_key() -> None:
    from parity.collectors.config_file import ConfigFileCollector, ConfigFileOptions

    ctx = CollectContext("production", TF)
    opts = ConfigFileOptions(paths=["envs/prod/main.tf", "envs/prod/terraform.tfvars"])
    recs = {
        r.key: r for r in ConfigFileCollector(opts, ctx).run().records if isinstance(r, ConfigEntry)
    }
    assert recs["resource.aws_db_instance.main.allocated_storage"].value == "100"
    assert recs["var.instance_class"].value == "db.r5.large"


def test_a_syntax_error_names_the_line_and_the_grammar_never_the_text(tmp_path: Path) -> None:
    from parity.collectors import _hcl

    with pytest.raises(ParseError) as caught:
        _hcl.parse_hcl('variable "p" {\n  default = "tf-canary-syntax" "x"\n}\n', "bad.tf")
    assert str(caught.value).startswith("bad.tf:2: invalid HCL: unexpected")
    assert "tf-canary-syntax" not in str(caught.value)


def _project(tmp_path: Path) -> str:
    shutil.copytree(TF / "envs", tmp_path / "envs")
    (tmp_path / "parity.toml").write_text(
        '[environments.production]\nsources = [{ type = "terraform", path = "envs/prod" }]\n'
        '[environments.staging]\nsources = [{ type = "terraform", path = "envs/staging" }]\n'
    )
    return str(tmp_path / "parity.toml")


def test_two_environment_folders_compare_end_to_end(tmp_path: Path) -> None:
    r = cli("check", "-c", _project(tmp_path), "-f", "json", "--fail-on", "never")
    findings = {(f["rule"], f["subject"], f["severity"]) for f in json.loads(r.out)["findings"]}
    assert (
        "version-mismatch",
        "dependency:terraform-module:network:github.com/acme/tf-network",
        "warning",
    ) in findings
    assert (
        "version-mismatch",
        "dependency:terraform-provider:hashicorp/aws",
        "warning",
    ) in findings
    assert ("protection-drift", "config:terraform/var:deletion_protection", "warning") in findings
    assert (
        "protection-drift",
        "config:terraform/resource:aws_db_instance.main.backup_retention_period",
        "warning",
    ) in findings
    capacity = [f for f in findings if f[0] == "capacity-drift"]
    assert capacity and all(f[2] == "info" for f in capacity)
    assert not [f for f in findings if f[0] == "secret-shared"]  # two different passwords
    assert not any(c in r.out + r.err for c in CANARIES)


def test_production_without_a_protection_staging_has_is_an_error(tmp_path: Path) -> None:
    cfg = _project(tmp_path)
    prod = tmp_path / "envs/prod/terraform.tfvars"
    prod.write_text(prod.read_text().replace("deletion_protection = true", ""))
    stg = tmp_path / "envs/staging/terraform.tfvars"
    stg.write_text(stg.read_text() + "deletion_protection = true\n")
    r = cli("check", "-c", cfg, "-f", "json", "--fail-on", "never")
    (f,) = [
        f for f in json.loads(r.out)["findings"] if f["subject"].endswith(":deletion_protection")
    ]
    assert (f["rule"], f["severity"]) == ("protection-drift", "error")
    assert "production's data lacks a protection staging has" in f["message"]


def test_state_transform_fingerprints_sensitive_attributes_and_outputs() -> None:
    ctx = CollectContext("production", TF)
    text = (TF / "state.json").read_text()
    recs = {(r.scope, r.key): r for r in transform(ctx, "state", text, "state.json")}
    db = "state/module.rds.aws_db_instance.main"
    assert recs[(db, "instance_class")].value == "db.r5.large"
    assert recs[(db, "password")].value is None and recs[(db, "password")].fingerprint
    assert recs[("state/output", "admin_token")].value is None
    assert recs[("state/output", "endpoint")].value == "db.prod.internal:5432"
    assert ("state/data.aws_caller_identity.current", "account_id") in recs
    assert (db, "replicas") not in recs  # null: unset
    assert not any(c in repr(recs) for c in CANARIES)


def test_state_of_another_version_is_refused() -> None:
    ctx = CollectContext("production", TF)
    with pytest.raises(ParseError, match="state version 3 is not supported"):
        transform(ctx, "state", '{"version": 3, "resources": []}', "old.tfstate")


def test_state_from_s3_on_moto(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    s3.create_bucket(
        Bucket="tf-states", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    state = json.loads((TF / "state.json").read_text())
    s3.put_object(Bucket="tf-states", Key="prod/terraform.tfstate", Body=json.dumps(state))
    state["resources"][0]["instances"][0]["attributes"]["multi_az"] = False
    s3.put_object(Bucket="tf-states", Key="staging/terraform.tfstate", Body=json.dumps(state))
    (tmp_path / "parity.toml").write_text(
        "[environments.production]\nsources = [{ type = 'terraform-state', "
        "path = 's3://tf-states/prod/terraform.tfstate' }]\n"
        "[environments.staging]\nsources = [{ type = 'terraform-state', "
        "path = 's3://tf-states/staging/terraform.tfstate' }]\n"
    )
    r = cli("check", "-c", str(tmp_path / "parity.toml"), "-f", "json", "--fail-on", "never")
    report = json.loads(r.out)
    assert report["complete"], r.err
    rules = {(f["rule"], f["subject"]) for f in report["findings"]}
    assert (
        "protection-drift",
        "config:terraform-state/module.rds.aws_db_instance.main:multi_az",
    ) in rules
    assert (
        "secret-shared",
        "config:terraform-state/module.rds.aws_db_instance.main:password",
    ) in rules
    assert not any(c in r.out + r.err for c in CANARIES)
    missing = cli(
        "snapshot",
        "production",
        "-c",
        str(tmp_path / "parity.toml").replace("parity.toml", "missing.toml"),
    )
    assert missing.code == 2
    (tmp_path / "gone.toml").write_text(
        "[environments.production]\nsources = [{ type = 'terraform-state', "
        "path = 's3://tf-states/nope/terraform.tfstate' }]\n"
    )
    gone = cli(
        "snapshot", "production", "-c", str(tmp_path / "gone.toml"), "-o", str(tmp_path / "s.json")
    )
    assert gone.code == 3 and "NoSuchKey" in gone.err


def test_init_recognises_environment_folders_and_tfvars(tmp_path: Path) -> None:
    shutil.copytree(TF / "envs", tmp_path / "infra" / "envs")
    (tmp_path / "module" / "env").mkdir(parents=True)
    shutil.copy(TF / "shared" / "main.tf", tmp_path / "module" / "main.tf")
    for env in ("prod", "staging"):
        shutil.copy(TF / "shared" / f"{env}.tfvars", tmp_path / "module" / "env" / f"{env}.tfvars")
    (tmp_path / "module" / ".terraform").mkdir()  # `terraform init`'s cache is never read
    (tmp_path / "module" / ".terraform" / "x.tf").write_text('variable "prod" {}\n')
    assert cli("init", str(tmp_path)).code == 0
    text = (tmp_path / "parity.toml").read_text()
    assert '{ type = "terraform", path = "infra/envs/prod", name = "infra-envs" }' in text
    assert 'path = "module", var_files = ["module/env/staging.tfvars"]' in text
    assert ".terraform" not in text
    r = cli("check", "-c", str(tmp_path / "parity.toml"), "-f", "json", "--fail-on", "never")
    assert json.loads(r.out)["complete"], r.err


def test_diff_of_two_module_folders_needs_no_configuration() -> None:
    r = cli("diff", str(TF / "envs/prod"), str(TF / "envs/staging"), "-f", "json")
    report = json.loads(r.out)
    assert report["environments"] == ["production", "staging"]  # what the paths name
    assert any(f["rule"] == "protection-drift" for f in report["findings"])


def test_literal_secrets_and_sensitive_values_never_reach_a_snapshot(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'variable "webhook" {\n  sensitive = true\n}\n'
        'resource "aws_db_instance" "db" {\n  password = "tf-canary-literal-Zq81xW"\n'
        '  notes = "${var.webhook}/hook"\n}\n'
        'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n'
    )
    (tmp_path / "m" / "terraform.tfvars").write_text('webhook = "tf-canary-sensitive-Qm4"\n')
    (tmp_path / "parity.toml").write_text(
        '[environments.production]\nsources = [{ type = "terraform", path = "m" }]\n'
    )
    r = cli("snapshot", "production", "-c", str(tmp_path / "parity.toml"))
    assert r.code == 0, r.err
    for canary in ("tf-canary-literal-Zq81xW", "tf-canary-sensitive-Qm4", "AKIAIOSFODNN7EXAMPLE"):
        assert canary not in r.out + r.err
    records = {rec["key"]: rec for rec in json.loads(r.out)["records"]}
    assert records["aws_db_instance.db.password"]["fingerprint"]
    assert records["aws_db_instance.db.notes"]["value"] == "${var.webhook}/hook"  # withheld
