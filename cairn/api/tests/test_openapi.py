"""The generated OpenAPI document and the interactive docs page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from cairn import __version__


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_document_describes_the_api(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Cairn API"
    assert schema["info"]["version"] == __version__


def test_me_can_be_read_and_changed(schema):
    me = schema["paths"]["/api/v1/me"]
    assert {"get", "patch"} <= set(me)
    changes = me["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert changes  # the request body is described, not free-form


def test_tokens_are_a_bearer_scheme(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()


def test_every_operation_requires_the_token(schema):
    [name] = schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {name: []} in operation.get("security", schema.get("security", [])), (
                f"{method.upper()} {path} does not ask for a token"
            )


class Assets(HTMLParser):
    """The URLs a page loads: scripts, stylesheets, icons and images; and inline scripts."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.urls.append(attributes["src"])
            elif attributes.get("type", "text/javascript") in ("text/javascript", "module"):
                self.inline_scripts += 1
        elif tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])
        elif tag == "img" and attributes.get("src"):
            self.urls.append(attributes["src"])


@pytest.fixture
def docs(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assets = Assets()
    assets.feed(response.content.decode())
    return response, assets


def test_the_docs_page_loads_nothing_from_a_cdn(docs):
    _, assets = docs
    assert assets.urls
    outside = [url for url in assets.urls if url.startswith(("http:", "https:", "//"))]
    assert not outside


def test_the_docs_page_assets_are_served(docs, client):
    _, assets = docs
    for url in assets.urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_docs_page_runs_under_the_content_security_policy(docs):
    response, assets = docs
    # Everything is a same-origin file; an inline script would be blocked by script-src 'self'.
    assert assets.inline_scripts == 0
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_the_docs_page_points_at_the_document(docs):
    response, _ = docs
    assert "/api/v1/openapi.json" in response.content.decode()
