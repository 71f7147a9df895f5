"""The screens of the facilitator app, one per file."""
