"""The staff pages on the hub (`/staff/`): programme staff log in and see the programme report
(`vsla report savix`'s figures, every one for women and for men), the groups that are late or
stopped syncing, one group's figures, downloads, and, for admins, members' activation codes
and PIN resets. Server-rendered HTML (Jinja2), nothing fetched from outside the hub.

May import: `vsla` (the book layer's read models and services only), `ledger`, `ussd` (the
hub), Starlette, Jinja2. Never `tui`; never SQL.
"""
