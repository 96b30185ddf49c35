"""The one domain error that adapters (views, API, CLI) translate for people."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person can act on: the message is shown as is.

    `code` is a stable machine-readable word for the API; `field` names the input at fault.
    """

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
