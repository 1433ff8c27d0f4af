"""A property-based run against the gateway's own OpenAPI document (R5.2): schemathesis
generates requests for every operation from the document, sends them to the running system
(every service on RabbitMQ and PostgreSQL), and checks that nothing answers 5xx and that
every response keeps to the document (status codes, content types, schemas). It runs as the
system-wide administrator (registry commands go through to the registry) and as a standing
committee member of the province (everything else reaches its service).

A request the document allows may still be refused (422, 409): the document says which
fields and types a command takes, not whether a date falls in a term or a record exists, so
the check that every schema-valid request is accepted does not apply here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

EXAMPLES = 6  # per operation, login and mode: ~1,800 requests in all


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("properties"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


@pytest.mark.parametrize(("login", "mode"), [("admin", GenerationMode.POSITIVE),
                                             ("h", GenerationMode.POSITIVE),
                                             ("h", GenerationMode.NEGATIVE)])
def test_r5_2_no_request_gets_a_5xx_or_an_answer_outside_the_document(
        system: System, login: str, mode: GenerationMode) -> None:
    """Positive: requests the document allows. Negative: requests it forbids (wrong types,
    missing or unknown fields, out-of-range numbers), which must be refused with a 4xx."""
    schema = schemathesis.openapi.from_url(f"{system.base_url}/openapi.json")
    headers = {"Authorization": f"Bearer {system.tokens[login]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 90
    failures: list[str] = []
    exercised = 0
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            case = data.draw(operation.as_strategy(generation_mode=mode))
            try:
                case.call_and_validate(base_url=system.base_url, headers=headers,
                                       excluded_checks=[positive_data_acceptance])
            except AssertionError as failure:
                failures.append(f"{operation.label}: {str(failure)[:500]}")
                raise

        try:
            run()
            exercised += 1
        except Unsatisfiable:
            continue  # nothing in it can be made invalid (no parameters): nothing to send
        except AssertionError:
            continue  # reported below, with the others
    assert not failures, "\n".join(failures[:20])
    assert exercised > 60
