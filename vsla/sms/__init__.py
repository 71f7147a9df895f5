"""SMS: receipts queued in the outbox with the meeting, GSM-7 text, and the sender that talks
to Africa's Talking after commit (the only module that imports the africastalking SDK)."""
