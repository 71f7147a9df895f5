"""vsla: the savings-group rules and use cases on top of the ledger kernel: groups, members,
meetings, loans, share-out, storage in SQLite, the group book, reports, the SMS outbox and
the `vsla` command line.

May import: `ledger`, sqlite-utils, pydantic, rich (rendering only), Babel, phonenumbers,
Typer, tomli-w, openpyxl and platformdirs. Nothing imports the africastalking SDK yet: the SMS
sender that will is still to be written. Never `tui` or `ussd`: front ends register themselves
through the `vsla.frontends` entry point.
"""
