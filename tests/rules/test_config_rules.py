"""Config rules: a case that fires and a close case that must not."""

from __future__ import annotations

import json

from parity.model import (
    ConfigEntry,
    RefBackend,
    RequiredKey,
    ValueRef,
)

from conftest import FP, c, report_for, rules_hit, snap


def test_missing_key_both_directions() -> None:
    """A key only one side sets is a warning: nothing says the environment lacking it breaks."""
    r = report_for(
        snap("production", c("A", "1"), c("B", "2")), snap("staging", c("A", "1"), c("Z", "9"))
    )
    hits = {(f.subject, f.severity) for f in r.findings if f.rule == "missing-key"}
    assert hits == {("config:env:B", "warning"), ("config:env:Z", "warning")}


def test_missing_key_is_an_error_only_where_something_needs_it() -> None:
    """Code that reads B without a default makes B's absence an error; a ConfigMap key a
    workload references by name likewise."""
    need = RequiredKey("B", "app.py:3")
    r = report_for(
        snap("production", c("A", "1"), c("B", "2"), need), snap("staging", c("A", "1"), need)
    )
    assert {(f.subject, f.severity) for f in r.findings if f.rule == "missing-key"} == {
        ("config:env:B", "error")
    }
    cm = "k8s/ConfigMap/app"
    ref = ConfigEntry(
        "k8s/Deployment/web/web",
        "B",
        None,
        "k8s.yaml",
        value_ref=ValueRef(RefBackend.K8S_CONFIGMAP, "app/B"),
        env_var=True,
    )
    prod = snap("production", ConfigEntry(cm, "B", "2", "k8s.yaml"), ref)
    r2 = report_for(prod, snap("staging", ref))
    assert ("config:k8s/ConfigMap/app:B", "error") in {
        (f.subject, f.severity) for f in r2.findings if f.rule == "missing-key"
    }


def test_absent_means_the_same_is_info() -> None:
    """false/0/empty set on one side only, a global default, operational keys and aids a
    lower environment adds: at most info. The lacking side switching the feature off: not
    reported (the switch's own finding says it)."""
    prod = snap(
        "production",
        c("workers.enabled", "false"),
        c("ENABLE_ALERTING", "true"),
        c("redis.host", "r1"),
        c("redis.enabled", "true"),
    )
    stg = snap(
        "staging",
        c("EMAIL_ADDRESS_OVERRIDE", "qa@x.org"),
        c("redis.enabled", "false"),
    )
    r = report_for(prod, stg)
    got = {(f.subject, f.severity) for f in r.findings if f.rule == "missing-key"}
    assert got == {
        ("config:env:workers.enabled", "info"),
        ("config:env:ENABLE_ALERTING", "info"),
        ("config:env:EMAIL_ADDRESS_OVERRIDE", "info"),
    }
    # the same aid in production-like staging is a warning (nothing protects real users)
    r2 = report_for(prod, stg, policy={"production_like": ["production", "staging"]})
    assert ("config:env:EMAIL_ADDRESS_OVERRIDE", "warning") in {
        (f.subject, f.severity) for f in r2.findings if f.rule == "missing-key"
    }


def test_no_missing_key_when_equal() -> None:
    r = report_for(snap("production", c("A", "1")), snap("staging", c("A", "1")))
    assert r.findings == []


def test_members_with_nothing_in_common_are_one_finding_for_the_map() -> None:
    def f(key: str, value: str) -> ConfigEntry:
        return ConfigEntry("values", key, value, "values.yaml:1")

    prod = [f("hosts.bids.url", "b"), f("hosts.bids.weight", "1"), f("hosts.gesis.url", "g")]
    stg = [f("hosts.staging.url", "s"), f("hosts.staging.weight", "1")]
    r = report_for(snap("production", *prod), snap("staging", *stg))
    (only,) = r.findings
    assert (only.rule, only.subject, only.severity) == (
        "missing-key",
        "config:values:hosts",
        "info",
    )
    assert "production has bids, gesis; staging has staging" in only.message
    # leaves and identity-keyed list members are one setting / one thing each: never merged
    leaves = report_for(
        snap("production", f("flags.search", "1"), f("env[name=DATABASE_URL].value", "1")),
        snap("staging", f("flags.checkout", "1"), f("env[name=LOG_LEVEL].value", "1")),
    )
    assert len([x for x in leaves.findings if x.rule == "missing-key"]) == 4
    # one member in common: a member one side lacks is a real gap, reported as such
    shared = [f("hosts.gesis.url", "g"), *stg]
    r2 = report_for(snap("production", *prod), snap("staging", *shared))
    assert sorted((x.subject, x.severity) for x in r2.findings) == [
        ("config:values:hosts.bids", "warning"),
        ("config:values:hosts.staging", "warning"),
    ]


def test_keys_under_an_element_named_for_its_environment_are_not_a_missing_element() -> None:
    """`apps[name=api-staging]` is production's `apps[name=api]` (the diff aligns them): keys
    only staging sets below it are those keys, not "the whole element is staging-only"."""

    def f(key: str, value: str) -> ConfigEntry:
        return ConfigEntry("manifest", key, value, "api.yml:1")

    prod = [f("apps[name=api].memory", "64M"), f("apps[name=api].env.MODE", "basic")]
    stg = [
        f("apps[name=api-staging].memory", "64M"),
        f("apps[name=api-staging].env.MODE", "basic"),
        f("apps[name=api-staging].env.SAML_ENABLED", "1"),
        f("apps[name=api-staging].env.SAML_URL", "https://idp.example.org"),
    ]
    r = report_for(snap("production", *prod), snap("staging", *stg))
    assert sorted(x.subject for x in r.findings if x.rule == "missing-key") == [
        "config:manifest:apps[name=api-staging].env.SAML_ENABLED",
        "config:manifest:apps[name=api-staging].env.SAML_URL",
    ]
    # an element only staging has is still one finding for the element
    extra = [*stg, f("apps[name=worker].route", "/w"), f("apps[name=worker].command", "w")]
    r2 = report_for(snap("production", *prod), snap("staging", *extra))
    assert "config:manifest:apps[name=worker]" in {x.subject for x in r2.findings}


def test_a_scope_named_for_its_environment_is_compared_under_its_aligned_name() -> None:
    """`ns/Deployment/app-production` and `ns/Deployment/app-staging` are one object: staging
    has `probe.http` (with another field), so production's extra fields below it are two
    keys, not "probe is missing in staging"."""

    def f(scope: str, key: str) -> ConfigEntry:
        return ConfigEntry(scope, key, "x", "k8s.yaml:1")

    prod = [f("ns/Deployment/app-production", k) for k in ("probe.http.path", "probe.http.scheme")]
    stg = [f("ns/Deployment/app-staging", "probe.http.port")]
    r = report_for(snap("production", *prod), snap("staging", *stg))
    assert sorted(x.subject for x in r.findings if x.rule == "missing-key") == [
        "config:ns/Deployment/app-production:probe.http.path",
        "config:ns/Deployment/app-production:probe.http.scheme",
        "config:ns/Deployment/app-staging:probe.http.port",
    ]


def test_an_object_only_one_side_has_is_one_finding_for_the_object() -> None:
    def f(scope: str, key: str) -> ConfigEntry:
        return ConfigEntry(scope, key, "x", "k8s.yaml#obj")

    crt = "ns/Certificate/app-production-tls"
    prod = [f(crt, "secretName"), f(crt, "dnsNames"), f("ns/Service/a", "port")]
    stg = [f("ns/Service/a", "port")]
    r = report_for(snap("production", *prod), snap("staging", *stg))
    (only,) = r.findings
    assert (only.rule, only.subject, only.severity) == ("missing-key", f"config:{crt}", "warning")
    assert only.message == f"{crt} (2 keys) exists in production but not in staging"
    assert only.suggestion == f"create {crt} in staging"
    # ConfigMap keys are variables the code reads: each stays its own finding
    cm = "ns/ConfigMap/extra"
    r2 = report_for(snap("production", f(cm, "A"), f(cm, "B")), snap("staging"))
    assert sorted(x.subject for x in r2.findings) == [f"config:{cm}:A", f"config:{cm}:B"]


def test_disjoint_members_are_found_in_scopes_named_for_their_environment() -> None:
    def f(scope: str, key: str) -> ConfigEntry:
        return ConfigEntry(scope, key, "x", "values.yaml:1")

    a, b = "ns/HelmRelease/web-production", "ns/HelmRelease/web-staging"
    prod = [f(a, "hosts.bids.url"), f(a, "hosts.gesis.url"), f(a, "replicas")]
    stg = [f(b, "hosts.staging.url"), f(b, "replicas")]
    r = report_for(snap("production", *prod), snap("staging", *stg))
    (only,) = r.findings
    assert (only.subject, only.severity) == (f"config:{b}:hosts", "info")
    assert "production has bids, gesis; staging has staging" in only.message


def test_set_difference_names_only_elements_that_differ_after_env_names() -> None:
    def lst(items: list[str]) -> ConfigEntry:
        return ConfigEntry("values", "features", json.dumps(items), "v.yaml:1", structured=items)

    prod = lst(["search", "beta-banner", "cart"])
    stg = lst(["search-staging", "cart", "gift-cards"])
    r = report_for(snap("production", prod), snap("staging", stg))
    (f,) = [f for f in r.findings if f.rule == "value-drift"]
    assert "adds gift-cards; lacks beta-banner" in f.message  # search-staging is search


def test_key_typo_replaces_missing_pair() -> None:
    r = report_for(
        snap("production", c("DATABASE_URL", "x")), snap("staging", c("DATABSE_URL", "x"))
    )
    assert [f.rule for f in r.findings] == ["key-typo"]
    assert "did you mean DATABASE_URL" in r.findings[0].message
    r2 = report_for(
        snap("production", c("DATABASE_URL", "x")), snap("staging", c("QUEUE_NAME", "x"))
    )
    assert rules_hit(r2, "key-typo") == []


def test_value_drift_normalizes_env_names_and_uses_contracts() -> None:
    prod = snap("production", c("DB_HOST", "db.prod.internal"), c("LEVEL", "INFO"), c("CUR", "EUR"))
    stg = snap("staging", c("DB_HOST", "db.staging.internal"), c("LEVEL", "DEBUG"), c("CUR", "USD"))
    r = report_for(prod, stg, policy={"contracts": [{"keys": ["CUR"], "rule": "must-equal"}]})
    drift = {f.subject: f.severity for f in r.findings if f.rule == "value-drift"}
    assert drift == {"config:env:LEVEL": "info", "config:env:CUR": "error"}
    r2 = report_for(
        prod, stg, policy={"contracts": [{"keys": ["LEVEL", "CUR"], "rule": "may-differ"}]}
    )
    assert rules_hit(r2, "value-drift") == []


def test_value_drift_never_compares_secrets_and_explains_structures() -> None:
    prod = snap(
        "production",
        c("TOKEN", None, fingerprint=FP),
        c("resources", '{"a":1}', structured={"limits": {"memory": "1Gi"}}),
    )
    stg = snap(
        "staging",
        c("TOKEN", None, fingerprint=FP.replace("0", "1")),
        c("resources", '{"a":2}', structured={"limits": {"memory": "2Gi"}}),
    )
    r = report_for(prod, stg)
    assert [f.subject for f in r.findings] == ["config:env:resources"]
    assert "limits.memory" in r.findings[0].message


def test_cross_env_reference() -> None:
    r = report_for(
        snap("production", c("API", "https://api.prod.internal")),
        snap("staging", c("API", "https://api.prod.internal")),
    )
    assert rules_hit(r, "cross-env-reference") == [("staging", "config:env:API")]
    r = report_for(
        snap("production", c("API", "https://api.prod.internal")),
        snap("staging", c("API", "https://api.staging.internal")),
    )
    assert rules_hit(r, "cross-env-reference") == []


def test_unsafe_prod_value_only_in_production_like() -> None:
    bad = [
        c("DEBUG", "true"),
        c("NODE_ENV", "development"),
        c("CACHE", "redis://localhost:6379"),
        c("command", "uvicorn app:app --reload"),
        c("HOST", "0.0.0.0"),
    ]
    r = report_for(snap("production", *bad), snap("staging", *bad))
    assert sorted(rules_hit(r, "unsafe-prod-value")) == [
        ("production", "config:env:CACHE"),
        ("production", "config:env:DEBUG"),
        ("production", "config:env:NODE_ENV"),
        ("production", "config:env:command"),
    ]


def test_unset_required_key() -> None:
    req = [RequiredKey("NEEDED", "app.py:3"), RequiredKey("OPTIONAL", "app.py:4", has_default=True)]
    r = report_for(snap("production", c("NEEDED", "1"), *req), snap("staging", *req))
    assert rules_hit(r, "unset-required-key") == [("staging", "required-key:NEEDED")]
    file_only = ConfigEntry("cfg", "NEEDED", "1", "c.yaml")  # not an env var
    r = report_for(snap("production", c("NEEDED", "1"), *req), snap("staging", file_only, *req))
    assert rules_hit(r, "unset-required-key") == [("staging", "required-key:NEEDED")]


def test_contract_violation_regex_and_must_differ() -> None:
    policy = {
        "contracts": [
            {"keys": ["REGION"], "regex": {"prod*": "^eu-"}},
            {"keys": ["SESSION_SECRET"], "rule": "must-differ"},
        ]
    }
    prod = snap("production", c("REGION", "us-east-1"), c("SESSION_SECRET", None, fingerprint=FP))
    stg = snap("staging", c("REGION", "us-east-1"), c("SESSION_SECRET", None, fingerprint=FP))
    r = report_for(prod, stg, policy=policy)
    assert sorted(rules_hit(r, "contract-violation")) == [
        ("production", "config:env:REGION"),
        ("staging", "config:env:SESSION_SECRET"),
    ]


def test_env_file_line_read_by_several_services_is_one_finding() -> None:
    def svc(env: str, name: str, value: str) -> ConfigEntry:
        return ConfigEntry(f"compose/{name}", "LEVEL", value, f"{env}/app.env:3", env_var=True)

    prod = snap("production", svc("production", "web", "1"), svc("production", "worker", "1"))
    stg = snap("staging", svc("staging", "web", "2"), svc("staging", "worker", "2"))
    r = report_for(prod, stg)
    drift = [f for f in r.findings if f.rule == "value-drift"]
    assert len(drift) == 1 and "also used by: compose/worker" in drift[0].message


def test_configmap_value_reported_once_at_its_source() -> None:
    from parity.model import RefBackend, ValueRef

    def env(name: str, level: str) -> tuple[ConfigEntry, ...]:
        cm = ConfigEntry("k8s/ConfigMap/shared", "LEVEL", level, "m.yaml")
        ref = ValueRef(RefBackend.K8S_CONFIGMAP, "shared/LEVEL")
        users = tuple(
            ConfigEntry(f"k8s/Deployment/{w}/{w}", "LEVEL", None, "m.yaml", value_ref=ref)
            for w in ("api", "worker")
        )
        return (cm, *users)

    r = report_for(snap("production", *env("production", "1")), snap("staging", *env("s", "2")))
    assert [f.subject for f in r.findings] == ["config:k8s/ConfigMap/shared:LEVEL"]
    assert "used by: k8s/Deployment/api, k8s/Deployment/worker" in r.findings[0].message


def test_values_differing_only_by_each_environments_account_are_equal() -> None:
    def arn(account: str, name: str) -> str:
        return f"arn:aws:sqs:eu-west-1:{account}:{name}"

    prod = snap(
        "production", c("Q1", arn("111111111111", "orders")), c("Q2", arn("111111111111", "mail"))
    )
    stg = snap(
        "staging", c("Q1", arn("222222222222", "orders")), c("Q2", arn("222222222222", "mail"))
    )
    assert report_for(prod, stg).findings == []


def test_staging_value_naming_productions_account_is_a_cross_env_reference() -> None:
    def arn(account: str, name: str) -> str:
        return f"arn:aws:kms:eu-west-1:{account}:key/{name}"

    prod = snap("production", c("K1", arn("111111111111", "a")), c("K2", arn("111111111111", "b")))
    stg = snap("staging", c("K1", arn("222222222222", "a")), c("K2", arn("111111111111", "b")))
    assert rules_hit(report_for(prod, stg), "cross-env-reference") == [("staging", "config:env:K2")]


def test_environment_token_on_one_side_only_is_still_an_environment_name() -> None:
    pairs = [
        ("https://assets.x.gov", "https://assets.staging.x.gov"),
        ("tock", "tock-staging"),
        ("Panoptes", "Panoptes Staging"),
        ("panoptesuploads", "panoptesuploadsstaging"),  # no separator allowed in the name
    ]
    for prod_value, stg_value in pairs:
        r = report_for(snap("production", c("V", prod_value)), snap("staging", c("V", stg_value)))
        assert r.findings == [], (prod_value, stg_value)


def test_stop_words_and_mode_keys_are_not_cross_env_references() -> None:
    stg = snap(
        "staging",
        c("REDIS", "redis://cache.svc.cluster.local:6379"),
        c("ISSUER", "letsencrypt-prod"),
        c("NODE_ENV", "production"),
    )
    r = report_for(snap("production", *stg.records), stg)
    assert rules_hit(r, "cross-env-reference") == []


def test_user_aliases_and_stop_words_extend_the_defaults() -> None:
    from parity.align.normalize import EnvNormalizer
    from parity.settings import DEFAULT_ALIASES

    aliases = {**DEFAULT_ALIASES, "production": ["production", "pd"]}
    n = EnvNormalizer(["production", "staging"], aliases, ["pd-router"])
    assert n.foreign_match("staging", "db.pd.internal") is not None
    assert n.foreign_match("staging", "edge.pd-router.net") is None


def test_deny_lists_and_third_party_hosts_are_not_references() -> None:
    prod = snap(
        "production",
        c("CORS_REJECT_HOSTS", "uploads-staging.acme.org"),
        c("CORS_ORIGINS", "https://staging.partner-site.org,https://www.acme.org"),
        c("API", "https://api.acme.org"),
        c("WWW", "https://www.acme.org"),
    )
    assert rules_hit(report_for(prod), "cross-env-reference") == []


def test_staging_using_productions_host_where_its_other_hosts_are_its_own() -> None:
    prod = snap("production", c("API", "https://api.acme.com"), c("ML", "https://ml.acme.com"))
    stg = snap("staging", c("API", "https://api-staging.acme.com"), c("ML", "https://ml.acme.com"))
    assert rules_hit(report_for(prod, stg), "cross-env-reference") == [("staging", "config:env:ML")]


def test_bracketed_environment_label_is_an_environment_name() -> None:
    for prod_value, stg_value in [
        ("Open Collective", "[Staging] Open Collective"),
        ("Shop", "Shop (staging)"),
    ]:
        r = report_for(snap("production", c("V", prod_value)), snap("staging", c("V", stg_value)))
        assert r.findings == [], stg_value


def test_a_name_inside_the_environments_own_project_is_its_own_resource() -> None:
    prod = snap(
        "production",
        c("REGISTRY", "gcr.io/shop-prod-481516/api"),
        c("PREFIX", "gcr.io/shop-prod-481516/r2d-staging-legacy-"),  # a legacy name, own project
    )
    assert rules_hit(report_for(prod), "cross-env-reference") == []


def _structured_drift(key: str, prod: object, stg: object) -> str:
    def entry(value: object) -> ConfigEntry:
        return ConfigEntry("values", key, json.dumps(value), "v.yaml:1", structured=value)

    r = report_for(snap("production", entry(prod)), snap("staging", entry(stg)))
    (f,) = [f for f in r.findings if f.rule == "value-drift"]
    return f.message


def test_structured_delta_of_lists_of_different_lengths() -> None:
    """A command line keeps its order: the extra argument is named with its position."""
    message = _structured_drift(
        "command", ["gunicorn", "-w", "4"], ["gunicorn", "-w", "2", "--reload"]
    )
    assert "[2] is 2 (4 in production)" in message
    assert "adds --reload" in message


def test_structured_delta_ignores_order_of_set_like_lists() -> None:
    assert not [
        f
        for f in report_for(
            snap("production", ConfigEntry("v", "hosts", "", "v:1", structured=["a", "b", "c"])),
            snap("staging", ConfigEntry("v", "hosts", "", "v:1", structured=["c", "a", "b"])),
        ).findings
        if f.rule == "value-drift"
    ]
    message = _structured_drift("hosts", ["a", "b", "c"], ["c", "d", "a", "b", "e"])
    assert message == "hosts (values) differs: adds d, e (vs production)"


def test_structured_delta_of_a_map_names_paths_with_typed_values() -> None:
    prod = {"pool": {"size": 10, "timeout": "30s"}, "tls": True, "hosts": ["x", "y"]}
    stg = {"pool": {"size": "ten", "timeout": "5s"}, "hosts": ["y", "x", "z"], "extra": 1}
    message = _structured_drift("database", prod, stg)
    assert "pool.size is 'ten' (10 in production)" in message  # a type change shows types
    assert "pool.timeout is 5s (30s in production)" in message
    assert "adds extra=1, z in hosts; lacks tls" in message  # hosts' order is no change


def test_structured_delta_never_shows_a_value_under_a_secret_key() -> None:
    message = _structured_drift("settings", {"db": {"password": "a"}}, {"db": {"password": "b"}})
    assert "db.password is <secret: redacted>" in message
    assert "'a'" not in message and "'b'" not in message


def test_double_negatives_and_configuration_binds_are_not_unsafe() -> None:
    from parity.policies.rules.unsafe import unsafe_value

    assert unsafe_value("REDIS_INSECURE_SKIP_TLS_VERIFY", "false") is None  # verification on
    assert unsafe_value("REDIS_INSECURE_SKIP_TLS_VERIFY", "true")  # verification off
    assert unsafe_value("SSL_VERIFY", "false")
    assert unsafe_value("volumes", '["./configuration:/etc/app/config:ro"]') is None
    assert unsafe_value("volumes", '[".:/code"]')
    assert unsafe_value("volumes", '["./src:/app/src", "data:/var/lib"]')
    assert unsafe_value("privileged", "true") and unsafe_value("privileged", "false") is None


def test_one_env_file_line_read_by_three_services_is_one_unsafe_finding() -> None:
    def debug(scope: str) -> ConfigEntry:
        return ConfigEntry(scope, "DEBUG", "true", "env/app.env:3", env_var=True)

    r = report_for(snap("production", debug("compose/web"), debug("compose/worker")))
    (f,) = [f for f in r.findings if f.rule == "unsafe-prod-value"]
    assert "also used by: compose/worker" in f.message
