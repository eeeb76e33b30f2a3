"""A small client of the WordPress REST API (``/wp-json/wp/v2``): comments and posts.

Authenticated with an application password (Basic auth), read from a file or an environment
variable when the client is made and kept only in memory: never in the database, a log line or
an error message. Every request has timeouts and a size limit on the answer; 429, 5xx,
timeouts and refused connections are retried with exponential backoff (every request made here
is safe to repeat: setting a comment's status twice leaves it as once).
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from moderation.errors import ConfigError, SiteError
from moderation.sites.records import PasswordSource, RemoteStatus, Site

log = logging.getLogger(__name__)

# An application password is 24 characters (shown with spaces); anything near this is no password.
_MAX_PASSWORD_BYTES = 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PER_PAGE = 100  # WordPress's largest page


@dataclass(frozen=True)
class ClientLimits:
    connect_s: float = 10.0
    read_s: float = 30.0
    max_answer_bytes: int = 8 * 1024 * 1024  # 100 comments with edit context are ~100 KB
    attempts: int = 4  # per request, the first included
    backoff_s: float = 0.5  # the first wait; doubled each time
    max_backoff_s: float = 8.0
    max_retry_after_s: float = 60.0  # a site asking for longer is failed now, retried next sync


def read_password(source: PasswordSource, ref: str) -> str:
    """The application password from its file or environment variable (the error names where
    it looked, never what it found)."""
    if source == PasswordSource.ENV:
        value = os.environ.get(ref)
        if not value:
            raise ConfigError("the environment variable holding the password is unset", subject=ref)
    else:
        path = Path(ref)
        try:
            with path.open("rb") as handle:
                raw = handle.read(_MAX_PASSWORD_BYTES + 1)
        except OSError as exc:
            raise ConfigError(
                f"cannot read the password file ({exc.strerror})", subject=ref
            ) from exc
        if len(raw) > _MAX_PASSWORD_BYTES:
            raise ConfigError("the password file is too large to hold a password", subject=ref)
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError("the password file is not UTF-8 text", subject=ref) from exc
    value = value.strip()
    if not value:
        raise ConfigError("the password is empty", subject=ref)
    return value


class WordPressClient:
    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        limits: ClientLimits = ClientLimits(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.limits = limits
        self._sleep = sleep
        self._pretty = True  # /wp-json/...; sites without pretty permalinks: ?rest_route=
        self._http = httpx.Client(
            auth=httpx.BasicAuth(username, password),
            timeout=httpx.Timeout(limits.read_s, connect=limits.connect_s),
            headers={"User-Agent": "Threadwatch", "Accept": "application/json"},
            follow_redirects=False,
        )

    @classmethod
    def for_site(cls, site: Site, **kwargs: Any) -> WordPressClient:
        return cls(
            site.url,
            site.username,
            read_password(site.password_source, site.password_ref),
            **kwargs,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the API ------------------------------------------------------------------------
    def can_moderate(self) -> bool:
        """Whether the user the password belongs to may moderate comments on the site."""
        body, _, _ = self._request("GET", "/wp/v2/users/me", params={"context": "edit"})
        capabilities = self._object(body).get("capabilities")
        return isinstance(capabilities, dict) and capabilities.get("moderate_comments") is True

    def comments_since(self, after: str | None, *, max_items: int) -> list[dict[str, Any]]:
        """Comments (held and approved) dated after ``after`` (the site's local time, as its
        ``after`` filter compares), oldest first, at most ``max_items``."""
        params: dict[str, Any] = {
            "context": "edit",
            "status": "all",
            "type": "comment",
            "orderby": "date",
            "order": "asc",
        }
        if after:
            params["after"] = after
        return self._pages("/wp/v2/comments", params, max_items)

    def comments_by_ids(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """The held and approved comments among ``ids`` (spam, trashed or deleted ones are not
        listed: ask for them one by one with ``comment``)."""
        wanted = sorted(set(ids))
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), PER_PAGE):
            chunk = wanted[start : start + PER_PAGE]
            params = {
                "context": "edit",
                "status": "all",
                "type": "comment",
                "include": ",".join(map(str, chunk)),
                "per_page": PER_PAGE,
            }
            found.extend(self._list(self._request("GET", "/wp/v2/comments", params=params)[0]))
        return found

    def comment(self, remote_id: int) -> dict[str, Any] | None:
        """One comment in any status; None when the site has none of that id (deleted)."""
        body, status, _ = self._request(
            "GET", f"/wp/v2/comments/{int(remote_id)}", params={"context": "edit"}, missing_ok=True
        )
        return None if status == 404 else self._object(body)

    def set_comment_status(self, remote_id: int, status: RemoteStatus) -> dict[str, Any]:
        body, _, _ = self._request(
            "POST",
            f"/wp/v2/comments/{int(remote_id)}",
            params={"context": "edit"},
            json_body={"status": str(status)},
        )
        return self._object(body)

    def posts_by_ids(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """Posts, then pages, of those ids (comments belong to either)."""
        wanted = sorted(set(ids))
        found: list[dict[str, Any]] = []
        for kind in ("posts", "pages"):
            missing = [i for i in wanted if i not in {p.get("id") for p in found}]
            for start in range(0, len(missing), PER_PAGE):
                chunk = missing[start : start + PER_PAGE]
                params = {
                    "context": "edit",
                    "include": ",".join(map(str, chunk)),
                    "per_page": PER_PAGE,
                    "status": "publish,private,draft,pending,future",
                }
                found.extend(self._list(self._request("GET", f"/wp/v2/{kind}", params=params)[0]))
        return found

    def posts_modified_after(self, modified: str, *, max_items: int) -> list[dict[str, Any]]:
        params = {
            "context": "edit",
            "modified_after": modified,
            "orderby": "modified",
            "order": "asc",
            "status": "publish,private",
        }
        return self._pages("/wp/v2/posts", params, max_items)

    # -- transport -----------------------------------------------------------------------
    def _pages(self, path: str, params: dict[str, Any], max_items: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = 1
        while len(found) < max_items:
            body, _status, headers = self._request(
                "GET", path, params={**params, "per_page": PER_PAGE, "page": page}
            )
            items = self._list(body)
            found.extend(items)
            total_pages = int(headers.get("x-wp-totalpages") or 0)
            if not items or page >= total_pages:
                break
            page += 1
        return found[:max_items]

    def _address(self, path: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
        if self._pretty:
            return f"{self.url}/wp-json{path}", dict(params or {})
        return f"{self.url}/", {"rest_route": path, **(params or {})}

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        missing_ok: bool = False,
    ) -> tuple[Any, int, httpx.Headers]:
        """The decoded answer, its HTTP status and its headers (retried as ``limits`` allow)."""
        limits = self.limits
        for attempt in range(1, limits.attempts + 1):
            address, query = self._address(path, params)
            wait: float | None
            try:
                status, headers, raw = self._send(method, address, query, json_body)
            except httpx.TimeoutException:
                problem, wait = "timed out", None
            except httpx.TransportError as exc:
                problem, wait = f"unreachable ({exc.__class__.__name__})", None
            else:
                if status == 404 and self._pretty and not _is_json(headers):
                    self._pretty = False  # no /wp-json/ rewrite on this site: ask the plain way
                    continue
                if status in RETRY_STATUSES:
                    problem, wait = f"answered HTTP {status}", _retry_after(headers)
                else:
                    return self._answer(status, headers, raw, missing_ok), status, headers
            if wait is not None and wait > limits.max_retry_after_s:
                raise SiteError(f"{problem}, retry after {wait:.0f}s", subject=self.url)
            if attempt == limits.attempts:
                raise SiteError(f"{problem} ({attempt} attempts)", subject=self.url)
            delay = min(limits.max_backoff_s, limits.backoff_s * 2 ** (attempt - 1))
            delay = max(delay, wait or 0.0)
            log.info("%s %s: %s; retrying in %.1fs", method, path, problem, delay)
            self._sleep(delay)
        raise SiteError("no answer", subject=self.url)  # pragma: no cover (loop returns)

    def _send(
        self, method: str, address: str, query: dict[str, Any], json_body: dict[str, Any] | None
    ) -> tuple[int, httpx.Headers, bytes]:
        cap = self.limits.max_answer_bytes
        with self._http.stream(method, address, params=query, json=json_body) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap:
                raise SiteError(f"answer larger than {cap} bytes", subject=self.url)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise SiteError(f"answer larger than {cap} bytes", subject=self.url)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _answer(self, status: int, headers: httpx.Headers, raw: bytes, missing_ok: bool) -> Any:
        if status == 404 and missing_ok:
            return None
        try:
            body = json.loads(raw) if raw else None
        except ValueError as exc:
            raise SiteError(
                f"HTTP {status} with an answer that is not JSON", subject=self.url
            ) from exc
        if 200 <= status < 300:
            return body
        code = body.get("code") if isinstance(body, dict) else None
        if status in (401, 403):
            raise SiteError(
                f"HTTP {status} ({code or 'refused'}): the user needs an application password "
                "and the moderate_comments capability (the Editor role)",
                subject=self.url,
            )
        raise SiteError(f"HTTP {status} ({code or 'error'})", subject=self.url)

    def _list(self, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, list) or not all(isinstance(i, dict) for i in body):
            raise SiteError("expected a list of objects", subject=self.url)
        return body

    def _object(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SiteError("expected an object", subject=self.url)
        return body


def _is_json(headers: httpx.Headers) -> bool:
    return "json" in headers.get("content-type", "")


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
