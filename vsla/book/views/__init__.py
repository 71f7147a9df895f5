"""What the front ends show, as typed, immutable read models: the app, the command line and
the hub (USSD, web) all read the book through these, never through SQL of their own.

Money is integer minor units (`_minor`); each model that holds money names its currency.
`to_json()` gives the public JSON shapes of docs/cli.md (interfaces.md), so a command's
`--json` and the hub answer with the same figures.

Each kind lives in a module of its own, so that a reader loads only what it shows: the group
list, the app's first screen, needs `views.groups` alone.
"""
