"""A PostgreSQL server that goes away and comes back (moderation/store/connection_loss.py).

A loopback TCP relay stands between the store and the test server, so the test can cut every
connection, or refuse new ones, without stopping the server the other tests share."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from moderation.errors import StoreError
from moderation.store import Store
from moderation.store.connection_loss import LOST, UNREACHABLE
from tests.conftest import fresh_postgres_database

pytestmark = pytest.mark.postgres


class Relay:
    """Forwards 127.0.0.1:<port> to the server; ``cut`` closes every relayed connection and
    ``refuse`` stops accepting new ones until ``accept`` again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.refusing = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            return  # the other direction's pipe or cut() closed it
        finally:
            for end in (source, sink):
                end.close()

    def cut(self) -> None:
        for end in self.open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self.open.clear()


@pytest.fixture
def relayed(postgres_admin_url: str) -> Iterator[tuple[Store, Relay]]:
    with fresh_postgres_database(postgres_admin_url) as url:
        parsed = make_url(url)
        relay = Relay(parsed.host or "127.0.0.1", parsed.port or 5432)
        store = Store.open(parsed.set(host="127.0.0.1", port=relay.port).render_as_string(False))
        try:
            yield store, relay
        finally:
            store.close()
            relay.listener.close()


def test_a_lost_server_is_one_store_error_then_the_store_reconnects(
    relayed: tuple[Store, Relay], caplog: pytest.LogCaptureFixture
) -> None:
    store, relay = relayed
    caplog.set_level(logging.WARNING, logger="moderation.store")
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
        relay.cut()
        with pytest.raises(StoreError, match=LOST) as lost:
            conn.execute(text("SELECT 1"))
    password = store.engine.url.password
    assert "\n" not in str(lost.value)
    if password:  # the test server may have none (a local trust login)
        assert f":{password}@" not in str(lost.value) and ":***@" in str(lost.value)
    relay.refusing = True
    with pytest.raises(StoreError, match=UNREACHABLE):
        store.counts()
    relay.refusing = False
    assert store.counts()["comments"] == 0  # back, with no restart of the process
    said = [r.getMessage() for r in caplog.records]
    assert len([m for m in said if m.startswith(LOST)]) == 1, said  # once per outage
    assert len([m for m in said if m.startswith("reconnected")]) == 1, said
