from cairn.accounts.services import api_token_create


def _token(owner):
    token, _ = api_token_create(user=owner, name="laptop")
    return {"pk": token.pk}, token


ROUTES = {"accounts:token-revoke": _token}
