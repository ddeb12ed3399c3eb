"""Secrets: the one classifier that decides what is secret, and the guard that fingerprints it.

`classify` decides, for a key and a value, whether the value is a secret, wholly or in part,
and redacts secrets inside larger texts (URLs, command lines, catalog text); it asks `keys`
(does the key's name, or a parent's, say secret: vocabulary in `words`) and `values` (is the
value secret material by its shape: token families, entropy, false-positive filters in
`shapes`). `guard` turns a secret into a keyed HMAC fingerprint and enforces that nothing else
of it leaves a collector.

Contract: a secret value never reaches a snapshot, report, log or message; every collector
and rule asks this package, never its own list.
"""
