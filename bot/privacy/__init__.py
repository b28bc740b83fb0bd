"""Personal data: keyed hashes, redaction, retention and erasure."""
