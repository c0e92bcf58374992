"""What one request has already worked out, kept until the request ends.

A child's page asks several times whether the viewer has a relationship with the child: opening the
record, then whether they may record on it, see corrections, export… (``rules`` predicates, each asking
the database). Inside a request the answer is worked out once (``remembered``); outside a request (the
command line, a test calling a selector) nothing is kept and every call asks again.

Anything that could change an answer forgets them all: saving or deleting an involvement, an emergency
access or a professional (``forget_on_change``, connected in ``CoreConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("lantern_request_memo", default=None)


def remembered(key: Hashable, work_out: Callable[[], T]) -> T:
    """``work_out()``, once per request for the same ``key``; every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return work_out()
    if key not in memo:
        memo[key] = work_out()
    found: T = memo[key]
    return found


def forget_on_change(**_: Any) -> None:
    """A signal receiver: something an answer depends on was saved or deleted."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    """Gives each request an empty memo, and drops it when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
