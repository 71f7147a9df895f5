"""Storage of books in SQLite: connection settings, migrations, the append-only journal, the
store's own errors and backups.

May import: `ledger`, sqlite-utils, `vsla.i18n` (to show its errors) and the standard library.
Never `vsla.book`, `vsla.domain` or any front end.

Names are loaded when first used: a reader that needs only `vsla.store.connection` must not
pay for importing sqlite-utils (about 100 ms on a cheap phone's worth of CPU).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what each name is, for type checkers (`as` re-exports it)
    from vsla.store.connection import connect as connect
    from vsla.store.connection import open_database as open_database
    from vsla.store.connection import write_transaction as write_transaction
    from vsla.store.errors import BookBusy as BookBusy
    from vsla.store.errors import BookDamaged as BookDamaged
    from vsla.store.errors import BookReadOnly as BookReadOnly
    from vsla.store.errors import NotABook as NotABook
    from vsla.store.errors import StoreError as StoreError
    from vsla.store.errors import guarded as guarded
    from vsla.store.errors import store_errors as store_errors
    from vsla.store.journal import AppendResult as AppendResult
    from vsla.store.journal import IdConflict as IdConflict
    from vsla.store.journal import InvalidEntry as InvalidEntry
    from vsla.store.journal import Journal as Journal

_WHERE = {
    "connect": "connection",
    "open_database": "connection",
    "write_transaction": "connection",
    "BookBusy": "errors",
    "BookDamaged": "errors",
    "BookReadOnly": "errors",
    "NotABook": "errors",
    "StoreError": "errors",
    "guarded": "errors",
    "store_errors": "errors",
    "AppendResult": "journal",
    "IdConflict": "journal",
    "InvalidEntry": "journal",
    "Journal": "journal",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"vsla.store.{_WHERE[name]}"), name)
