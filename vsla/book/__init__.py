"""The book: what front ends use. Typed read models (`reader`, `views`), the use cases that
record (`service.Book`: groups, meetings, cycles, the device's settings and drafts), a book as
a front end holds it (`session`), its errors (`errors`), backups and the auditor (`check`),
members' access by phone and the USSD session log (`access`, `sessions`), and sync, hub and
device sides (`sync`).

May import: `vsla.domain`, `vsla.store`, `vsla.sms`, `vsla.i18n`, `ledger`, and libraries
(sqlite-utils, pydantic). Never a front end (`vsla.cli`, `tui`, `ussd`).
"""
