"""HTTP(S) fetching for feeds and their pages, within limits a news site can live with.

One :class:`Fetcher` per poll run. Each request: a timeout for the whole
response (a server that trickles bytes is cut off too), a size limit (read no
further than it), conditional GET (``ETag`` / ``Last-Modified``), a User-Agent
that names storybrief and its version, redirects followed up to a limit (a loop
is named as one), robots.txt honoured per host, a politeness delay between two
requests to one host, and retries with exponential backoff on timeouts,
connection errors, 429 and 5xx. Nothing raises: every outcome is a
:class:`Fetched` with a status the manifest records (``fetched``,
``not-modified``, ``failed`` with a reason).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import OptionError
from ..model import Status

#: Statuses a request ends in (the manifest's feed statuses).
FETCHED: Status = "fetched"
NOT_MODIFIED: Status = "not-modified"
FAILED: Status = "failed"
_RETRY_CODES = frozenset({429, 500, 502, 503, 504})


def user_agent() -> str:
    """``storybrief/<version>``, with where to read about it."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        mine = version("storybrief")
    except PackageNotFoundError:
        mine = "unknown"
    return f"storybrief/{mine} (news brief builder; polls feeds politely)"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits of every request. ``timeout`` covers a whole response (seconds); ``delay`` is the
    least time between two requests to one host; ``retries`` are extra attempts after a failure
    worth retrying, ``backoff`` the first wait (doubled each time)."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 2.0
    delay: float = 1.0
    robots: bool = True
    agent: str = field(default_factory=user_agent)

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise OptionError("timeout", "a positive number of seconds", self.timeout)
        if self.max_bytes < 1:
            raise OptionError("max_bytes", "a positive number of bytes", self.max_bytes)
        if self.max_redirects < 0 or self.retries < 0:
            raise OptionError("retries", "zero or more", min(self.max_redirects, self.retries))
        if self.delay < 0 or self.backoff < 0:
            raise OptionError("delay", "zero or more seconds", min(self.delay, self.backoff))


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one request came to: the body when ``status`` is ``fetched``, else why not."""

    url: str
    status: Status
    reason: str | None = None
    data: bytes = b""
    final_url: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    attempts: int = 1
    transient: bool = False  # failed in a way that may pass (timeout, connection, 429, 5xx)


class _Failure(Exception):
    def __init__(self, reason: str, *, retry: bool = False, http_status: int | None = None, wait: float = 0.0):
        super().__init__(reason)
        self.reason, self.retry, self.http_status, self.wait = reason, retry, http_status, wait


class Fetcher:
    """Fetches URLs within :class:`FetchOptions`; keeps per-host robots rules and last-request times."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options or FetchOptions()
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}  # host -> rules, or why the host is refused
        self._client: Any = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, when a validator is given), following redirects within the limit."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            return Fetched(url, FAILED, "not an http(s) address")
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = 0
        while True:
            attempts += 1
            try:
                result = self._follow(url, headers)
            except _Failure as failure:
                if failure.retry and attempts <= self.options.retries:
                    self._sleep(max(failure.wait, self.options.backoff * 2 ** (attempts - 1)))
                    continue
                more = f" after {attempts} attempts" if attempts > 1 else ""
                return Fetched(
                    url,
                    FAILED,
                    failure.reason + more,
                    http_status=failure.http_status,
                    attempts=attempts,
                    transient=failure.retry,
                )
            return replace(result, attempts=attempts)

    # ------------------------------------------------------------------ one attempt

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        seen = [url]
        current = url
        for _ in range(self.options.max_redirects + 1):
            response = self._request(current, headers)
            code, location = response["status"], response["location"]
            if code in {301, 302, 303, 307, 308} and location:
                target = urljoin(current, location)
                if target in seen:
                    raise _Failure(f"redirect loop ({' -> '.join([*seen, target])})")
                seen.append(target)
                current = target
                continue
            if code == 304:
                reason = "not modified since the last poll"
                return Fetched(url, NOT_MODIFIED, reason, final_url=current, http_status=304)
            if code in _RETRY_CODES:
                raise _Failure(f"HTTP {code}", retry=True, http_status=code, wait=response["retry_after"])
            if code >= 400:
                raise _Failure(f"HTTP {code}", http_status=code)
            if code >= 300:
                raise _Failure(f"HTTP {code} without a usable Location", http_status=code)
            return Fetched(
                url,
                FETCHED,
                data=response["body"],
                final_url=current,
                http_status=code,
                etag=response["etag"],
                last_modified=response["last_modified"],
                content_type=response["content_type"],
            )
        raise _Failure(f"more than {self.options.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str], *, robots: bool = True) -> dict[str, Any]:
        import httpx  # noqa: PLC0415 - loaded on the first request

        if robots and self.options.robots:
            refused = self._refused(url)
            if refused:
                raise _Failure(refused)
        self._polite(url)
        limit, deadline = self.options.max_bytes, self._clock() + self.options.timeout
        try:
            with self._http().stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit and response.status_code < 300:
                    raise _Failure(f"larger than the limit of {limit:,} bytes ({int(declared):,} declared)")
                body = bytearray()
                if response.status_code < 300:
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise _Failure(f"larger than the limit of {limit:,} bytes")
                        if self._clock() > deadline:
                            raise _Failure(f"timed out after {self.options.timeout:g} s", retry=True)
                return {
                    "status": response.status_code,
                    "location": response.headers.get("location"),
                    "body": bytes(body),
                    "etag": response.headers.get("etag"),
                    "last_modified": response.headers.get("last-modified"),
                    "content_type": response.headers.get("content-type"),
                    "retry_after": _seconds(response.headers.get("retry-after")),
                }
        except httpx.TimeoutException:
            raise _Failure(f"timed out after {self.options.timeout:g} s", retry=True) from None
        except httpx.HTTPError as error:
            raise _Failure(f"connection failed ({type(error).__name__}: {str(error)[:120]})", retry=True) from None

    def _http(self) -> Any:
        if self._client is None:
            import httpx  # noqa: PLC0415

            self._client = httpx.Client(
                timeout=httpx.Timeout(self.options.timeout),
                follow_redirects=False,
                headers={"User-Agent": self.options.agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._client

    def _polite(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = self.options.delay - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def _refused(self, url: str) -> str | None:
        """Why robots.txt keeps us from ``url`` (None when it may be fetched)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc.lower()}"
        rules = self._robots.get(host)
        if rules is None:
            rules = self._robots[host] = self._read_robots(host)
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(self.options.agent, url) else "disallowed by the site's robots.txt"

    def _read_robots(self, host: str) -> RobotFileParser | str:
        parser = RobotFileParser()
        try:
            response = self._request(host + "/robots.txt", {}, robots=False)
        except _Failure as failure:
            return f"robots.txt could not be read ({failure.reason}); the site is not polled"
        code = response["status"]
        if code >= 500:
            return f"robots.txt answered HTTP {code}; the site is not polled"
        if code >= 300:  # missing (4xx) or moved: no rules (a moved robots.txt is not followed)
            parser.parse([])
        else:
            parser.parse(response["body"].decode("utf-8", "replace").splitlines())
        return parser


def _seconds(value: str | None) -> float:
    """A ``Retry-After`` in seconds (capped at a minute; a date or nonsense counts as none)."""
    if value and value.strip().isdigit():
        return min(60.0, float(value.strip()))
    return 0.0
