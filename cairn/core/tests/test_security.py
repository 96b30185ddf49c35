"""The security baseline: headers, HTTPS-only cookies and HSTS, CSRF on every form, escaping."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cairn.accounts.models import ApiToken, User
from cairn.accounts.services import api_token_create
from cairn.core.tests.processes import run_python
from cairn.core.tests.test_isolation import registered_routes
from cairn.testing import PASSWORD, client_for

# headers


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def responses(owner, client) -> list:
    return [
        client.get(reverse("accounts:login")),
        client_for(owner).get(reverse("daily:today")),
        client_for(owner).get("/no/such/page/"),
        client.get("/api/v1/me"),
    ]


def test_every_response_has_a_strict_content_security_policy(responses):
    for response in responses:
        policy = csp(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive], response.request["PATH_INFO"]
            assert "'unsafe-eval'" not in policy[directive]
            assert not any(source.startswith("http") for source in policy[directive])


def test_every_response_refuses_framing_and_sniffing(responses):
    for response in responses:
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_over_plain_http_there_is_no_hsts(client):
    response = client.get(reverse("accounts:login"), secure=True)
    assert "Strict-Transport-Security" not in response


HTTPS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="cairn.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "secure_status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "csrf_cookie_flag": bool(secure.cookies["csrftoken"]["secure"]),
    "proxied_status": proxied.status_code,
}))
"""


def https_probe(tmp_path, **variables) -> dict:
    result = run_python(HTTPS_PROBE, data_dir=tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_over_https_cookies_are_secure_and_hsts_is_on(tmp_path):
    found = https_probe(tmp_path, CAIRN_SITE_URL="https://cairn.example.org")
    assert found["session_cookie_secure"] is True
    assert found["csrf_cookie_secure"] is True
    assert found["session_cookie_httponly"] is True
    assert found["csrf_cookie_flag"] is True
    # Plain HTTP is sent to HTTPS; HTTPS answers tell browsers to insist on it for a year.
    assert found["plain_status"] == 301
    assert found["plain_location"] == "https://cairn.example.org/accounts/login/"
    assert found["secure_status"] == 200
    assert found["hsts"] is not None
    assert int(found["hsts"].split("max-age=")[1].split(";")[0]) >= 31_536_000


def test_behind_a_proxy_its_forwarded_proto_is_trusted(tmp_path):
    found = https_probe(
        tmp_path, CAIRN_SITE_URL="https://cairn.example.org", CAIRN_BEHIND_PROXY="1"
    )
    assert found["proxied_status"] == 200


def test_over_plain_http_cookies_are_not_marked_secure(tmp_path):
    # Otherwise a laptop install on http://localhost could never log in.
    found = https_probe(tmp_path, CAIRN_SITE_URL="http://cairn.example.org")
    assert found["session_cookie_secure"] is False
    assert found["csrf_cookie_secure"] is False
    assert found["plain_status"] == 200
    assert found["hsts"] is None


# CSRF


@pytest.fixture
def csrf_client(owner) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def test_login_refuses_a_post_without_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "owner@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_signup_refuses_a_post_without_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    data = {"email": "new@example.com", "password": PASSWORD, "time_zone": "UTC"}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


def test_password_reset_refuses_a_post_without_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:password-reset"), {"email": "owner@example.com"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("accounts:settings", {"display_name": "Changed by a forged form"}),
        ("accounts:token-create", {"name": "forged"}),
        ("accounts:password-change", {"old_password": PASSWORD}),
        ("accounts:delete", {"password": PASSWORD, "confirm": "on"}),
        ("accounts:logout", {}),
    ],
)
def test_signed_in_forms_refuse_a_post_without_csrf_token(csrf_client, owner, url_name, data):
    response = csrf_client.post(reverse(url_name), data)
    assert response.status_code == 403
    # Nothing happened: the account, its name and its session are as they were.
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"
    assert not ApiToken.objects.filter(owner=owner).exists()
    assert csrf_client.get(reverse("daily:today")).status_code == 200


def test_token_revoke_refuses_a_post_without_csrf_token(csrf_client, owner):
    token, _ = api_token_create(user=owner, name="laptop")
    response = csrf_client.post(reverse("accounts:token-revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 403
    token.refresh_from_db()


def test_a_post_with_the_token_goes_through(csrf_client, owner):
    page = csrf_client.get(reverse("accounts:settings"))
    token = page.context["csrf_token"]
    response = csrf_client.post(
        reverse("accounts:token-create"), {"name": "laptop", "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(owner=owner, name="laptop").exists()


# every form on every page carries the token


class FormFinder(HTMLParser):
    """Collects each POST form with whether it holds a csrfmiddlewaretoken input."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._open = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action"),
                "csrf": False,
            }
            self.forms.append(self._open)
        elif (
            tag == "input"
            and self._open is not None
            and attributes.get("name") == "csrfmiddlewaretoken"
            and attributes.get("value")
        ):
            self._open["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict]:
    finder = FormFinder()
    finder.feed(html)
    return [form for form in finder.forms if form["method"] == "post"]


def pages(patterns=None, namespace="") -> list[tuple[str, bool]]:
    """Every named route (with whether it takes arguments), outside the API."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += pages(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", bool(entry.pattern.regex.groups)))
    return found


def page_urls(owner) -> list[str]:
    urls = [reverse(name) for name, takes_arguments in pages() if not takes_arguments]
    urls += [reverse("core:area", kwargs={"slug": "network"})]
    routes = registered_routes()
    for name, takes_arguments in pages():
        if takes_arguments and name in routes:
            kwargs, _ = routes[name](owner)
            urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_every_post_form_carries_the_csrf_token(owner, client):
    signed_in = client_for(owner)
    checked = 0
    for url in page_urls(owner):
        for who, http in (("signed in", signed_in), ("anonymous", client)):
            response = http.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in post_forms(response.content.decode()):
                assert form["csrf"], f"a POST form on {url} ({who}) has no CSRF token: {form}"
                checked += 1
    # Login, signup, password reset, settings (several), logout on every signed-in page …
    assert checked >= 10


def test_pages_rendered_in_answer_to_a_post_carry_the_token_too(owner, client):
    signed_in = client_for(owner)
    answers = [
        client.post(reverse("accounts:login"), {"username": "x@example.com", "password": "no"}),
        client.post(reverse("accounts:signup"), {"email": "not-an-email"}),
        signed_in.post(reverse("accounts:settings"), {"time_zone": "Mars/Olympus"}),
        signed_in.post(reverse("accounts:token-create"), {"name": "laptop"}),
        signed_in.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"}),
    ]
    for response in answers:
        forms = post_forms(response.content.decode())
        assert forms, response.request["PATH_INFO"]
        assert all(form["csrf"] for form in forms), response.request["PATH_INFO"]


def test_the_form_finder_notices_a_missing_token():
    html = '<form method="post"><input name="x"></form><form method="POST"></form>'
    assert [form["csrf"] for form in post_forms(html)] == [False, False]


# escaping


def test_names_are_rendered_as_text_not_html(owner):
    owner.display_name = '<script>alert("owned")</script>'
    owner.save()
    html = client_for(owner).get(reverse("daily:today")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_pages_carry_no_inline_script_the_policy_would_block(owner):
    html = client_for(owner).get(reverse("daily:today")).content.decode()

    class Scripts(HTMLParser):
        inline = 0

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            executable = attributes.get("type", "text/javascript") in ("text/javascript", "module")
            if tag == "script" and "src" not in attributes and executable:
                Scripts.inline += 1
            if any(name.startswith("on") for name in attributes):
                Scripts.inline += 1

    Scripts().feed(html)
    assert Scripts.inline == 0
