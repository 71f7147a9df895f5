"""SMS: receipts queued in the outbox with the meeting (`vsla.sms.receipts`), GSM-7 text
(`vsla.sms.gsm`), what the book needs of a sender (`vsla.sms.sending.Sender`) and the real
one, through Africa's Talking (`vsla.sms.africastalking`, the only module that imports the
SDK, loaded only when a flush runs). The outbox is sent by `vsla.book.sms.flush_outbox`, on
the hub."""
