"""Rate limits kept in the web process: sign-in failures per account and per client address.

A sliding window of event times per key. Numbers live in memory, so each web process counts on its
own (with N web processes an attacker gets at most N times the allowance). Upload rates and quotas
are counted in the database instead (api.routers.analyses), so they hold across machines.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from fastapi import HTTPException


class SlidingWindow:
    """At most `limit` events per key within `window_s` seconds."""

    def __init__(self, limit: int, window_s: float, max_keys: int = 100_000) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:  # bounded memory under a flood of keys
                self._prune(now)
            events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        return events

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window_s]:
            del self._events[key]
        while len(self._events) >= self.max_keys:
            del self._events[next(iter(self._events))]

    def retry_after(self, key: str, now: float | None = None) -> int | None:
        """Seconds until one more event is allowed, or None if it is allowed now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._live(key, now)
            if len(events) < self.limit:
                return None
            return max(1, math.ceil(events[len(events) - self.limit] + self.window_s - now))

    def add(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._live(key, now).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


def too_many(detail: str, retry_after_s: float) -> HTTPException:
    seconds = max(1, math.ceil(retry_after_s))
    return HTTPException(429, f"{detail}; try again in {seconds} s",
                         headers={"Retry-After": str(seconds)})


class LoginThrottle:
    """Failed sign-ins counted per account (email) and per client address."""

    def __init__(self, per_account: int, per_client: int, window_s: float) -> None:
        self.accounts = SlidingWindow(per_account, window_s)
        self.clients = SlidingWindow(per_client, window_s)

    def check(self, email: str, client: str) -> None:
        """429 when either the account or the client address has failed too often lately."""
        wait = self.accounts.retry_after(email)
        if wait is None:
            wait = self.clients.retry_after(client)
        if wait is not None:
            raise too_many("too many failed sign-ins", wait)

    def failed(self, email: str, client: str) -> None:
        self.accounts.add(email)
        self.clients.add(client)

    def succeeded(self, email: str) -> None:
        self.accounts.reset(email)
