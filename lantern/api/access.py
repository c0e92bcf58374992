"""The API's one access check and its transaction: each operation runs in one transaction with its
access-log row (ADR 17); a refusal's row is kept while the caller gets 403."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja.errors import HttpError

from lantern.people.models import Person
from lantern.web.access import RecordRefused, child_access

F = TypeVar("F", bound=Callable[..., Any])


def audited(operation: F) -> F:
    """The operation in one transaction with its access-log row (ADR 17); a refusal's row is kept."""

    @wraps(operation)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            try:
                return operation(*args, **kwargs)
            except RecordRefused as refused:
                child = refused.child  # leaving the block normally commits the refusal's log row
        raise HttpError(403, f"{child.ref} is known to services; you have no relationship with the child")

    # The API reads the operation's parameters from the wrapper: give it their types resolved in the
    # operation's own module (with postponed annotations they are strings naming that module's imports).
    wrapper.__signature__ = inspect.signature(operation, eval_str=True)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def child_opened_for_api(request: HttpRequest, ref: str, *, page: str, perm: str, action: str) -> Person:
    try:
        return child_access(request, ref, page=page, perm=perm, action=action)
    except Http404:
        raise HttpError(404, f"No child has the reference {ref}") from None
