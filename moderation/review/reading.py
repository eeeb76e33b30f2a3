"""A store read as the review side offers it: the store function takes a connection, the
review function a Store (it opens one connection for the read)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection

from moderation.store import Store

P = ParamSpec("P")
R = TypeVar("R")


def reads(fn: Callable[Concatenate[Connection, P], R]) -> Callable[Concatenate[Store, P], R]:
    """``fn(conn, ...)`` as ``read(store, ...)``, with ``fn``'s name and docstring."""

    @functools.wraps(fn)
    def read(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with store.engine.connect() as conn:
            return fn(conn, *args, **kwargs)

    return read
