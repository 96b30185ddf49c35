"""Cairn's benchmarks: each measures a figure and a baseline in the same run and reports
their ratio. Run them with `cairn bench`; see bench/README.md."""
