"""SMS: receipts queued in the outbox with the meeting (`vsla.sms.receipts`) and GSM-7 text
(`vsla.sms.gsm`). Nothing here sends a message: the sender (Africa's Talking, on the hub) is
still to be written, and the queued receipts wait in the outbox until then."""
