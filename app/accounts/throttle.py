"""Slowing password guessing per (account, client address) pair, never the owner elsewhere.

A limit per account alone let anyone lock anyone out with five wrong passwords. Here
each pair of account and address has its own count: after a few free failures the
pair waits, twice as long after each further failure, up to a cap. The owner at
another address is not affected. The trade-off, accepted: a guesser who spreads over
many addresses escapes both the pair's wait and the per-address limit on the login
route; slow argon2id hashing and the minimum password length are what hold there.
Counts live in the rate limiter's storage (memory in development, Redis in production),
so every worker sees them.
"""

from __future__ import annotations

import math
import time

from flask import current_app

from app.extensions import limiter

#: How long a pair's failures are remembered after its first one.
REMEMBER_SECONDS = 24 * 60 * 60


def _keys(email: str, address: str) -> tuple[str, str]:
    pair = f"login-pair/{email.strip().lower()}/{address}"
    return pair + "/failures", pair + "/wait"


def wait_seconds(email: str, address: str) -> int:
    """Seconds this pair must still wait before its next attempt is looked at (0: none)."""
    storage = limiter.storage
    _failures, wait = _keys(email, address)
    if storage.get(wait) <= 0:
        return 0
    return max(1, math.ceil(storage.get_expiry(wait) - time.time()))


def delay_after(failures: int) -> int:
    """The wait after the pair's ``failures``-th failure: none at first, then doubling."""
    config = current_app.config
    free = config["LOGIN_FREE_FAILURES"]
    if failures < free:
        return 0
    return min(
        config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** (failures - free), config["LOGIN_MAX_DELAY_SECONDS"]
    )


def record_failure(email: str, address: str) -> int:
    """Count a failed attempt of the pair; returns the wait it now faces."""
    storage = limiter.storage
    failures_key, wait_key = _keys(email, address)
    delay = delay_after(storage.incr(failures_key, REMEMBER_SECONDS))
    if delay:
        storage.clear(wait_key)
        storage.incr(wait_key, delay)
    return delay


def forget(email: str, address: str) -> None:
    """A successful sign-in from the pair wipes its slate."""
    for key in _keys(email, address):
        limiter.storage.clear(key)
