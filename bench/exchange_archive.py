"""Benchmark of the complete archive: export and restore of the heavy user."""
