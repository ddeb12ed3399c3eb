"""Image reference parsing shared by the compose and k8s collectors."""

from __future__ import annotations


def parse_image_ref(ref: str) -> tuple[str, str | None, str | None]:
    """`reg:5000/app/web:1.2@sha256:ab` -> (`reg:5000/app/web`, `1.2`, `sha256:ab`)."""
    ref = ref.strip()
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    tag = None
    if colon > slash:
        ref, tag = ref[:colon], ref[colon + 1 :]
    return ref, tag or None, digest or None
