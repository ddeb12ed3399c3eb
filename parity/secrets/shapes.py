"""The secret classifier's value vocabulary: known token shapes, private-key blocks, secrets
inside larger texts, and the false-positive filters (versions, dates, paths, slugs).

Data, not logic (parity/secrets/values.py and classify.py decide).
"""

from __future__ import annotations

import re

_PREFIXES = (
    "AKIA",
    "SK",  # Twilio API key (SK + 32 hex), checked by _TOKEN
    "AC",  # Twilio account SID
    "xoxe",
    "dop_v1_",
    "doo_v1_",
    "dor_v1_",
    "AGE-SECRET-KEY-",
    "pypi-",
    "dckr_pat_",
    "NRAK-",
    "NRII-",
    "shpss_",
    "shpca_",
    "shppa_",
    "glptt-",
    "gldt-",
    "glrt-",
    "GR1348941",
    "ATATT3",
    "glc_",
    "glsa_",
    "hvs.",
    "hvb.",
    "lin_api_",
    "PMAK-",
    "dp.pt.",
    "sntrys_",
    "sntryu_",
    "dapi",
    "key-",
    "sq0atp-",
    "sq0csp-",
    "sk-ant-",
    "figd_",
    "ASIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "sk-",
    "AIza",
    "SG.",
    "glpat-",
    "npm_",
    "shpat_",
    "hf_",
    "eyJ",
    "base64:",
    "-----BEGIN",
)

_TOKEN = re.compile(
    r"^(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|"
    r"xox[abprs]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{4,}|sk-[A-Za-z0-9_-]{20,}|"
    r"AIza[0-9A-Za-z_-]{30,}|SG\.[\w-]{16,}\.[\w-]{16,}|glpat-[\w-]{20,}|npm_[A-Za-z0-9]{30,}|"
    r"shpat_[a-fA-F0-9]{32}|hf_[A-Za-z0-9]{30,}|"
    r"(?:SK|AC)[0-9a-fA-F]{32}|xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9-]{20,}|"
    r"do[por]_v1_[a-f0-9]{64}|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}|"
    r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}|dckr_pat_[A-Za-z0-9_-]{20,}|"
    r"NR(?:AK|II)-[A-Z0-9]{27,}|shp(?:ss|ca|pa)_[a-fA-F0-9]{32}|"
    r"gl(?:ptt|dt|rt)-[\w-]{20,}|GR1348941[\w-]{20,}|ATATT3[A-Za-z0-9_=-]{100,}|"
    r"gl(?:c|sa)_[A-Za-z0-9_=+/-]{32,}|hv[sb]\.[A-Za-z0-9_-]{24,}|lin_api_[A-Za-z0-9]{40}|"
    r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}|dp\.pt\.[A-Za-z0-9]{43}|sntr[ys]u?_[A-Za-z0-9+/=_-]{32,}|"
    r"dapi[a-f0-9]{32}(?:-\d)?|key-[0-9a-f]{32}|sq0(?:atp|csp)-[\w-]{22,}|"
    r"sk-ant-[\w-]{32,}|figd_[\w-]{40,}|"
    r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|"
    r"base64:[A-Za-z0-9+/]{32,}={0,2})$"
)

_PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9 ]*PRIVATE KEY|PGP PRIVATE KEY BLOCK)-----.*?"
    r"(?:-----END [A-Z0-9 ]*(?:PRIVATE KEY|PRIVATE KEY BLOCK)-----|$)",
    re.S,
)

_WEBHOOK = re.compile(
    r"^https://(hooks\.slack\.com/services/|discord(app)?\.com/api/webhooks/|"
    r"[\w.-]+\.webhook\.office\.com/)"
)

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

_UUID_LIST = re.compile(rf"^{_UUID}(?:\s*[,;\s]\s*{_UUID})*$")

_VERSIONISH = re.compile(r"^v?\d+(\.\d+){1,3}([-+.][\w.-]+)?$")

_DATEISH = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")

_FILEISH = re.compile(
    r"^(~?/|\./|\.\./)?[\w.@-]+(/[\w.@-]+)*\.(key|pem|crt|cer|cert|p12|pfx|jks|json|txt|ya?ml|"
    r"env|conf|cfg|ini|xml|der|csr|pub)$"
)

_PLACEHOLDER = re.compile(
    r"^(__\w+__|\$\{?\w+\}?|\$\(\w+\)|\$\{[\w.-]+:[^}]*\}|\{\{.*\}\}|<[^>]+>|%\w+%|@\w+@)$"
)
_DOMAIN_PATH = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/[\w.-]+)+$")

# Public halves: a certificate or public key is published by design (a CA bundle in every
# environment's config is expected), unlike the private key it pairs with.
_PUBLIC_BLOCK = re.compile(
    r"-----BEGIN (?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|CERTIFICATE REQUEST|"
    r"NEW CERTIFICATE REQUEST|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK)-----.*?"
    r"-----END [A-Z0-9 ]+-----",
    re.S,
)
_SSH_PUBLIC = re.compile(
    r"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)"
    r"@openssh\.com) AAAA[0-9A-Za-z+/]+=*(?: \S+)?$"
)
# A variable's own name (`AWS_S3_RELEVANCY_BUCKET_NAME`) and a word slug
# (`search_api_v2_published_documents`, `s189-teacher-services-cloud-production`): words, not
# random characters, however long.
_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z]*\d{0,3}(?:_(?:[A-Z]+\d{0,3}|\d{1,4}))+$")
_WORD_SLUG = re.compile(r"^[a-z]+\d{0,3}(?:[_-](?:[a-z]+\d{0,3}|\d{1,4}))+$")

_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9+/=_.~-]+$")

_PATHISH = re.compile(r"^(/|\./|~/)[\w./@-]*$")

_FLAG_NUMERIC = re.compile(r"^--?[\w-]+(=[\d.]+[a-zA-Z%]{0,3})?$")

_NUMBERISH = re.compile(r"^[+-]?\d{1,9}(\.\d+)?$")

_BOOLISH = {"true", "false", "yes", "no", "on", "off", "null", "none", "enabled", "disabled"}

# userinfo up to the *last* `@` before the host: a password may hold a raw `@`
_URL_CRED = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/\s]+)@(?=[^\s/@]+(?:[/?#\s,;]|$))"
)

_QUERY_SECRET = re.compile(
    r"(?P<k>[?&;](?:password|passwd|pwd|token|access_token|refresh_token|secret|client_secret|"
    r"api_key|apikey|key|sig|signature|sslpassword|auth|code|sas|x-amz-signature)=)"
    r"(?P<v>[^&#;\s]+)",
    re.IGNORECASE,
)

# A JVM system property that names a secret (`-Dspring.datasource.password=X` in JAVA_OPTS).
_JVM_PROPERTY = re.compile(
    r"(?P<k>(?:^|(?<=\s))-D[\w.-]*(?:password|passwd|pwd|secret|token|apikey|api[-_.]key|"
    r"credentials?|storepass|keypass)[\w.-]*=)(?P<v>\"[^\"]*\"|'[^']*'|[^\s\"']+)",
    re.IGNORECASE,
)
# `mysql -pSECRET`, `mysqldump --password=…`: the password glued to -p of MySQL's clients.
_MYSQL_P = re.compile(
    r"(?P<k>\bmysql(?:dump|admin|import|show|check)?\b[^|;&\n]*?\s-p)(?P<v>[^\s\"']+)"
)
# An assignment inside a shell string (`PGPASSWORD=x psql`, `export GITHUB_TOKEN=x`).
_SHELL_ASSIGN = re.compile(
    r"(?P<k>(?:^|(?<=[\s;'\"(]))(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*(?:PASSWORD|PASSWD|PWD|PW|"
    r"TOKEN|SECRET|API_?KEY|CREDENTIALS?)[A-Za-z0-9_]*=)(?P<v>'[^']*'|\"[^\"]*\"|[^\s;'\"]+)",
    re.IGNORECASE,
)
# Flags that take a secret as their next argument (`["--api-key", "X"]` in a command list).
_FLAG_NAME = re.compile(
    r"^--?(?:[\w-]*?(?:password|passwd|token|secret|api-?key|apikey|credentials?))$|^-p$",
    re.IGNORECASE,
)
_KV_SECRET = re.compile(
    r"(?P<k>(?:^|[\s;])(?:password|pwd|passwd|user password|sslpassword|secret|token)"
    r"\s*=\s*)(?P<v>'[^']*'|\"[^\"]*\"|[^;\s]+)",
    re.IGNORECASE,
)

_FLAG_SECRET = re.compile(
    r"(?P<k>(?:^|(?<=\s))--?(?:[\w-]*?(?:password|passwd|token|secret|api-?key|apikey|credentials?))"
    r"(?:=|\s+))(?P<v>\"[^\"]*\"|'[^']*'|[^\s\"']+)",
    re.IGNORECASE,
)

_BEARER = re.compile(r"(?P<k>\b(?:Bearer|Basic|Token)\s+)(?P<v>[A-Za-z0-9._~+/=-]{8,})")

_PROPS_LINE = re.compile(
    r"(?m)^(?P<k>\s*[\w.-]*(?:password|passwd|secret|token|api[-_.]?key|credentials?)"
    r"[\w.-]*\s*[=:]\s*)(?P<v>\S.*)$",
    re.IGNORECASE,
)

_SIMPLE = re.compile(r"^[\w.,/:+~-]*$")
