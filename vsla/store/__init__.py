"""Storage of books in SQLite: connection settings, migrations, the append-only journal, the
store's own errors and backups.

May import: `ledger`, sqlite-utils and the standard library. Never `vsla.book`, `vsla.domain`
or any front end.
"""

from vsla.store.connection import open_database, write_transaction
from vsla.store.errors import (
    BookBusy,
    BookDamaged,
    BookReadOnly,
    NotABook,
    StoreError,
    guarded,
    store_errors,
)
from vsla.store.journal import AppendResult, IdConflict, InvalidEntry, Journal

__all__ = [
    "AppendResult",
    "BookBusy",
    "BookDamaged",
    "BookReadOnly",
    "IdConflict",
    "InvalidEntry",
    "Journal",
    "NotABook",
    "StoreError",
    "guarded",
    "open_database",
    "store_errors",
    "write_transaction",
]
