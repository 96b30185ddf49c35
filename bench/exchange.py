"""Benchmarks of Exchange: importing into a heavy network, and the complete archive."""

from bench import exchange_archive, exchange_import  # noqa: F401 (each registers its own)
