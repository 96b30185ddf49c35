"""Benchmark of importing contacts: matching against a heavy network."""
