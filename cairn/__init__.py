"""Cairn: self-hostable career management."""

__version__ = "0.1.0"
