"""Where snapshots live: a store holds named snapshot texts and lists them.

The local directory (`fs.py`) is the first implementation; the snapshot history (S3, content
addressing, retention) builds on this interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from parity.errors import SnapshotError
from parity.model import Snapshot

from .codec import snapshot_from_text


class SnapshotStore(ABC):
    """Named snapshot objects; writes are atomic, so readers never see half an object."""

    @abstractmethod
    def location(self, name: str) -> str:
        """Where an object is or would be, for messages."""

    @abstractmethod
    def put(self, name: str, text: str) -> str:
        """Store (atomically replacing) an object; returns its location."""

    @abstractmethod
    def get(self, name: str) -> str:
        """An object's text; SnapshotError when it cannot be read."""

    @abstractmethod
    def names(self) -> list[str]:
        """Every snapshot object's name, sorted."""

    def load(self, name: str) -> Snapshot:
        """Read and validate one snapshot."""
        return snapshot_from_text(self.get(name), self.location(name))

    def load_all(self) -> dict[str, Snapshot]:
        """Every snapshot, keyed by environment; two for one environment is an error."""
        out: dict[str, Snapshot] = {}
        for name in self.names():
            snap = self.load(name)
            if snap.environment in out:
                raise SnapshotError(
                    f"{self.location(name)}: a second snapshot for {snap.environment!r}"
                )
            out[snap.environment] = snap
        if not out:
            raise SnapshotError(f"no snapshots in {self.location('')}")
        return out
