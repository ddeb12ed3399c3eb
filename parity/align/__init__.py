"""Alignment: which records of N environments are the same thing, and whether they differ.

Owns the record index and the aligner (`diff`: records grouped by kind and scope, aligned by
identity across a reference and each environment, a failed source's groups masked), the key
grammar (`keys`: how collectors write `apps[name=web].env` and rules read it back), the
normalisation of environment names (`normalize`) and of each environment's own identities
(`identities`: cloud accounts, learned token pairs), value semantics and comparison (`values`,
`compare`, `delta`), image references (`imageref`) and key typos (`typos`).

Contract: pure functions over parity.model records; imports neither collectors nor policies.
"""
