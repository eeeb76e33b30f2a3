"""The error hierarchy says what kind of failure each case is, so callers can tell them apart."""

from __future__ import annotations

import pytest

from moderation import ConflictError, InvalidRequestError, ModerationError, NotFoundError
from moderation.errors import StoreError
from moderation.store.database import retry_locked


def test_a_conflict_is_not_a_store_fault_and_is_not_retried() -> None:
    assert issubclass(ConflictError, ModerationError)
    assert not issubclass(ConflictError, StoreError)
    calls: list[int] = []

    def lose() -> None:
        calls.append(1)
        raise ConflictError("alice decided it first", subject="c1")

    with pytest.raises(ConflictError):
        retry_locked(lose)
    assert calls == [1]


@pytest.mark.parametrize("kind", [NotFoundError, InvalidRequestError])
def test_not_found_and_invalid_request_are_their_own_kinds(kind: type[ModerationError]) -> None:
    error = kind("no such comment", subject="c9")
    assert isinstance(error, ModerationError) and not isinstance(error, StoreError)
    assert str(error) == "c9: no such comment"
