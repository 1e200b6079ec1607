"""POST /auth/send-otp and /auth/verify-otp over real HTTP (docs/api.md "Auth and sessions"): the
answers, phone normalisation, resend cooldown and hourly limit, wrong, expired, reused and locked
codes, parallel guessing, validation, hashed storage, and a production server that never shows or
logs a code."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import jwt
import psycopg
import pytest
from psycopg.rows import dict_row

from app.settings import Settings
from tests.conftest import API, api_url, assert_problem, login, new_phone
from tests.test_sms import FakeMsg91


def normalised(phone: str) -> str:
    return "+91" + phone[-10:]


def send(client: httpx.Client, phone: str) -> httpx.Response:
    return client.post("/auth/send-otp", json={"phone": phone})


def send_code(client: httpx.Client, phone: str) -> str:
    sent = send(client, phone)
    assert sent.status_code == 200, sent.text
    return sent.json()["dev_otp"]


def verify(client: httpx.Client, phone: str, otp: str) -> httpx.Response:
    return client.post("/auth/verify-otp", json={"phone": phone, "otp": otp})


def wrong(code: str, offset: int = 1) -> str:
    """A well-formed code that is not `code`."""
    return f"{(int(code) + offset) % 1_000_000:06d}"


def latest_code_row(db: psycopg.Connection, phone: str) -> dict:
    with db.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            "SELECT * FROM store.otp_verifications WHERE phone = %s ORDER BY id DESC LIMIT 1",
            (normalised(phone),),
        ).fetchone()
    assert row is not None, f"no code stored for {phone}"
    return row


def age_codes(db: psycopg.Connection, phone: str, by: str = "1 minute") -> None:
    """Move every code of the phone into the past (both timestamps, expiry still after
    creation), so that the 30 s cooldown is over without waiting."""
    db.execute(
        "UPDATE store.otp_verifications"
        " SET created_at = created_at - %s::interval, expires_at = expires_at - %s::interval"
        " WHERE phone = %s",
        (by, by, normalised(phone)),
    )


def user_count(db: psycopg.Connection, phone: str) -> int:
    return db.execute(
        "SELECT count(*) FROM store.users WHERE phone = %s", (normalised(phone),)
    ).fetchone()[0]


# --- send-otp ------------------------------------------------------------------------------


def test_send_otp_answers_expiry_cooldown_and_dev_code(client):
    sent = send(client, new_phone())

    assert sent.status_code == 200, sent.text
    assert sent.headers["content-type"].startswith("application/json")
    body = sent.json()
    assert body["expires_in"] == 300
    assert body["resend_after"] == 30
    assert re.fullmatch(r"[0-9]{6}", body["dev_otp"]), body
    assert set(body) == {"expires_in", "resend_after", "dev_otp"}


def test_send_otp_stores_the_phone_normalised_and_the_code_valid_for_five_minutes(client, db):
    phone = new_phone()
    send_code(client, "+91" + phone)

    row = latest_code_row(db, phone)
    assert row["phone"] == normalised(phone)
    assert row["status"] == "pending" and row["attempts"] == 0
    assert (row["expires_at"] - row["created_at"]).total_seconds() == pytest.approx(300, abs=1)


def test_otp_is_stored_only_as_a_hash(client, db):
    phone = new_phone()
    code = send_code(client, phone)

    row = latest_code_row(db, phone)
    assert isinstance(row["code_hash"], bytes) and len(row["code_hash"]) == 32
    for column, value in row.items():
        if isinstance(value, bytes):
            assert code.encode() not in value, column
        else:
            assert code not in str(value), column


def test_second_code_within_the_cooldown_is_rate_limited(client, db):
    phone = new_phone()
    send_code(client, phone)

    again = send(client, phone)

    assert_problem(again, 429, "otp_rate_limited")
    count = db.execute(
        "SELECT count(*) FROM store.otp_verifications WHERE phone = %s", (normalised(phone),)
    ).fetchone()[0]
    assert count == 1


def test_cooldown_applies_across_both_phone_forms(client):
    phone = new_phone()
    send_code(client, phone)

    assert_problem(send(client, "+91" + phone), 429, "otp_rate_limited")


def test_sixth_code_within_an_hour_is_rate_limited(client, db):
    phone = new_phone()
    for _ in range(5):
        send_code(client, phone)
        age_codes(db, phone, "1 minute")

    assert_problem(send(client, phone), 429, "otp_rate_limited")

    # Once the oldest codes are more than an hour old, a new one may be sent again.
    age_codes(db, phone, "57 minutes")
    assert send(client, phone).status_code == 200


def test_a_new_code_replaces_the_previous_one(client, db):
    phone = new_phone()
    first = send_code(client, phone)
    age_codes(db, phone)
    second = send_code(client, phone)
    while second == first:  # one chance in a million: ask once more
        age_codes(db, phone)
        second = send_code(client, phone)

    assert_problem(verify(client, phone, first), 401, "invalid_otp")
    assert verify(client, phone, second).status_code == 200


# --- verify-otp ----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The HMAC key is")
def test_first_login_answers_a_bearer_token_and_a_new_user(client, db):
    phone = new_phone()
    code = send_code(client, phone)

    logged_in = verify(client, phone, code)

    assert logged_in.status_code == 200, logged_in.text
    body = logged_in.json()
    assert set(body) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "refresh_expires_in",
        "is_new_user",
        "user",
    }
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["refresh_expires_in"] == 30 * 86400
    assert body["is_new_user"] is True
    user = body["user"]
    assert set(user) == {"id", "phone", "name", "email"}
    assert user["phone"] == normalised(phone)
    assert user["name"] is None and user["email"] is None
    assert isinstance(user["id"], int)
    assert user_count(db, phone) == 1
    claims = jwt.decode(
        body["access_token"], "dev-jwt-secret", algorithms=["HS256"], options={"verify_exp": True}
    )
    assert claims["sub"] == str(user["id"])
    assert claims["exp"] - claims["iat"] == body["expires_in"]
    session = db.execute(
        "SELECT user_id, created_ip, ended_at FROM store.sessions WHERE id = %s", (claims["sid"],)
    ).fetchone()
    assert session == (user["id"], ipaddress.ip_address("127.0.0.1"), None)


def test_second_login_is_not_a_new_user(client, db):
    phone = new_phone()
    _, first = login(client, phone)
    age_codes(db, phone)

    _, second = login(client, phone)

    assert first["is_new_user"] is True
    assert second["is_new_user"] is False
    assert second["user"]["id"] == first["user"]["id"]
    assert user_count(db, phone) == 1


def test_plus91_and_ten_digit_forms_are_the_same_user(client, db):
    phone = new_phone()
    # First login: code asked for with +91, typed in with the 10-digit form.
    first = verify(client, phone, send_code(client, "+91" + phone))
    age_codes(db, phone)
    # Second login: the other way round.
    second = verify(client, "+91" + phone, send_code(client, phone))

    assert first.status_code == 200 and second.status_code == 200, (first.text, second.text)
    assert first.json()["user"]["phone"] == second.json()["user"]["phone"] == normalised(phone)
    assert first.json()["user"]["id"] == second.json()["user"]["id"]
    assert first.json()["is_new_user"] is True and second.json()["is_new_user"] is False
    assert user_count(db, phone) == 1


def test_wrong_code_is_refused_and_the_try_is_counted(client, db):
    phone = new_phone()
    code = send_code(client, phone)

    refused = verify(client, phone, wrong(code))

    assert_problem(refused, 401, "invalid_otp")
    row = latest_code_row(db, phone)
    assert row["attempts"] == 1  # kept although the request failed
    assert row["status"] == "pending"
    assert user_count(db, phone) == 0
    # A wrong try does not burn the code: the right one still logs in.
    assert verify(client, phone, code).status_code == 200


def test_fifth_wrong_code_locks_the_code_and_the_right_one_is_refused_after(client, db):
    phone = new_phone()
    code = send_code(client, phone)

    answers = [verify(client, phone, wrong(code, n)) for n in range(1, 6)]

    for answer in answers[:4]:
        assert_problem(answer, 401, "invalid_otp")
    assert_problem(answers[4], 429, "otp_attempts_exceeded")
    assert_problem(verify(client, phone, code), 429, "otp_attempts_exceeded")
    assert latest_code_row(db, phone)["attempts"] == 5
    assert user_count(db, phone) == 0


def test_parallel_wrong_guesses_are_counted_up_to_the_cap(server, client, db):
    phone = new_phone()
    code = send_code(client, phone)
    guesses = [wrong(code, n) for n in range(1, 21)]
    start = threading.Barrier(len(guesses))

    def guess(otp: str) -> int:
        with httpx.Client(base_url=server.base_url + API, timeout=30) as own_client:
            start.wait()
            return verify(own_client, phone, otp).status_code

    with ThreadPoolExecutor(len(guesses)) as pool:
        statuses = Counter(pool.map(guess, guesses))

    # Each guess is counted once, in turn: 4 wrong answers, then the code is locked.
    assert statuses == {401: 4, 429: 16}, statuses
    assert latest_code_row(db, phone)["attempts"] == 5
    assert_problem(verify(client, phone, code), 429, "otp_attempts_exceeded")
    assert user_count(db, phone) == 0


def test_expired_code_is_refused(client, db):
    phone = new_phone()
    code = send_code(client, phone)
    db.execute(
        "UPDATE store.otp_verifications"
        " SET created_at = now() - interval '6 minutes', expires_at = now() - interval '1 minute'"
        " WHERE id = %s",
        (latest_code_row(db, phone)["id"],),
    )

    assert_problem(verify(client, phone, code), 401, "otp_expired")
    assert user_count(db, phone) == 0


def test_used_code_cannot_be_reused(client):
    phone = new_phone()
    code = send_code(client, phone)
    assert verify(client, phone, code).status_code == 200

    assert_problem(verify(client, phone, code), 401, "invalid_otp")


def test_code_of_another_phone_is_refused(client):
    phone, other = new_phone(), new_phone()
    code = send_code(client, phone)
    send_code(client, other)

    assert_problem(verify(client, other, code), 401, "invalid_otp")


def test_verify_without_any_code_sent_is_refused(client):
    assert_problem(verify(client, new_phone(), "123456"), 401, "invalid_otp")


# --- validation ----------------------------------------------------------------------------

VALID_PHONE = "9876543210"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/send-otp", {"phone": "12345"}, "phone"),
        ("/auth/send-otp", {"phone": "5876543210"}, "phone"),
        ("/auth/send-otp", {"phone": "+9198765432101"}, "phone"),
        ("/auth/send-otp", {"phone": "+44 7911123456"}, "phone"),
        ("/auth/send-otp", {"phone": "98765 43210"}, "phone"),
        ("/auth/send-otp", {}, "phone"),
        ("/auth/send-otp", {"phone": 9876543210}, "phone"),
        ("/auth/send-otp", {"phone": None}, "phone"),
        ("/auth/send-otp", {"phone": VALID_PHONE, "is_staff": True}, "is_staff"),
        ("/auth/verify-otp", {"phone": "1234", "otp": "123456"}, "phone"),
        ("/auth/verify-otp", {"phone": VALID_PHONE, "otp": "12345"}, "otp"),
        ("/auth/verify-otp", {"phone": VALID_PHONE, "otp": "1234567"}, "otp"),
        ("/auth/verify-otp", {"phone": VALID_PHONE, "otp": "abcdef"}, "otp"),
        ("/auth/verify-otp", {"phone": VALID_PHONE, "otp": 123456}, "otp"),
        ("/auth/verify-otp", {"phone": VALID_PHONE}, "otp"),
        ("/auth/verify-otp", {"otp": "123456"}, "phone"),
        ("/auth/verify-otp", {"phone": VALID_PHONE, "otp": "123456", "user_id": 1}, "user_id"),
    ],
    ids=lambda value: repr(value) if isinstance(value, dict) else None,
)
def test_invalid_body_is_a_validation_problem_naming_the_field(client, path, body, field):
    answer = client.post(path, json=body)

    problem = assert_problem(answer, 422, "validation_error")
    assert field in [error["field"] for error in problem["errors"]], problem


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"not json", "application/json"),
        (b'{"phone": ', "application/json"),
        (b"[]", "application/json"),
        (b'"9876543210"', "application/json"),
        (b"phone=9876543210", "application/x-www-form-urlencoded"),
    ],
)
def test_body_that_is_not_a_json_object_is_a_validation_problem(client, content, content_type):
    answer = client.post("/auth/send-otp", content=content, headers={"content-type": content_type})

    problem = assert_problem(answer, 422, "validation_error")
    # No field of the body can be named: the problem is the body itself.
    assert [error["field"] for error in problem["errors"]] == ["body"], problem


def known_and_unknown_phones(db: psycopg.Connection, count: int) -> tuple[list, list]:
    """`count` phones of existing users and `count` phones nobody has used."""
    known = [new_phone() for _ in range(count)]
    for phone in known:
        db.execute("INSERT INTO store.users (phone) VALUES (%s)", (normalised(phone),))
    return known, [new_phone() for _ in range(count)]


def answer_shape(response: httpx.Response) -> tuple:
    """What a response tells a client, less what differs on every call (ids, codes, dates)."""
    body = response.json()
    if "dev_otp" in body:
        body["dev_otp"] = re.sub(r"[0-9]", "9", body["dev_otp"])
    body.pop("request_id", None)
    if "detail" in body:
        body["detail"] = re.sub(r"[0-9]+", "N", body["detail"])
    headers = sorted(set(response.headers) - {"date", "x-request-id"})
    return response.status_code, tuple(headers), json.dumps(body, sort_keys=True)


def test_known_and_unknown_phones_get_the_same_answers_in_the_same_time(client, db):
    """An attacker learns nothing about who has an account: the same answers to send-otp
    (first code, then the cooldown) and to verify-otp (a wrong code, no code), and send-otp
    takes as long (medians of interleaved calls, so drift hits both alike)."""
    count = 40
    known, unknown = known_and_unknown_phones(db, count)
    send(client, new_phone())  # warm the route and the statement up
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    shapes: dict[str, set] = {"known": set(), "unknown": set()}
    codes: dict[str, str] = {}
    for pair in zip(known, unknown, strict=True):
        for kind, phone in zip(("known", "unknown"), pair, strict=True):
            started = time.perf_counter()
            response = send(client, phone)
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            shapes[kind].add(answer_shape(response))
            codes[phone] = response.json()["dev_otp"]

    assert shapes["known"] == shapes["unknown"] and len(shapes["known"]) == 1, shapes
    median = {kind: statistics.median(values) for kind, values in timings.items()}
    tolerance = max(0.0005, 0.2 * min(median.values()))
    assert abs(median["known"] - median["unknown"]) <= tolerance, median
    [silent_known], [silent_unknown] = known_and_unknown_phones(db, 1)  # no code sent
    for first, second in (
        (send(client, known[0]), send(client, unknown[0])),  # within the 30 s cooldown
        (
            verify(client, known[1], wrong(codes[known[1]])),
            verify(client, unknown[1], wrong(codes[unknown[1]])),
        ),
        (verify(client, silent_known, "000000"), verify(client, silent_unknown, "000000")),
    ):
        assert first.status_code in (401, 429), first.text
        assert answer_shape(first) == answer_shape(second)


def test_invalid_phone_sends_no_code(client, db):
    before = db.execute("SELECT count(*) FROM store.otp_verifications").fetchone()[0]

    assert_problem(send(client, "0000000000"), 422, "validation_error")

    after = db.execute("SELECT count(*) FROM store.otp_verifications").fetchone()[0]
    assert after == before


# --- production ----------------------------------------------------------------------------


def recover_code(otp_key: bytes, phone: str, code_hash: bytes) -> str:
    """The code whose stored hash is code_hash (store.otp_verifications.code_hash: HMAC-SHA256
    of 'phone:code' keyed with the OTP key), found by trying all one million codes."""
    prefix = f"{phone}:".encode()
    for n in range(1_000_000):
        code = f"{n:06d}"
        if hmac.digest(otp_key, prefix + code.encode(), hashlib.sha256) == code_hash:
            return code
    raise AssertionError("no 6-digit code matches the stored hash")


def test_production_never_shows_or_logs_the_code(
    start_test_server, replace_worker, db_url, db, request
):
    msg91 = FakeMsg91()  # production sends codes by SMS: to a fake MSG91 here (tests/test_sms.py)
    request.addfinalizer(msg91.close)
    env = {
        "DATABASE_URL": api_url(db_url),
        "JIOKIDZ_ENV": "production",
        "JWT_SECRET": secrets.token_hex(20),
        "RAZORPAY_KEY_ID": "rzp_live_x",
        "RAZORPAY_KEY_SECRET": "s" * 20,
        "RAZORPAY_WEBHOOK_SECRET": "w" * 20,
        "PAYMENT_GATEWAY": "razorpay",
        **msg91.settings(),
    }
    production = start_test_server(env)
    worker = replace_worker(**{k: v for k, v in env.items() if k != "DATABASE_URL"})
    phone = new_phone()

    with httpx.Client(base_url=production.base_url + API, timeout=10) as prod_client:
        sent = send(prod_client, phone)
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"expires_in": 300, "resend_after": 30}

        # The code really was issued: recovered from its hash, it logs in.
        row = latest_code_row(db, phone)
        code = recover_code(Settings.from_env(env).otp_key, normalised(phone), row["code_hash"])
        logged_in = verify(prod_client, phone, code)
        assert logged_in.status_code == 200, logged_in.text
        assert code not in logged_in.text
    # The SMS carried it (the worker sent it), and nothing else did.
    deadline = time.monotonic() + 10
    while not msg91.codes_for(phone) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert msg91.codes_for(phone) == [code]
    assert code not in worker.log()

    production.log_line(f"POST {API}/auth/verify-otp 200")  # the last access line is written
    log = production.log()
    assert f"POST {API}/auth/send-otp 200" in log  # the log is the one of these requests
    assert code not in log
