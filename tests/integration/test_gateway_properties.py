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

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.support.figures import record
from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

# Per operation and login: 6 positive (~1,200 requests) and 3 negative (~300) in `make test`,
# derandomized; `make reliability` asks for more (EMU_FUZZ_HTTP_EXAMPLES) under a random seed
# it records (EMU_FUZZ_SEED), which a failure names so that the run can be made again.
EXAMPLES = int(os.environ.get("EMU_FUZZ_HTTP_EXAMPLES", "6"))
NEGATIVE_EXAMPLES = max(1, EXAMPLES // 2)
SEED = int(os.environ["EMU_FUZZ_SEED"]) if os.environ.get("EMU_FUZZ_SEED") else None
# Issue 10's figures (bad-input/http), summed over the runs of this module
TALLY = {"tried": 0, "server_errors": 0, "schema_violations": 0}
RUNS: dict[str, dict[str, int]] = {}


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
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 90
    failures: list[str] = []
    exercised = 0
    for operation in operations:
        if login == "admin" and operation.path.startswith("/v1/users/{username}/"):
            continue  # would disable or reset the very logins this test signs in with
        if mode == GenerationMode.NEGATIVE and not len(operation.query) and not len(operation.body):
            continue  # only its token could be made invalid, and the test sends a valid one
        try:
            _explore(operation, mode, system.base_url, headers, failures)
            exercised += 1
        except Unsatisfiable:
            continue  # nothing in it can be made invalid (no parameters): nothing to send
        except AssertionError:
            continue  # reported below, with the others
    run = {key: TALLY[key] - sum(r[key] for r in RUNS.values()) for key in TALLY}
    RUNS[f"{login}-{mode.value}"] = run
    record("bad-input", "http", **TALLY, runs=RUNS, seed=SEED, examples=EXAMPLES)
    assert not failures, f"seed {SEED}:\n" + "\n".join(failures[:20])
    assert run["server_errors"] == 0 and run["schema_violations"] == 0
    assert exercised > 60


def refused_with_a_4xx(ctx: Any, response: Any, case: Any) -> bool | None:
    """The library's check that a request the document forbids is refused, counting 413 and
    414 (too large a body or query string) as refusals too, which it does not list."""
    if response.status_code in (413, 414):
        return True
    return negative_data_rejection(ctx, response, case)


def _explore(operation: Any, mode: GenerationMode, base_url: str, headers: dict[str, str],
             failures: list[str]) -> None:
    """Up to EXAMPLES generated requests for one operation; a failure is noted and raised."""

    @settings(max_examples=EXAMPLES if mode == GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
              deadline=None, database=None, derandomize=SEED is None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        try:
            response = case.call(base_url=base_url, headers=headers)
            sent = {"base_url": base_url, "headers": dict(headers)}  # for checks that re-send
            TALLY["tried"] += 1
            TALLY["server_errors"] += response.status_code >= 500
            try:
                if mode == GenerationMode.NEGATIVE:
                    case.validate_response(response, headers=headers, transport_kwargs=sent,
                                           excluded_checks=[positive_data_acceptance,
                                                            negative_data_rejection],
                                           additional_checks=[refused_with_a_4xx])
                else:
                    case.validate_response(response, headers=headers, transport_kwargs=sent,
                                           excluded_checks=[positive_data_acceptance])
            except AssertionError:
                TALLY["schema_violations"] += response.status_code < 500
                raise
        except requests.RequestException:
            # A request line of hundreds of kilobytes is refused by the HTTP parser before the
            # gateway sees it (a bare 400, then the socket closes under the client's feet);
            # HTTP clients refuse to send query strings over 64 KB in the first place.
            if len(urlencode(case.query or {}, doseq=True)) <= 64 * 1024:
                raise
        except AssertionError as failure:
            failures.append(f"{operation.label}: {str(failure)[:500]}")
            raise

    if SEED is not None:
        run = seed(SEED)(run)
    run()
