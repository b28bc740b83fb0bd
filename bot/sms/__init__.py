"""SMS: the Twilio channel, outbound messages with their delivery status, opt-outs, GSM-7."""
