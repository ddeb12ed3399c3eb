"""Sizes as numbers: `500m` CPU, `1500Mi` and `2G` of memory, `db.r5.large`, `true` (HA on).

Capacity is compared as a ratio, so each spelling a size takes in configuration is read as a
number: Kubernetes quantities (decimal and binary suffixes, millicores), byte sizes (`300GB`),
percentages, booleans (a feature sized on or off) and cloud instance sizes within one family
(`db.t3.micro` < `db.t3.large`, Azure `D2ds_v5` < `D4ds_v5`, GCP `e2-standard-2` < `-8`).
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z%]*)\s*$")
_UNITS: dict[str, float] = {
    "": 1.0,
    "%": 1.0,
    "m": 1e-3,  # Kubernetes millicores
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
    "Pi": 2.0**50,
    "Ei": 2.0**60,
}
_BYTES: dict[str, float] = {
    "b": 1.0,
    "kb": 1e3,
    "mb": 1e6,
    "gb": 1e9,
    "tb": 1e12,
    "kib": 2.0**10,
    "mib": 2.0**20,
    "gib": 2.0**30,
    "tib": 2.0**40,
}
_AWS_SIZES = {"nano": 0.125, "micro": 0.25, "small": 0.5, "medium": 1.0, "large": 2.0}
_AWS = re.compile(
    r"^(?P<family>(?:[a-z]+\.)?[a-z][a-z0-9-]*)\.(?P<size>\d*x?large|nano|micro|small|medium)$"
)
_AZURE = re.compile(r"^(?P<family>(?:[A-Za-z]+_)*[A-Z]+?)(?P<size>\d+)(?P<rest>[a-z]*_v\d+)$")
_GCP = re.compile(r"^(?P<family>[a-z0-9]+-[a-z]+(?:cpu|mem)?)-(?P<size>\d+)$")


def _aws_size(size: str) -> float:
    if size in _AWS_SIZES:
        return _AWS_SIZES[size]
    if size == "xlarge":
        return 4.0
    return 4.0 * float(size[: -len("xlarge")])  # 2xlarge, 12xlarge


def instance_size(value: str) -> tuple[str, float] | None:
    """(family, relative size) of a cloud instance class, or None."""
    v = value.strip()
    m = _AWS.match(v)
    if m:
        return m.group("family"), _aws_size(m.group("size"))
    m = _AZURE.match(v)
    if m:
        return m.group("family") + "_" + m.group("rest"), float(m.group("size"))
    m = _GCP.match(v)
    if m:
        return m.group("family"), float(m.group("size"))
    return None


def quantity(value: str | None) -> float | None:
    """A size written as a number, a Kubernetes quantity, a byte size, a percentage or a
    boolean; None when the value is not a size."""
    if value is None:
        return None
    low = value.strip().lower()
    if low in ("true", "yes", "on"):
        return 1.0
    if low in ("false", "no", "off"):
        return 0.0
    m = _NUMBER.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    if unit in _UNITS:
        return number * _UNITS[unit]
    if unit.lower() in _BYTES:
        return number * _BYTES[unit.lower()]
    return None


def ratio(reference: str | None, other: str | None) -> float | None:
    """other / reference when both are sizes of the same kind (and the reference is not 0)."""
    a, b = quantity(reference), quantity(other)
    if a is None or b is None:
        ia = instance_size(reference or "")
        ib = instance_size(other or "")
        if ia is None or ib is None or ia[0] != ib[0]:
            return None
        a, b = ia[1], ib[1]
    if a == 0:
        return None if b == 0 else float("inf")
    return b / a


def same_size(a: str | None, b: str | None) -> bool:
    """Whether two spellings are the same size (`0.5` and `500m`, `1Gi` and `1024Mi`)."""
    qa, qb = quantity(a), quantity(b)
    return qa is not None and qb is not None and abs(qa - qb) <= 1e-9 * max(abs(qa), abs(qb), 1)
