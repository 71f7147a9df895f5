"""Small widgets of the facilitator app, each with its own messages."""
