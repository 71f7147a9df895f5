"""tui: the facilitator's Textual app. May import `vsla`, `ledger`, textual and rich; never
`ussd`."""
