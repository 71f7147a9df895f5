"""ussd: members' USSD menus and the hub's HTTP services. May import `vsla` and `ledger`;
never `tui`."""
