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


def full_clean_or_raise(instance, *, exclude: list[str] | None = None) -> None:
    """Run model validation; the first problem becomes a DomainError naming its field."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, errors = next(iter(error.message_dict.items()))
            label = field if field != "__all__" else None
            message = " ".join(errors)
            raise DomainError(f"{label}: {message}" if label else message, field=label) from None
        raise DomainError(" ".join(error.messages)) from None
