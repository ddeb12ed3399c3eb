"""parity: audit whether staging really mirrors production, and gate deploys on it."""

__version__ = "0.1.0"
