"""The OpenAPI spec, and schemathesis generating requests from it against the real server:
no 5xx, every answer (and its status and content type) as the spec says, data the schema
forbids refused, and auth not ignored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from moderation.api.config import ApiConfig
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from tests.unit.api.conftest import Api, make_api, serve, standard_tokens

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (pip install -r requirements-dev.txt)"
)


@pytest.fixture
def spec_api(tmp_path: Path, rules_path: Path, offline_scorer: MiniLMHeadsScorer) -> Iterator[Api]:
    store = Store.open(f"sqlite:///{tmp_path / 'spec.db'}")
    intake, app = make_api(
        store, rules_path, offline_scorer, ApiConfig(rate_per_s=10_000, burst=10_000)
    )
    try:
        with serve(app) as (host, port):
            yield Api(host, port, store, intake, standard_tokens(store))
    finally:
        store.close()


@pytest.fixture
def api_schema(spec_api: Api) -> Any:
    return schemathesis.openapi.from_url(f"{spec_api.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_server_keeps_to_its_spec(case: Any, spec_api: Api) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {spec_api.tokens['both']}"})


def test_the_spec_documents_bodies_errors_and_the_token(spec_api: Api) -> None:
    spec = spec_api.call("GET", "/openapi.json").body
    post = spec["paths"]["/v1/comments"]["post"]
    assert {"400", "401", "403", "409", "413", "415", "422", "429", "201"} <= set(post["responses"])
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert {r["$ref"] for r in body["anyOf"]} == {
        "#/components/schemas/CommentIn",
        "#/components/schemas/BatchIn",
    }
    schemas = spec["components"]["schemas"]
    assert schemas["CommentIn"]["additionalProperties"] is False
    assert schemas["ArticleIn"]["additionalProperties"] is False
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "/v1/decisions" in spec["paths"]
