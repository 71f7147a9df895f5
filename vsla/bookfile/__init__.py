"""The group book file (a whole group in TOML or JSON, interfaces.md): its model, reading it
into a book all or nothing (`vsla import`, `vsla meeting record`) and writing it out.

May import: `vsla.book`, `vsla.domain`, `vsla.store`, `vsla.i18n`, `ledger`, pydantic.
"""
