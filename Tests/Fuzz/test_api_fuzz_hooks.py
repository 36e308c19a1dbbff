"""Tests of scripts/api_fuzz_hooks.py, the checks and excuses scripts/api-fuzz runs with.

A check that flags what the client itself sent fails CI on a correct server (a date given as
"Debug description" and quoted back in the 400's reason did once); one that misses a leak lets the
server's internals reach clients. Both directions are pinned here with stand-in cases and answers.
Run by scripts/api-fuzz with its Schemathesis virtualenv, before the fuzzing.
"""

import json
import os
import sys
from types import SimpleNamespace

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import api_fuzz_hooks as hooks  # noqa: E402


def answer(status, reason, url="http://127.0.0.1:1/api/v1/calendar", body=None):
    request = SimpleNamespace(url=url, body=body)
    text = json.dumps({"error": True, "reason": reason})
    return SimpleNamespace(status_code=status, text=text, request=request)


def case(method="GET", path="/api/v1/calendar", body=None, query=None):
    operation = SimpleNamespace(method=method, path=path)
    return SimpleNamespace(operation=operation, body=body, query=query, path_parameters=None, headers=None)


def test_a_reason_quoting_a_query_value_sent_with_plus_for_space_is_not_a_leak():
    response = answer(
        400,
        "start (or date) must be a date such as 2026-11-30, got “Debug description”",
        url="http://127.0.0.1:1/api/v1/calendar?date=Debug+description&technician=-9&days=2",
    )
    assert hooks.no_swift_debug_text(None, response, case(query={"date": "Debug description"})) is None


def test_a_reason_quoting_a_json_body_value_is_not_a_leak():
    sent = {"displayName": "keyNotFound( here"}
    response = answer(400, "displayName keyNotFound( here is too odd", body=json.dumps(sent).encode())
    assert hooks.no_swift_debug_text(None, response, case("POST", "/api/v1/users", body=sent)) is None


@pytest.mark.parametrize(
    "reason",
    [
        "keyNotFound(CodingKeys(stringValue: \"role\", intValue: nil), Swift.DecodingError.Context(...))",
        "The data couldn’t be read: Debug description: Expected String",
        "typeMismatch(Swift.Int, ...)",
    ],
)
def test_debug_text_the_request_did_not_carry_fails_the_check(reason):
    response = answer(400, reason, url="http://127.0.0.1:1/api/v1/users", body=b'{"role": 3}')
    with pytest.raises(AssertionError, match="leaks Swift debug text"):
        hooks.no_swift_debug_text(None, response, case("POST", "/api/v1/users", body={"role": 3}))


def test_successful_answers_are_not_judged():
    response = answer(200, "Swift.DecodingError")
    assert hooks.no_swift_debug_text(None, response, case()) is None


@pytest.mark.parametrize(
    "status, reason, excused",
    [
        (502, "the reflow stopped: Autotask refused the credentials", True),
        (503, "the reflow was stopped before it finished: the Autotask connection was just changed", True),
        (503, "the reflow stopped: Autotask refused the credentials", False),
        (500, "the reflow stopped: anything", False),
        (502, "Bad gateway", False),
    ],
)
def test_only_the_documented_reflow_stops_are_excused(status, reason, excused):
    response = answer(status, reason, url="http://127.0.0.1:1/api/v1/reflow")
    assert hooks.is_documented_reflow_stop(case("POST", "/api/v1/reflow"), response) is excused


def test_the_same_answer_from_another_route_is_not_excused():
    response = answer(502, "the reflow stopped: Autotask refused the credentials", url="http://127.0.0.1:1/api/v1/plan")
    assert hooks.is_documented_reflow_stop(case("POST", "/api/v1/plan"), response) is False
