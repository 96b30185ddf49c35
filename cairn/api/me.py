from __future__ import annotations

from ninja import Router, Schema

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    time_zone: str
    daily_action_count: int
    mode: str
    token_read_only: bool


@router.get("/me", response=MeOut, summary="The account this token belongs to")
def me(request):
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
