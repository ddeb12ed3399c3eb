"""Database record kinds: schema objects and migration heads.

A schema is stored as structure (one record per table, column, index and constraint) rather than
as one hash, so a difference explains itself ("orders.email: varchar(255) vs text") and aligns
like any other record; the hash of the whole is derivable from the records.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from .records import Kind


class _SchemaObjectFields(NamedTuple):
    """The stored fields of SchemaObject (metadata lives on the subclass)."""

    scope: str
    key: str
    object_type: str
    definition: str
    source: str


class SchemaObject(_SchemaObjectFields):
    """One schema object of a database.

    scope: the source (`sql:app-db`); key: the object's qualified name with its type
    (`table public.orders`, `column public.orders.email`, `index public.orders.orders_email_idx`);
    object_type: `table`, `column`, `index` or `constraint`; definition: the normalized
    definition compared across environments (`varchar(255) not null default ''`).
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.SCHEMA
    category: ClassVar[str] = "data"
    identity: ClassVar[tuple[str, ...]] = ("scope", "key")
    compared: ClassVar[tuple[str, ...]] = ("definition",)
    named: ClassVar[bool] = True

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: schema objects align per database source."""
        return (Kind.SCHEMA, self.scope)

    @property
    def table(self) -> str:
        """The qualified table the object belongs to (`public.orders`)."""
        name = self.key.split(" ", 1)[1]
        return name if self.object_type == "table" else name.rsplit(".", 1)[0]


class _MigrationHeadFields(NamedTuple):
    """The stored fields of MigrationHead (metadata lives on the subclass)."""

    scope: str
    key: str
    version: str
    applied: int
    source: str


class MigrationHead(_MigrationHeadFields):
    """The latest applied migration of one migration tool (per app for Django).

    key: `alembic`, `flyway`, `schema_migrations`, `liquibase`, `django:<app>`; version: the
    head (a revision id, version or migration name); applied: how many migrations the tool
    records as applied (0 when it keeps only the head, as alembic does) — the direction of a
    difference (ahead or behind) comes from it when versions themselves do not order.
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.MIGRATION
    category: ClassVar[str] = "data"
    identity: ClassVar[tuple[str, ...]] = ("scope", "key")
    compared: ClassVar[tuple[str, ...]] = ("version",)
    named: ClassVar[bool] = False

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: migration heads align per database source."""
        return (Kind.MIGRATION, self.scope)
