"""The outbound HTTP client, against a server the test runs on 127.0.0.1.

Nothing here leaves the machine: `resolve` is replaced by a table of made-up names, and
`connect` by a stand-in that sends every vetted address to the local server (and fails the
test on any address it was not told about).
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cairn import __version__
from cairn.lib import http as outbound
from cairn.lib.http import FetchError, Headers, Redirect, fetch, parse_retry_after, refusal_reason

PUBLIC_IP = "93.184.215.14"
OTHER_PUBLIC_IP = "93.184.215.15"
REAL_CONNECT = outbound.connect
REAL_RESOLVE = outbound.resolve


# The local server ---------------------------------------------------------------------------


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def do_GET(self) -> None:
        self.server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(urlsplit(self.path).path)
        if route is None:
            reply(self, 404, b"no such page")
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.release = threading.Event()
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self.socket = tls.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up (timeouts, refused certificates) are expected here

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


def reply(
    handler: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    length: bool = True,
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def redirect(status: int, location: str) -> Route:
    return lambda handler: reply(handler, status, headers={"Location": location})


def answer(body: bytes, status: int = 200, **headers: str) -> Route:
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    return lambda handler: reply(handler, status, body, named)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    yield local
    local.stop()


# The pretend network ------------------------------------------------------------------------


@dataclass
class FakeNetwork:
    """Names resolve from a table; every vetted address connects to 127.0.0.1."""

    names: dict[str, list[str]] = field(
        default_factory=lambda: {
            "public.example": [PUBLIC_IP],
            "other.example": [OTHER_PUBLIC_IP],
            "intranet.example": ["10.0.0.5"],
            "localhost": ["127.0.0.1"],
        }
    )
    # What a name resolves to after its first lookup, as a rebinding DNS server would answer.
    rebound: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)

    def resolve(self, host: str, port: int) -> list[str]:
        looked_up_before = host in self.lookups
        self.lookups.append(host)
        if looked_up_before and host in self.rebound:
            return self.rebound[host]
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.names[host]

    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connections.append(address)
        assert address in (PUBLIC_IP, OTHER_PUBLIC_IP, "127.0.0.1"), f"tried to reach {address}"
        return REAL_CONNECT("127.0.0.1", port, timeout)


@pytest.fixture(autouse=True)
def network(monkeypatch, settings) -> FakeNetwork:
    settings.ALLOW_PRIVATE_FETCH = False
    fake = FakeNetwork()
    # Through lambdas, so that a test can swap in its own resolver on the fake.
    monkeypatch.setattr(outbound, "resolve", lambda host, port: fake.resolve(host, port))
    monkeypatch.setattr(outbound, "connect", lambda *args: fake.connect(*args))
    return fake


@contextmanager
def refused(reason_code: str, match: str | None = None) -> Iterator[None]:
    """Expect a FetchError with this reason code (and a message matching `match`)."""
    with pytest.raises(FetchError, match=match) as raised:
        yield
    assert raised.value.reason_code == reason_code, raised.value


def failure(call: Callable[[], object]) -> FetchError:
    with pytest.raises(FetchError) as raised:
        call()
    return raised.value


# Private addresses --------------------------------------------------------------------------


def test_it_refuses_the_local_server_by_default(server):
    server.routes["/"] = answer(b"secret")
    error = failure(lambda: fetch(server.url("/")))
    assert error.reason_code == "refused"
    assert error.message == "refused: 127.0.0.1 is a loopback address"
    assert error.url == server.url("/")
    assert server.seen == []


def test_it_refuses_a_name_that_resolves_to_loopback(server, network):
    error = failure(lambda: fetch(server.url("/", host="localhost")))
    assert error.message == "refused: localhost resolves to 127.0.0.1, a loopback address"
    assert network.connections == []


def test_the_message_names_the_host_and_its_private_address(network):
    network.names["example.internal"] = ["10.0.0.5"]
    error = failure(lambda: fetch("http://example.internal/feed"))
    assert error.message == "refused: example.internal resolves to 10.0.0.5, a private address"
    assert error.reason_code == "refused"


def test_a_name_is_refused_if_any_of_its_addresses_is_private(network):
    network.names["mixed.example"] = [PUBLIC_IP, "192.168.1.1"]
    with refused("refused"):
        fetch("http://mixed.example/")
    assert network.connections == []


def test_an_ipv4_mapped_address_names_the_address_it_carries(network):
    network.names["mapped.example"] = ["::ffff:10.0.0.5"]
    error = failure(lambda: fetch("http://mapped.example/"))
    assert "::ffff:a00:5 (10.0.0.5), a private address" in error.message


def test_allow_private_lets_a_fetch_reach_the_local_server(server):
    server.routes["/"] = answer(b"hello")
    assert fetch(server.url("/"), allow_private=True).body == b"hello"


def test_the_operator_setting_lets_a_fetch_reach_the_local_server(server, settings):
    settings.ALLOW_PRIVATE_FETCH = True
    server.routes["/"] = answer(b"hello")
    assert fetch(server.url("/")).body == b"hello"


def test_an_explicit_refusal_overrides_the_operator_setting(server, settings):
    settings.ALLOW_PRIVATE_FETCH = True
    with refused("refused"):
        fetch(server.url("/"), allow_private=False)


@pytest.mark.parametrize("address", ["169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254"])
def test_cloud_metadata_stays_refused_even_when_private_fetches_are_allowed(network, address):
    network.names["metadata.example"] = [address]
    error = failure(lambda: fetch("http://metadata.example/latest/", allow_private=True))
    assert "the cloud metadata address" in error.message
    assert network.connections == []


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_vetted_address(server, network):
    network.rebound["public.example"] = ["127.0.0.1"]
    server.routes["/"] = answer(b"public page")
    response = fetch(server.url("/", host="public.example"))
    assert response.body == b"public page"
    assert network.lookups == ["public.example"]
    assert network.connections == [PUBLIC_IP]
    assert server.seen[0].headers["host"] == f"public.example:{server.port}"


def test_a_name_that_does_not_resolve_is_a_dns_error():
    error = failure(lambda: fetch("http://nowhere.example/"))
    assert error.reason_code == "dns"
    assert error.message == "cannot resolve nowhere.example: Name or service not known"


def test_the_real_resolver_answers_addresses():
    assert "127.0.0.1" in REAL_RESOLVE("localhost", 80)


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = failure(lambda: fetch(f"http://public.example:{port}/"))
    assert error.reason_code == "connect"
    assert error.message.startswith(f"cannot connect to public.example port {port}:")


# URLs that are never fetched ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://public.example/feed.xml",
        "file:///etc/passwd",
        "gopher://public.example/",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "public.example/feed",
    ],
)
def test_only_http_and_https_are_fetched(url, network):
    error = failure(lambda: fetch(url, allow_private=True))
    assert error.reason_code == "scheme"
    assert error.message.startswith("refused: only http and https URLs can be fetched")
    assert network.lookups == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@public.example/",
        "http://user@public.example/",
        "https://:secret@public.example/",
    ],
)
def test_credentials_in_the_url_are_refused(url, network):
    with refused("credentials"):
        fetch(url)
    assert network.lookups == []


@pytest.mark.parametrize(
    "url",
    ["http:///feed", "http://public.example:99999/", "http://public.example:0/", "http://[::1/"],
)
def test_malformed_urls_are_refused(url):
    with refused("invalid_url"):
        fetch(url)


def test_any_port_is_allowed_and_named_in_the_host_header(server):
    server.routes["/"] = answer(b"ok")
    assert fetch(server.url("/", host="public.example")).status == 200
    assert server.seen[0].headers["host"] == f"public.example:{server.port}"


def test_the_path_is_percent_encoded(server):
    server.routes["/caf%C3%A9"] = answer(b"ok")
    assert fetch(server.url("/café?q=a b&x=%41", host="public.example")).status == 200
    assert server.seen[0].path == "/caf%C3%A9?q=a%20b&x=%41"


# Responses ----------------------------------------------------------------------------------


def test_it_returns_the_status_headers_and_body(server):
    server.routes["/feed"] = answer(b"<rss/>", Content_Type="application/rss+xml")
    url = server.url("/feed", host="public.example")
    response = fetch(url)
    assert response.status == 200
    assert response.body == b"<rss/>"
    assert response.final_url == url
    assert response.headers["content-type"] == "application/rss+xml"
    assert response.headers["CONTENT-TYPE"] == "application/rss+xml"
    assert (response.redirects, response.not_modified, response.retry_after) == ((), False, None)


def test_the_body_is_left_out_of_the_repr(server):
    server.routes["/"] = answer(b"x" * 1000)
    assert "xxxx" not in repr(fetch(server.url("/", host="public.example")))


def test_error_statuses_are_returned_not_raised(server):
    response = fetch(server.url("/missing", host="public.example"))
    assert (response.status, response.body) == (404, b"no such page")


def test_it_introduces_itself_and_asks_for_compression(server, settings):
    server.routes["/"] = answer(b"ok")
    fetch(server.url("/", host="public.example"))
    sent = server.seen[0].headers
    assert sent["user-agent"] == f"Cairn/{__version__} (+{settings.SITE_URL})"
    assert sent["accept-encoding"] == "gzip, deflate"


def test_it_sends_the_callers_headers(server):
    server.routes["/"] = answer(b"ok")
    fetch(server.url("/", host="public.example"), headers={"Accept": "application/json"})
    assert server.seen[0].headers["accept"] == "application/json"


def test_the_host_header_cannot_be_overridden(server):
    with pytest.raises(ValueError, match="Host"):
        fetch(server.url("/", host="public.example"), headers={"Host": "intranet.example"})


def test_a_chunked_body_is_read(server):
    def chunked(handler: BaseHTTPRequestHandler) -> None:
        handler.protocol_version = "HTTP/1.1"
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")

    server.routes["/"] = chunked
    assert fetch(server.url("/", host="public.example")).body == b"hello world"


def test_a_response_cut_short_is_an_error(server):
    server.routes["/"] = lambda handler: reply(
        handler, 200, b"only this", {"Content-Length": "100"}, length=False
    )
    with refused("protocol"):
        fetch(server.url("/", host="public.example"))


def test_a_server_that_does_not_speak_http_is_an_error(server):
    server.routes["/"] = lambda handler: handler.wfile.write(b"SSH-2.0-OpenSSH\r\n")
    with refused("protocol"):
        fetch(server.url("/", host="public.example"))


# Conditional GET ----------------------------------------------------------------------------


def conditional(handler: BaseHTTPRequestHandler) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 10:00:00 GMT"}
    if (
        handler.headers.get("If-None-Match") == '"v1"'
        or handler.headers.get("If-Modified-Since") == validators["Last-Modified"]
    ):
        reply(handler, 304, headers=validators, length=False)
    else:
        reply(handler, 200, b"<feed/>", validators)


def test_a_first_fetch_returns_the_validators(server):
    server.routes["/feed"] = conditional
    response = fetch(server.url("/feed", host="public.example"))
    assert (response.status, response.body, response.not_modified) == (200, b"<feed/>", False)
    assert response.etag == '"v1"'
    assert response.last_modified == "Wed, 01 Jan 2025 10:00:00 GMT"
    assert "if-none-match" not in server.seen[0].headers


def test_an_etag_makes_the_request_conditional(server):
    server.routes["/feed"] = conditional
    response = fetch(server.url("/feed", host="public.example"), etag='"v1"')
    assert server.seen[0].headers["if-none-match"] == '"v1"'
    assert (response.status, response.body, response.not_modified) == (304, b"", True)
    assert response.etag == '"v1"'


def test_last_modified_makes_the_request_conditional(server):
    server.routes["/feed"] = conditional
    stamp = "Wed, 01 Jan 2025 10:00:00 GMT"
    response = fetch(server.url("/feed", host="public.example"), last_modified=stamp)
    assert server.seen[0].headers["if-modified-since"] == stamp
    assert response.not_modified
    assert response.last_modified == stamp


def test_a_304_without_validators_keeps_the_ones_that_were_sent(server):
    server.routes["/"] = lambda handler: reply(handler, 304, length=False)
    response = fetch(
        server.url("/", host="public.example"), etag='"abc"', last_modified="Tue, 1 Jul 2025"
    )
    assert (response.etag, response.last_modified) == ('"abc"', "Tue, 1 Jul 2025")


# Redirects ----------------------------------------------------------------------------------


def test_redirects_are_followed_and_recorded(server):
    server.routes["/a"] = redirect(301, server.url("/b", host="public.example"))
    server.routes["/b"] = redirect(302, "/c")  # relative
    server.routes["/c"] = answer(b"arrived")
    start = server.url("/a", host="public.example")
    response = fetch(start)
    assert response.body == b"arrived"
    assert response.final_url == server.url("/c", host="public.example")
    assert response.redirects == (
        Redirect(start, 301, server.url("/b", host="public.example")),
        Redirect(
            server.url("/b", host="public.example"), 302, server.url("/c", host="public.example")
        ),
    )
    assert [hop.permanent for hop in response.redirects] == [True, False]


@pytest.mark.parametrize("status", [303, 307, 308])
def test_every_redirect_status_is_followed(server, status):
    server.routes["/old"] = redirect(status, "/new")
    server.routes["/new"] = answer(b"new")
    assert fetch(server.url("/old", host="public.example")).body == b"new"


def test_a_redirect_loop_is_too_many_redirects(server):
    server.routes["/loop"] = redirect(302, "/loop")
    error = failure(lambda: fetch(server.url("/loop", host="public.example")))
    assert error.reason_code == "too_many_redirects"
    assert error.message == "too many redirects (6)"
    assert len(server.seen) == 6


def test_the_redirect_limit_is_the_callers(server):
    server.routes["/a"] = redirect(302, "/b")
    server.routes["/b"] = answer(b"b")
    with refused("too_many_redirects", match=r"too many redirects \(1\)"):
        fetch(server.url("/a", host="public.example"), max_redirects=0)
    assert fetch(server.url("/a", host="public.example"), max_redirects=1).body == b"b"


def test_a_redirect_to_a_private_name_is_refused(server, network):
    server.routes["/"] = redirect(302, f"http://intranet.example:{server.port}/admin")
    error = failure(lambda: fetch(server.url("/", host="public.example")))
    assert error.message == "refused: intranet.example resolves to 10.0.0.5, a private address"
    assert error.url == f"http://intranet.example:{server.port}/admin"
    assert network.connections == [PUBLIC_IP]


def test_a_redirect_to_loopback_is_refused(server):
    server.routes["/"] = redirect(302, server.url("/secret"))
    server.routes["/secret"] = answer(b"secret")
    with refused("refused", match="127.0.0.1 is a loopback address"):
        fetch(server.url("/", host="public.example"))
    assert [seen.path for seen in server.seen] == ["/"]


def test_a_redirect_to_another_scheme_is_refused(server):
    server.routes["/"] = redirect(302, "file:///etc/passwd")
    with refused("scheme"):
        fetch(server.url("/", host="public.example"))


def test_credentials_do_not_follow_a_redirect_to_another_host(server):
    server.routes["/here"] = redirect(302, "/there")
    server.routes["/there"] = redirect(302, server.url("/away", host="other.example"))
    server.routes["/away"] = answer(b"ok")
    fetch(
        server.url("/here", host="public.example"),
        headers={"Authorization": "Bearer token", "X-Feed": "kept"},
    )
    sent = [seen.headers for seen in server.seen]
    assert [headers.get("authorization") for headers in sent] == [
        "Bearer token",
        "Bearer token",
        None,
    ]
    assert [headers.get("x-feed") for headers in sent] == ["kept", "kept", "kept"]


def test_conditional_headers_follow_redirects(server):
    server.routes["/old"] = redirect(301, "/feed")
    server.routes["/feed"] = conditional
    response = fetch(server.url("/old", host="public.example"), etag='"v1"')
    assert response.not_modified


# Size ---------------------------------------------------------------------------------------


def test_a_declared_length_over_the_limit_is_refused_before_reading(server):
    server.routes["/"] = lambda handler: reply(
        handler, 200, b"tiny", {"Content-Length": "6000000"}, length=False
    )
    error = failure(lambda: fetch(server.url("/", host="public.example")))
    assert error.reason_code == "too_large"
    assert error.message == "too large: more than 5 MB"


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_limit_is_refused(server, declared):
    server.routes["/"] = lambda handler: reply(handler, 200, b"x" * 1001, length=declared)
    with refused("too_large", match="too large: more than 1 kB"):
        fetch(server.url("/", host="public.example"), max_bytes=1000)


def test_a_body_exactly_at_the_limit_is_accepted(server):
    server.routes["/"] = lambda handler: reply(handler, 200, b"x" * 1000, length=False)
    assert len(fetch(server.url("/", host="public.example"), max_bytes=1000).body) == 1000


def test_a_gzip_body_is_decompressed(server):
    server.routes["/"] = answer(gzip.compress(b"<rss/>" * 100), Content_Encoding="gzip")
    assert fetch(server.url("/", host="public.example")).body == b"<rss/>" * 100


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_a_deflate_body_is_decompressed_with_or_without_its_zlib_header(server, wbits):
    squeezer = zlib.compressobj(wbits=wbits)
    body = squeezer.compress(b"<feed/>" * 100) + squeezer.flush()
    server.routes["/"] = answer(body, Content_Encoding="deflate")
    assert fetch(server.url("/", host="public.example")).body == b"<feed/>" * 100


def test_concatenated_gzip_members_make_one_body(server):
    server.routes["/"] = answer(
        gzip.compress(b"first ") + gzip.compress(b"second"), Content_Encoding="gzip"
    )
    assert fetch(server.url("/", host="public.example")).body == b"first second"


def test_a_gzip_bomb_is_refused_by_its_decompressed_size(server):
    bomb = gzip.compress(b"\0" * 5_000_000, compresslevel=9)
    assert len(bomb) < 10_000
    server.routes["/"] = answer(bomb, Content_Encoding="gzip")
    tracemalloc.start()
    try:
        with refused("too_large", match="too large: more than 100 kB"):
            fetch(server.url("/", host="public.example"), max_bytes=100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decompression stopped near the limit instead of inflating all five megabytes first.
    assert peak < 1_000_000


def test_a_truncated_gzip_body_is_an_error(server):
    server.routes["/"] = answer(gzip.compress(b"x" * 10_000)[:-20], Content_Encoding="gzip")
    with refused("decode", match="cut short"):
        fetch(server.url("/", host="public.example"))


def test_a_corrupt_gzip_body_is_an_error(server):
    server.routes["/"] = answer(b"\x1f\x8bnot really gzip", Content_Encoding="gzip")
    with refused("decode"):
        fetch(server.url("/", host="public.example"))


def test_an_encoding_it_did_not_ask_for_is_an_error(server):
    server.routes["/"] = answer(b"...", Content_Encoding="br")
    with refused("decode", match="unsupported content encoding: br"):
        fetch(server.url("/", host="public.example"))


# Time ---------------------------------------------------------------------------------------


def test_a_server_that_never_answers_times_out(server):
    server.routes["/"] = lambda handler: server.release.wait(30) and None
    error = failure(lambda: fetch(server.url("/", host="public.example"), timeout=0.3))
    assert error.reason_code == "timeout"
    assert error.message == "timed out after 0.3 s"


def test_a_server_that_drips_its_body_times_out_on_the_overall_deadline(server):
    # Each byte arrives well within any per-read timeout; only a deadline on the whole
    # exchange stops this (the drip would take four seconds).
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "200")
        handler.end_headers()
        for _ in range(200):
            if server.release.wait(0.02):
                return
            handler.wfile.write(b"x")

    server.routes["/"] = drip
    with refused("timeout"):
        fetch(server.url("/", host="public.example"), timeout=0.5)


def test_a_slow_resolver_counts_against_the_deadline(network):
    stuck = threading.Event()
    network.resolve = lambda host, port: stuck.wait(30) and []
    try:
        with refused("timeout", match="timed out after 0.2 s"):
            fetch("http://public.example/", timeout=0.2)
    finally:
        stuck.set()


# Retry-After --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_read_on_429_and_503(server, status):
    server.routes["/"] = answer(b"slow down", status, Retry_After="120")
    assert fetch(server.url("/", host="public.example")).retry_after == 120


def test_retry_after_as_a_date_becomes_seconds(server):
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    server.routes["/"] = answer(b"", 503, Retry_After=later)
    assert 3500 <= (fetch(server.url("/", host="public.example")).retry_after or 0) <= 3600


def test_retry_after_is_ignored_on_other_statuses(server):
    server.routes["/"] = answer(b"ok", Retry_After="120")
    assert fetch(server.url("/", host="public.example")).retry_after is None


NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0),
        ("3600", 3600),
        (" 90 ", 90),
        ("Sat, 01 Mar 2025 12:02:00 GMT", 120),
        ("Sat, 01 Mar 2025 12:00:00 +0100", 0),  # an hour ago
        ("Sat, 01 Mar 2025 12:00:30 -0000", 30),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_parsing(value, seconds):
    assert parse_retry_after(value, now=NOW) == seconds


# Headers ------------------------------------------------------------------------------------


def test_headers_are_read_without_regard_to_case_and_repeated_ones_join():
    headers = Headers([("Vary", "Accept"), ("ETag", '"x"'), ("vary", "Cookie")])
    assert headers["etag"] == headers["ETAG"] == '"x"'
    assert headers["Vary"] == "Accept, Cookie"
    assert "Etag" in headers and "Age" not in headers
    assert list(headers) == ["Vary", "ETag"]
    assert len(headers) == 2
    with pytest.raises(TypeError):
        headers["Age"] = "1"  # type: ignore[index]


# TLS ----------------------------------------------------------------------------------------


def openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> Path:
    """A test certificate authority and a certificate it signed for public.example."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    folder = tmp_path_factory.mktemp("tls")
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req", "-x509", *curve, "-keyout", folder / "ca.key", "-out", folder / "ca.pem",
        "-days", "2", "-subj", "/CN=Cairn Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    openssl(
        "req", "-new", *curve, "-keyout", folder / "server.key", "-out", folder / "server.csr",
        "-subj", "/CN=public.example",
    )  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=DNS:public.example\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
        "subjectKeyIdentifier=hash\n"
    )
    openssl(
        "x509", "-req", "-in", folder / "server.csr", "-CA", folder / "ca.pem",
        "-CAkey", folder / "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", folder / "server.ext", "-out", folder / "server.pem",
    )  # fmt: skip
    return folder


@pytest.fixture
def tls_server(certificates) -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    local = LocalServer(tls=context)
    yield local
    local.stop()


@pytest.fixture
def trusted(monkeypatch, certificates) -> None:
    """Trust the test authority (OpenSSL reads SSL_CERT_FILE whenever a context loads)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))


def test_https_checks_the_certificate_against_the_name_while_connecting_to_the_address(
    tls_server, trusted, network
):
    tls_server.routes["/"] = answer(b"over tls")
    response = fetch(tls_server.url("/", host="public.example"))
    assert response.body == b"over tls"
    assert network.connections == [PUBLIC_IP]
    assert tls_server.seen[0].headers["host"] == f"public.example:{tls_server.port}"


def test_a_certificate_from_an_unknown_authority_is_refused(tls_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    error = failure(lambda: fetch(tls_server.url("/", host="public.example")))
    assert error.reason_code == "tls"
    assert error.message.startswith("TLS certificate invalid for public.example")


def test_a_certificate_for_another_name_is_refused(tls_server, trusted):
    with refused("tls", match="TLS certificate invalid for other.example"):
        fetch(tls_server.url("/", host="other.example"))


def test_https_never_redirects_down_to_http(tls_server, server, trusted):
    server.routes["/"] = answer(b"plain")
    tls_server.routes["/"] = redirect(302, server.url("/", host="public.example"))
    error = failure(lambda: fetch(tls_server.url("/", host="public.example")))
    assert error.reason_code == "downgrade"
    assert "from https down to http" in error.message
    assert server.seen == []


def test_http_may_redirect_up_to_https(tls_server, server, trusted):
    server.routes["/"] = redirect(301, tls_server.url("/", host="public.example"))
    tls_server.routes["/"] = answer(b"secure")
    assert fetch(server.url("/", host="public.example")).body == b"secure"


# The address classifier ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("93.184.215.14", None),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
        ("64:ff9b::808:808", None),
        ("2002:808:808::1", None),
        ("10.0.0.5", "a private address"),
        ("172.16.0.1", "a private address"),
        ("172.31.255.255", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("127.255.255.254", "a loopback address"),
        ("::1", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("169.254.169.254", "the cloud metadata address"),
        ("fd00:ec2::254", "the cloud metadata address"),
        ("224.0.0.1", "a multicast address"),
        ("239.255.255.250", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("ff0e::1", "a multicast address"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address"),
        ("100.127.255.255", "a shared (carrier-grade NAT) address"),
        ("fec0::1", "a site-local address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("::8.8.8.8", "a reserved address"),  # IPv4-compatible, long deprecated
        ("5f00::1", "a reserved address"),
        ("192.0.2.1", "a special-purpose address that is not publicly routable"),
        ("198.18.0.1", "a special-purpose address that is not publicly routable"),
        ("2001:db8::1", "a special-purpose address that is not publicly routable"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.5", "a private address"),
        ("::ffff:169.254.169.254", "the cloud metadata address"),
        ("64:ff9b::a00:5", "a private address"),
        ("2002:a00:5::1", "a private address"),
        ("2002:7f00:1::", "a loopback address"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo tunnel address"),
    ],
)
def test_the_classifier_names_what_an_address_is(address, reason):
    assert refusal_reason(ipaddress.ip_address(address)) == reason


def _plain_verdict(address: outbound.IPAddress) -> bool:
    site_local = isinstance(address, ipaddress.IPv6Address) and address.is_site_local
    return address.is_global and not (address.is_multicast or address.is_reserved or site_local)


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_is_public_exactly_when_ipaddress_calls_it_global(address):
    # ...except multicast, which ipaddress counts as global but a fetch cannot use.
    assert (refusal_reason(address) is None) == _plain_verdict(address)


@given(st.ip_addresses(v=6) | st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address))
def test_a_plain_ipv6_address_is_public_exactly_when_ipaddress_calls_it_global(address):
    assume(outbound.embedded_ipv4(address) is None)
    # ...except multicast, site-local and unassigned space, refused as well.
    assert (refusal_reason(address) is None) == _plain_verdict(address)


def _mapped(v4: ipaddress.IPv4Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0xFFFF << 32) | int(v4))


def _nat64(v4: ipaddress.IPv4Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0x0064FF9B << 96) | int(v4))


def _sixtofour(v4: ipaddress.IPv4Address, host: int) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | host)


@given(st.ip_addresses(v=4), st.integers(0, 2**80 - 1))
def test_ipv6_forms_of_an_ipv4_address_are_judged_like_it(v4, host):
    verdict = refusal_reason(v4)
    assert refusal_reason(_mapped(v4)) == verdict
    assert refusal_reason(_nat64(v4)) == verdict
    assert refusal_reason(_sixtofour(v4, host)) == verdict


@given(st.integers(0, 2**96 - 1))
def test_teredo_addresses_are_always_refused(rest):
    address = ipaddress.IPv6Address((0x20010000 << 96) | rest)
    assert refusal_reason(address) is not None


@given(st.ip_addresses())
def test_nothing_ipaddress_calls_non_global_is_called_public(address):
    if refusal_reason(address) is None and outbound.embedded_ipv4(address) is None:
        assert address.is_global
