"""Storage of books in SQLite: connection settings, migrations, the append-only journal."""

from vsla.store.connection import StoreError, open_database, write_transaction
from vsla.store.journal import AppendResult, IdConflict, InvalidEntry, Journal

__all__ = [
    "AppendResult",
    "IdConflict",
    "InvalidEntry",
    "Journal",
    "StoreError",
    "open_database",
    "write_transaction",
]
