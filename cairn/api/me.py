from __future__ import annotations

from typing import Literal

from ninja import Router, Schema
from pydantic import ConfigDict

from cairn.accounts.services import user_settings_update

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    time_zone: str
    daily_action_count: int
    mode: str
    token_read_only: bool


class MeIn(Schema):
    # A misspelt or read-only field (e.g. `email`) is an error, not a silent no-op.
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = None
    time_zone: str | None = None
    daily_action_count: int | None = None
    mode: Literal["maintain", "transition"] | None = None


def _out(request) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        email=user.email,
        display_name=user.display_name,
        time_zone=user.time_zone,
        daily_action_count=user.daily_action_count,
        mode=user.mode,
        token_read_only=request.api_token.read_only,
    )


@router.get("/me", response=MeOut, summary="The account this token belongs to")
def me(request):
    return _out(request)


@router.patch("/me", response=MeOut, summary="Change the account's preferences")
def me_update(request, payload: MeIn):
    user_settings_update(user=request.user, **payload.dict(exclude_none=True))
    return _out(request)
