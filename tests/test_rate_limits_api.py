"""The per-client-IP limit on send-otp, counted in Redis or, without it, in the process."""

from __future__ import annotations

import uuid

import httpx
import pytest
import redis

from tests.conftest import API, api_url, assert_problem, new_phone

LIMIT = 3


def send_otps(server, count: int) -> list[httpx.Response]:
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        return [http.post("/auth/send-otp", json={"phone": new_phone()}) for _ in range(count)]


@pytest.mark.parametrize("backend", ["redis", "in-process"])
def test_send_otp_is_limited_per_client_address(db_url, start_server, backend):
    prefix = f"jiokidz-test-{uuid.uuid4().hex}"
    env = {
        "DATABASE_URL": api_url(db_url),
        "JIOKIDZ_ENV": "test",
        "OTP_IP_LIMIT_PER_HOUR": str(LIMIT),
    }
    if backend == "redis":
        env |= {"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_KEY_PREFIX": prefix}
    server = start_server(env)

    answers = send_otps(server, LIMIT + 1)

    assert [a.status_code for a in answers[:LIMIT]] == [200] * LIMIT
    refused = assert_problem(answers[LIMIT], 429, "rate_limited")
    assert "address" in refused["detail"]
    assert 0 < int(answers[LIMIT].headers["retry-after"]) <= 3600
    if backend == "redis":
        keys = redis.Redis().keys(f"{prefix}:*")
        assert len(keys) == 1 and int(redis.Redis().get(keys[0])) == LIMIT + 1
        redis.Redis().delete(*keys)


def test_an_unreachable_redis_falls_back_to_counting_in_process(db_url, start_server):
    server = start_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "OTP_IP_LIMIT_PER_HOUR": str(LIMIT),
            "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    )
    answers = send_otps(server, LIMIT + 1)
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    assert "counting in-process" in server.log()


def test_zero_turns_the_limit_off(client):
    # The shared test server runs JIOKIDZ_ENV=test, whose default limit is 0.
    answers = [client.post("/auth/send-otp", json={"phone": new_phone()}) for _ in range(8)]
    assert [a.status_code for a in answers] == [200] * 8


def test_a_body_over_64_kib_answers_413_problem(client):
    response = client.post(
        "/auth/send-otp",
        content=b'{"phone": "' + b"9" * 70_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "body_too_large")


def test_a_chunked_body_over_64_kib_answers_413_problem(client):
    def chunks():
        yield b'{"phone": "'
        for _ in range(10):
            yield b"9" * 8192
        yield b'"}'

    response = client.post(
        "/auth/send-otp", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body_too_large")
