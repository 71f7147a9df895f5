"""ussd: the hub. Members' USSD menu (`ussd.menu`, a pure function of the request and what
the book says), its screens (`ussd.texts`), the aggregators' adapters and the HTTP services
(`ussd.app`, Starlette), the settings (`ussd.settings`), the SMS sender's loop and the
`vsla hub serve` / `vsla ussd simulate` commands, found by `vsla` through its entry points.

May import: `vsla` (the book layer: read models, services and errors only, as the
architecture test checks), `ledger`, Starlette, uvicorn, pydantic-settings. Never `tui`.
"""
