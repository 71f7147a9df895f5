"""The savings-group rules (domain.md), pure: a group's state, the constitution, meeting
entries and the planner that turns a meeting into journal entries or a list of problems,
loans and their charges, the share-out, dates.

May import: `ledger` (and its message ids) and pydantic only. No SQLite, no files, no clock.
"""
