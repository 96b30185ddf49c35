"""Benchmarks of Today."""
