"""The domain: plain values and rules, free of I/O (no database, no network, no files)."""
