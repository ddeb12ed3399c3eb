"""Secrets: the one classifier that decides what is secret, and the guard that fingerprints it.

`classify` decides, for a key and a value (and the context of its parents), whether the value
is a secret and redacts secrets inside larger texts (URLs, command lines, catalog text);
`shapes` is its vocabulary (keyword hints, known token families, false-positive filters);
`guard` turns a secret into a keyed HMAC fingerprint and enforces that nothing else of it
leaves a collector.

Contract: a secret value never reaches a snapshot, report, log or message; every collector
and rule asks this package, never its own list.
"""
