"""The only way Cairn makes outbound HTTP requests: bounded GETs of untrusted URLs.

Feeds and other URLs come from users, so every fetch is treated as hostile:

- only http and https, never credentials in the URL;
- the host is resolved once (`resolve`), every address it resolves to must be public, and the
  connection goes to that vetted address (`connect`), never to the name again, so a second DNS
  answer cannot swap in a private address between the check and the connection (DNS
  rebinding); the request still carries the original Host header, and TLS uses the host name
  for SNI and certificate verification;
- every redirect is checked the same way, and https never redirects down to http;
- one deadline covers resolution, connection, TLS, redirects and the body, so a server that
  drips a byte at a time cannot hold a worker; the body is bounded in size after
  decompression, so a small gzip bomb cannot fill memory.

An operator can let fetches reach private and loopback addresses (an intranet feed) with
CAIRN_ALLOW_PRIVATE_FETCH; cloud metadata endpoints stay refused even then, because no feed
lives there and a user-supplied URL reaching one is the classic way to steal a server's
cloud credentials.

Why the standard library rather than requests, httpx or urllib3: none of them lets us pin the
connection to an address vetted beforehand without replacing their transport or connection
classes, or bounds the whole exchange by one deadline rather than per socket operation. Both
need the socket-level control that `http.client` gives directly, and a bounded GET needs
nothing else those libraries offer (pools, sessions, cookies, proxies, uploads). `resolve`
and `connect` are module-level functions so that tests can substitute a name table and point
a vetted address at a local test server without any switch in production code.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import math
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from cairn import __version__

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ReasonCode = Literal[
    "invalid_url",  # not a URL that can be fetched (no host, bad port, bad characters)
    "scheme",  # not http or https
    "credentials",  # user name or password in the URL
    "dns",  # the host name does not resolve
    "refused",  # the host resolves to an address that is not public
    "downgrade",  # a redirect from https to http
    "too_many_redirects",
    "connect",  # no TCP connection could be made
    "tls",  # the TLS handshake or certificate check failed
    "timeout",  # the overall deadline passed
    "too_large",  # the body (after decompression) passed max_bytes
    "decode",  # a compressed body that cannot be decompressed
    "protocol",  # the server did not speak HTTP properly, or the connection broke
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Never reachable, even when private fetches are allowed: the instance metadata services of
# the big clouds (AWS, GCP, Azure, Oracle, DigitalOcean; AWS over IPv6; AWS ECS task
# credentials; Alibaba).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(text)
    for text in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
)

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")
_PRIVATE_V4 = tuple(
    ipaddress.IPv4Network(text) for text in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_TEREDO = ipaddress.IPv6Network("2001::/32")

# Headers that identify the user to one site and must not follow a redirect to another.
_PRIVATE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


class FetchError(Exception):
    """A fetch that failed or was refused; `message` is fit to show to the person who gave
    the URL, `reason_code` is a stable word for code (see `ReasonCode`)."""

    def __init__(self, message: str, url: str, reason_code: ReasonCode):
        super().__init__(message)
        self.message = message
        self.url = url
        self.reason_code = reason_code

    def __repr__(self) -> str:
        return f"FetchError({self.message!r}, {self.url!r}, {self.reason_code!r})"


class Headers(Mapping[str, str]):
    """Response headers: read-only, looked up without regard to case; a header sent several
    times reads as its values joined by ", " (as HTTP defines)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()):
        store: dict[str, tuple[str, str]] = {}
        for name, value in items:
            key = name.lower()
            if key in store:
                first_name, previous = store[key]
                store[key] = (first_name, f"{previous}, {value}")
            else:
                store[key] = (name, value)
        self._store = store

    def __getitem__(self, name: str) -> str:
        return self._store[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._store

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._store.values())

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass(frozen=True)
class Redirect:
    """One redirect followed: `url` answered `status`, pointing to `location` (absolute)."""

    url: str
    status: int
    location: str

    @property
    def permanent(self) -> bool:
        """A 301 or 308: the resource has moved for good, callers may store the new URL."""
        return self.status in (301, 308)


@dataclass(frozen=True)
class Response:
    """The outcome of a fetch. `body` is decompressed; it is empty when `not_modified`.

    `etag` and `last_modified` are the validators to send next time: the response's own, or,
    on a 304 that omits them, the ones that were sent. `retry_after` is in seconds, read on a
    429 or 503 only.
    """

    final_url: str
    status: int
    headers: Headers
    body: bytes = field(repr=False)
    etag: str | None
    last_modified: str | None
    not_modified: bool
    retry_after: int | None
    redirects: tuple[Redirect, ...]


def user_agent() -> str:
    """How Cairn introduces itself to the sites it fetches from."""
    return f"Cairn/{__version__} (+{settings.SITE_URL})"


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order (one DNS lookup)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to an IP address that has already been vetted (never a host name)."""
    return socket.create_connection((address, port), timeout=timeout)


def refusal_reason(address: IPAddress) -> str | None:
    """Why an address is not a public one ("a private address", ...), or None if it is.

    IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4
    address they carry; Teredo tunnels are refused outright.
    """
    embedded = embedded_ipv4(address)
    if embedded is not None:
        return refusal_reason(embedded)
    if address in METADATA_ADDRESSES:
        return "the cloud metadata address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address):
        if address in _SHARED:
            return "a shared (carrier-grade NAT) address"
        if any(address in network for network in _PRIVATE_V4):
            return "a private address"
    else:
        if address in _UNIQUE_LOCAL:
            return "a private address"
        if address.is_site_local:
            return "a site-local address"
        if address in _TEREDO:
            return "a Teredo tunnel address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose address that is not publicly routable"
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 address stands for."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def parse_retry_after(value: str | None, *, now: datetime) -> int | None:
    """A Retry-After header as whole seconds from `now` (a delay, or an HTTP date; a date in
    the past is 0); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, math.ceil((when - now).total_seconds()))


def fetch(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 5_000_000,
    timeout: float = 15,
    max_redirects: int = 5,
    allow_private: bool | None = None,
) -> Response:
    """GET an untrusted URL within bounds of time, size and redirects; raises FetchError.

    `etag` and `last_modified` make the request conditional (a 304 comes back with
    `not_modified` set). Statuses other than redirects are returned, not raised: the caller
    decides what a 404 or a 429 means. `allow_private` defaults to the operator's
    ALLOW_PRIVATE_FETCH setting.
    """
    if allow_private is None:
        allow_private = bool(settings.ALLOW_PRIVATE_FETCH)
    deadline = _Deadline(timeout)
    request_headers = _request_headers(headers, etag=etag, last_modified=last_modified)
    redirects: list[Redirect] = []
    target = _Target.parse(url)
    while True:
        try:
            response = _get(target, request_headers, deadline, allow_private, max_bytes)
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:g} s", target.url, "timeout") from None
        except ssl.SSLCertVerificationError as error:
            raise FetchError(
                f"TLS certificate invalid for {target.host}: {error.verify_message}",
                target.url,
                "tls",
            ) from None
        except ssl.SSLError as error:
            raise FetchError(
                f"TLS error with {target.host}: {error.reason or error}", target.url, "tls"
            ) from None
        except OSError as error:
            raise FetchError(
                f"the connection to {target.host} broke: {_describe(error)}",
                target.url,
                "protocol",
            ) from None
        except http.client.HTTPException as error:
            raise FetchError(
                f"{target.host} did not answer in valid HTTP ({type(error).__name__})",
                target.url,
                "protocol",
            ) from None

        if response.location is None:
            return _finish(response, target, etag, last_modified, tuple(redirects))

        if len(redirects) >= max_redirects:
            raise FetchError(
                f"too many redirects ({len(redirects) + 1})", target.url, "too_many_redirects"
            )
        following = _Target.parse(urljoin(target.url, response.location))
        if target.scheme == "https" and following.scheme == "http":
            raise FetchError(
                f"refused: {target.url} redirects from https down to http ({following.url})",
                target.url,
                "downgrade",
            )
        if following.origin != target.origin:
            request_headers = {
                name: value
                for name, value in request_headers.items()
                if name.lower() not in _PRIVATE_HEADERS
            }
        redirects.append(Redirect(target.url, response.status, following.url))
        target = following


@dataclass(frozen=True)
class _Target:
    """A URL that passed the static checks, split into what a connection needs."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA), lower case, IPv6 without brackets
    port: int
    request_path: str  # path and query, percent-encoded

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise FetchError(f"invalid URL: {error}", url, "invalid_url") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            shown = f"not {scheme}" if scheme else "and this URL has no scheme"
            raise FetchError(
                f"refused: only http and https URLs can be fetched, {shown}", url, "scheme"
            )
        if parts.username is not None or parts.password is not None:
            raise FetchError(
                "refused: the URL contains a user name or password", url, "credentials"
            )
        if not parts.hostname:
            raise FetchError("invalid URL: it names no host", url, "invalid_url")
        if port == 0:
            raise FetchError("invalid URL: port 0", url, "invalid_url")
        host = parts.hostname
        if _ip_literal(host) is None:
            try:
                host = host.rstrip(".").encode("idna").decode("ascii")
            except UnicodeError:
                host = ""
            if not host:
                raise FetchError(
                    f"invalid URL: {parts.hostname!r} is not a valid host name", url, "invalid_url"
                )
        path = _requote(parts.path or "/")
        if parts.query:
            path = f"{path}?{_requote(parts.query)}"
        return cls(
            url=url.strip(),
            scheme=scheme,
            host=host,
            port=port or (443 if scheme == "https" else 80),
            request_path=path,
        )


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Headers
    body: bytes
    location: str | None  # set for a redirect to follow; its body is not read


class _Deadline:
    """One clock for the whole fetch; every blocking step gets only what is left."""

    def __init__(self, seconds: float):
        self.ends_at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.ends_at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


def _get(
    target: _Target,
    request_headers: Mapping[str, str],
    deadline: _Deadline,
    allow_private: bool,
    max_bytes: int,
) -> _Answer:
    """One request and response, to an address checked first; redirects are not followed."""
    addresses = _vetted_addresses(target, deadline, allow_private)
    connection = _PinnedConnection(target, addresses, deadline)
    try:
        connection.request("GET", target.request_path, headers=dict(request_headers))
        response = connection.getresponse()
        answer_headers = Headers(response.getheaders())
        location = answer_headers.get("Location")
        if response.status in REDIRECT_STATUSES and location:
            return _Answer(response.status, answer_headers, b"", location.strip())
        body = _read_body(response, answer_headers, target, max_bytes)
        return _Answer(response.status, answer_headers, body, None)
    finally:
        connection.close()
        connection.release()


def _vetted_addresses(target: _Target, deadline: _Deadline, allow_private: bool) -> list[str]:
    literal = _ip_literal(target.host)
    if literal is not None:
        found = [literal]
    else:
        try:
            texts = _resolve_within(target.host, target.port, deadline)
        except TimeoutError:
            raise
        except (OSError, UnicodeError) as error:
            raise FetchError(
                f"cannot resolve {target.host}: {_describe(error)}", target.url, "dns"
            ) from None
        found = []
        for text in texts:
            try:
                found.append(ipaddress.ip_address(text))
            except ValueError:
                raise FetchError(
                    f"cannot resolve {target.host}: the resolver answered {text!r}",
                    target.url,
                    "dns",
                ) from None
    if not found:
        raise FetchError(f"cannot resolve {target.host}: no address", target.url, "dns")
    for address in found:
        reason = refusal_reason(address)
        if reason is None:
            continue
        embedded = embedded_ipv4(address)
        judged = embedded if embedded is not None else address
        if allow_private and judged not in METADATA_ADDRESSES:
            continue
        shown = f"{address} ({embedded})" if embedded is not None else str(address)
        if literal is not None:
            message = f"refused: {target.host} is {reason}"
        else:
            message = f"refused: {target.host} resolves to {shown}, {reason}"
        raise FetchError(message, target.url, "refused")
    return [str(address) for address in found]


def _resolve_within(host: str, port: int, deadline: _Deadline) -> list[str]:
    """`resolve`, abandoned when the deadline passes: getaddrinfo itself cannot time out, so
    it runs on a daemon thread that is left to finish on its own."""
    future: Future[list[str]] = Future()

    def lookup() -> None:
        try:
            future.set_result(resolve(host, port))
        except Exception as error:
            future.set_exception(error)

    threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
    return future.result(timeout=deadline.remaining())


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP/1.1 to vetted addresses: the Host header and TLS name are the URL's host, but
    the socket goes to an address that has already been checked, never to the name."""

    def __init__(self, target: _Target, addresses: list[str], deadline: _Deadline):
        super().__init__(target.host, target.port)
        self.default_port = 443 if target.scheme == "https" else 80
        self._tls = target.scheme == "https"
        self._url = target.url
        self._addresses = addresses
        self._deadline = deadline
        self._raw: socket.socket | None = None

    def connect(self) -> None:
        raw = self._open_any()
        self._raw = raw
        if self._tls:
            raw.settimeout(self._deadline.remaining())
            raw = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host)
            self._raw = raw
        # http.client only ever sends on and reads from its socket; the stand-in bounds both.
        self.sock = _DeadlineSocket(raw, self._deadline)  # type: ignore[assignment]

    def release(self) -> None:
        """Close the real socket (http.client's close only lets go of the stand-in)."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def _open_any(self) -> socket.socket:
        error: OSError | None = None
        for address in self._addresses:
            try:
                return connect(address, self.port, self._deadline.remaining())
            except TimeoutError:
                raise
            except OSError as failure:
                error = failure
        reason = _describe(error) if error else "no address to try"
        raise FetchError(
            f"cannot connect to {self.host} port {self.port}: {reason}", self._url, "connect"
        )


class _DeadlineSocket:
    """The face of a socket that http.client sees: every send and every read waits at most
    until the fetch's deadline, however the server spaces its bytes."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        # The response may still be reading when http.client lets go of the connection;
        # the real socket is closed by _PinnedConnection.release once the fetch is done.
        pass


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        self._sock.settimeout(self._deadline.remaining())
        return self._sock.recv_into(buffer)


def _read_body(
    response: http.client.HTTPResponse, headers: Headers, target: _Target, max_bytes: int
) -> bytes:
    """The body, decompressed, refused as soon as it (or its compressed form) passes
    max_bytes."""
    too_large = FetchError(f"too large: more than {_size(max_bytes)}", target.url, "too_large")
    encoding = headers.get("Content-Encoding", "").strip().lower()
    inflater: _Inflater | None = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(max_bytes, allow_raw_deflate=encoding == "deflate")
    elif encoding not in ("", "identity"):
        raise FetchError(f"unsupported content encoding: {encoding}", target.url, "decode")
    declared = headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    received = 0
    size = 0
    while True:
        try:
            data = response.read1(65536)
        except http.client.IncompleteRead:
            raise FetchError(
                f"the response from {target.host} was cut short", target.url, "protocol"
            ) from None
        if not data:
            break
        received += len(data)
        if received > max_bytes:
            raise too_large
        if inflater is not None:
            try:
                data = inflater.feed(data)
            except zlib.error as error:
                raise FetchError(
                    f"the {encoding} body cannot be decompressed: {error}", target.url, "decode"
                ) from None
            except _Overflow:
                raise too_large from None
        size += len(data)
        if size > max_bytes:
            raise too_large
        chunks.append(data)
    if response.length:
        # http.client stops quietly when the connection closes before Content-Length.
        raise FetchError(f"the response from {target.host} was cut short", target.url, "protocol")
    if inflater is not None and received and not inflater.finished:
        raise FetchError(f"the {encoding} body is cut short", target.url, "decode")
    return b"".join(chunks)


class _Overflow(Exception):
    pass


_GZIP_MAGIC = b"\x1f\x8b"


class _Inflater:
    """gzip or deflate, decompressed a slice at a time so that output never passes `limit`:
    zlib is asked for at most one byte more than the room left, whatever the input."""

    def __init__(self, limit: int, *, allow_raw_deflate: bool):
        self._limit = limit
        self._produced = 0
        self._allow_raw = allow_raw_deflate
        self._started = False
        self._held = b""
        self._trailing = False
        # 32 + MAX_WBITS: accept a gzip or a zlib header, whichever the server sent.
        self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)

    @property
    def finished(self) -> bool:
        return self._z.eof

    def feed(self, data: bytes) -> bytes:
        if self._started or not self._allow_raw:
            self._started = True
            return self._inflate(data)
        self._started = True
        try:
            return self._inflate(data)
        except zlib.error:
            # Some servers send "deflate" as a bare deflate stream, without the zlib header.
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            self._produced = 0
            return self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        pieces: list[bytes] = []
        data = self._held + data
        self._held = b""
        while data and not self._trailing:
            if self._z.eof:
                # Concatenated gzip members make one body; anything else after the end is
                # ignored, as gzip itself does.
                if len(data) < len(_GZIP_MAGIC):
                    self._held = data
                    break
                if not data.startswith(_GZIP_MAGIC):
                    self._trailing = True
                    break
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            piece = self._z.decompress(data, self._limit - self._produced + 1)
            self._produced += len(piece)
            if self._produced > self._limit:
                raise _Overflow
            pieces.append(piece)
            data = self._z.unused_data if self._z.eof else self._z.unconsumed_tail
        return b"".join(pieces)


def _finish(
    answer: _Answer,
    target: _Target,
    etag: str | None,
    last_modified: str | None,
    redirects: tuple[Redirect, ...],
) -> Response:
    not_modified = answer.status == 304
    response_etag = answer.headers.get("ETag")
    response_modified = answer.headers.get("Last-Modified")
    if not_modified:
        response_etag = response_etag or etag
        response_modified = response_modified or last_modified
    retry_after = None
    if answer.status in (429, 503):
        retry_after = parse_retry_after(answer.headers.get("Retry-After"), now=datetime.now(UTC))
    return Response(
        final_url=target.url,
        status=answer.status,
        headers=answer.headers,
        body=b"" if not_modified else answer.body,
        etag=response_etag,
        last_modified=response_modified,
        not_modified=not_modified,
        retry_after=retry_after,
        redirects=redirects,
    )


def _request_headers(
    extra: Mapping[str, str] | None, *, etag: str | None, last_modified: str | None
) -> dict[str, str]:
    chosen: dict[str, tuple[str, str]] = {}

    def put(name: str, value: str) -> None:
        chosen[name.lower()] = (name, value)

    put("User-Agent", user_agent())
    put("Accept", "*/*")
    put("Accept-Encoding", "gzip, deflate")
    put("Connection", "close")
    for name, value in (extra or {}).items():
        if name.lower() in ("host", "accept-encoding", "connection", "content-length"):
            raise ValueError(f"fetch() sets the {name} header itself")
        put(name, value)
    if etag:
        put("If-None-Match", etag)
    if last_modified:
        put("If-Modified-Since", last_modified)
    return dict(chosen.values())


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _requote(text: str) -> str:
    # Keep what is already percent-encoded or reserved; encode spaces, controls and non-ASCII.
    return quote(text, safe="!#$%&'()*+,/:;=?@[]~")


def _size(count: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
