"""Token buckets in memory, per process: enough to stop a flood from one participant."""
from __future__ import annotations

import threading
import time

from consult.errors import RateLimited
from consult.i18n import _


class Limiter:
    def __init__(self, burst: int, per_minute: int, message: str):
        """`message`, marked with N_ and holding %(wait)s, is what the refused person reads."""
        self.burst = burst
        self.rate = per_minute / 60.0
        self.message = message
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Takes a token, or raises RateLimited when the key's bucket is empty."""
        self._take(key, check=True, spend=True)

    def check(self, key: str) -> None:
        """Raises RateLimited when the bucket is empty, without taking a token: the look before
        an attempt that only counts when it fails."""
        self._take(key, check=True, spend=False)

    def spend(self, key: str) -> None:
        """Takes a token even from an empty bucket (a failure that already happened)."""
        self._take(key, check=False, spend=True)

    def _take(self, key: str, *, check: bool, spend: bool) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if check and tokens < 1:
                wait = int((1 - tokens) / self.rate) + 1
                raise RateLimited(_(self.message, wait=wait), wait)
            self._buckets[key] = (max(tokens - 1, 0.0) if spend else tokens, now)
            if len(self._buckets) > 50_000:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        idle = self.burst / self.rate
        for key in [k for k, (_, last) in self._buckets.items() if now - last > idle]:
            del self._buckets[key]
