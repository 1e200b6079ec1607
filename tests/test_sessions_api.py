"""Sessions over real HTTP (docs/api.md "Sessions"): a refresh token works once and its reuse
ends the session; logout and logout-all refuse a session's tokens at once, on every route; a
deactivated account is refused everywhere; refresh tokens are kept only as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import jwt
import psycopg
import pytest

from app.settings import Settings
from tests.conftest import API, assert_problem, login, new_phone
from tests.helpers_spec import ENDPOINTS, endpoint_id, valid_call

TOKEN_ROUTES = [ep for ep in ENDPOINTS if ep["auth"] != "none"]
LOGIN_KEYS = {
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "refresh_expires_in",
    "is_new_user",
    "user",
}


def session_id(access_token: str) -> int:
    return jwt.decode(access_token, options={"verify_signature": False})["sid"]


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def me(client: httpx.Client, access_token: str) -> httpx.Response:
    return client.get("/users/me", headers=bearer(access_token))


def refresh(client: httpx.Client, refresh_token: str) -> httpx.Response:
    return client.post("/auth/refresh", json={"refresh_token": refresh_token})


def past_the_code_cooldown(db, phone: str) -> None:
    """Move the phone's codes a minute into the past: the 30 s between codes is over."""
    db.execute(
        "UPDATE store.otp_verifications SET created_at = created_at - interval '1 minute',"
        " expires_at = expires_at - interval '1 minute' WHERE phone = %s",
        ("+91" + phone[-10:],),
    )


def second_login(client: httpx.Client, db, phone: str) -> dict:
    """Another login of the same phone (another session)."""
    past_the_code_cooldown(db, phone)
    return login(client, phone)[1]


def test_a_refresh_answers_a_new_pair_of_tokens_for_the_same_session(client, db):
    _, first = login(client)

    answer = refresh(client, first["refresh_token"])

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == LOGIN_KEYS
    assert body["is_new_user"] is False and body["user"] == first["user"]
    assert body["expires_in"] == 900 and body["refresh_expires_in"] == 30 * 86400
    assert body["refresh_token"] != first["refresh_token"]
    assert session_id(body["access_token"]) == session_id(first["access_token"])
    assert me(client, body["access_token"]).json()["id"] == first["user"]["id"]
    refreshed = db.execute(
        "SELECT refreshed_at IS NOT NULL, host(refreshed_ip) FROM store.sessions WHERE id = %s",
        (session_id(first["access_token"]),),
    ).fetchone()
    assert refreshed == (True, "127.0.0.1")


def test_a_spent_refresh_token_ends_its_session_with_every_token_in_it(client, db):
    _, first = login(client)
    second = refresh(client, first["refresh_token"]).json()

    replayed = refresh(client, first["refresh_token"])

    assert_problem(replayed, 401, "refresh_token_reused")
    # The newest refresh token and both access tokens of the session are refused too.
    assert_problem(refresh(client, second["refresh_token"]), 401, "invalid_refresh_token")
    assert_problem(me(client, second["access_token"]), 401, "unauthorized")
    assert_problem(me(client, first["access_token"]), 401, "unauthorized")
    reason = db.execute(
        "SELECT end_reason FROM store.sessions WHERE id = %s",
        (session_id(first["access_token"]),),
    ).fetchone()[0]
    assert reason == "refresh_token_reused"


@pytest.mark.parametrize(
    "shape",
    ["empty", "no dot", "short secret", "unknown", "user zero", "user beyond bigint", "spaces"],
)
def test_a_malformed_or_unknown_refresh_token_is_invalid(client, shape):
    _, body = login(client)
    user_id, _, secret = body["refresh_token"].partition(".")
    token = {
        "empty": "",
        "no dot": user_id + secret,
        "short secret": f"{user_id}.{secret[:-1]}",
        "unknown": f"{user_id}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        "user zero": f"0.{secret}",
        "user beyond bigint": f"{'9' * 19}.{secret}",
        "spaces": f" {body['refresh_token']} ",
    }[shape]

    assert_problem(refresh(client, token), 401, "invalid_refresh_token")
    # The session is untouched: its real token still works.
    assert refresh(client, body["refresh_token"]).status_code == 200


def test_an_expired_refresh_token_is_invalid(client, db):
    _, body = login(client)
    db.execute(
        "UPDATE store.refresh_tokens SET issued_at = now() - interval '31 days',"
        " expires_at = now() - interval '1 day' WHERE user_id = %s",
        (body["user"]["id"],),
    )

    answer = refresh(client, body["refresh_token"])

    problem = assert_problem(answer, 401, "invalid_refresh_token")
    assert "expired" in problem["detail"]


def test_a_refresh_without_a_token_is_a_validation_error(client):
    assert_problem(client.post("/auth/refresh", json={}), 422, "validation_error")


def test_of_concurrent_refreshes_with_one_token_exactly_one_succeeds(server):
    """Eight clients, each on its own connection, send the same refresh token at once, five
    times over: one 200 each time, and the others are taken for reuse."""
    racers = 8

    def race(token: str, barrier: threading.Barrier) -> httpx.Response:
        with httpx.Client(base_url=server.base_url + API, timeout=10) as own:
            barrier.wait()
            return refresh(own, token)

    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        for _ in range(5):
            _, body = login(http)
            barrier = threading.Barrier(racers)
            with ThreadPoolExecutor(racers) as pool:
                answers = list(pool.map(race, [body["refresh_token"]] * racers, [barrier] * racers))

            statuses = sorted(a.status_code for a in answers)
            assert statuses == [200] + [401] * (racers - 1), [a.text for a in answers]
            for answer in answers:
                if answer.status_code == 401:
                    assert_problem(answer, 401, "refresh_token_reused")
            # The reuse ended the session: the winner's new tokens are refused as well.
            winner = next(a.json() for a in answers if a.status_code == 200)
            assert_problem(refresh(http, winner["refresh_token"]), 401, "invalid_refresh_token")
            assert_problem(me(http, winner["access_token"]), 401, "unauthorized")


def test_logout_ends_this_session_and_no_other(client, db):
    phone = new_phone()
    _, here = login(client, phone)
    elsewhere = second_login(client, db, phone)

    answer = client.post("/auth/logout", headers=bearer(here["access_token"]))

    assert answer.status_code == 204 and answer.content == b""
    assert_problem(me(client, here["access_token"]), 401, "unauthorized")
    assert_problem(refresh(client, here["refresh_token"]), 401, "invalid_refresh_token")
    assert_problem(
        client.post("/auth/logout", headers=bearer(here["access_token"])), 401, "unauthorized"
    )
    assert me(client, elsewhere["access_token"]).status_code == 200
    assert refresh(client, elsewhere["refresh_token"]).status_code == 200
    reason = db.execute(
        "SELECT end_reason FROM store.sessions WHERE id = %s", (session_id(here["access_token"]),)
    ).fetchone()[0]
    assert reason == "logout"


def test_logout_all_ends_every_session_of_the_user(client, db):
    phone = new_phone()
    _, here = login(client, phone)
    elsewhere = second_login(client, db, phone)
    _, stranger = login(client)

    answer = client.post("/auth/logout-all", headers=bearer(elsewhere["access_token"]))

    assert answer.status_code == 204 and answer.content == b""
    for session in (here, elsewhere):
        assert_problem(me(client, session["access_token"]), 401, "unauthorized")
        assert_problem(refresh(client, session["refresh_token"]), 401, "invalid_refresh_token")
    assert me(client, stranger["access_token"]).status_code == 200
    # A new login starts a new session that works.
    assert me(client, second_login(client, db, phone)["access_token"]).status_code == 200


def test_logout_needs_a_token(client):
    assert_problem(client.post("/auth/logout"), 401, "unauthorized")
    assert_problem(client.post("/auth/logout-all"), 401, "unauthorized")


@pytest.fixture(scope="module", params=["logout", "logout-all", "refresh token reused"])
def ended_session_token(request, server) -> str:
    """An access token of a session ended in each way a session ends."""
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        access_token, body = login(http)
        if request.param == "refresh token reused":
            assert refresh(http, body["refresh_token"]).status_code == 200
            assert refresh(http, body["refresh_token"]).status_code == 401
        else:
            ended = http.post(f"/auth/{request.param}", headers=bearer(access_token))
            assert ended.status_code == 204
    return access_token


@pytest.mark.parametrize("ep", TOKEN_ROUTES, ids=endpoint_id)
def test_every_token_route_refuses_the_token_of_an_ended_session(client, ended_session_token, ep):
    """The token is validly signed and not expired; its session has ended. Every input is
    present and valid, so only the session can be the reason."""
    response = valid_call(ep, optional=True).send(client, **bearer(ended_session_token))

    problem = assert_problem(response, 401, "unauthorized")
    assert "session" in problem["detail"]


@pytest.fixture(scope="module")
def deactivated(server, db_url) -> dict:
    """A user whose account a DBA deactivated after logging in: {"phone", "login"}."""
    phone = new_phone()
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        _, body = login(http, phone)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE store.users SET is_active = false WHERE id = %s", (body["user"]["id"],)
        )
    return {"phone": phone, "login": body}


@pytest.mark.parametrize("ep", TOKEN_ROUTES, ids=endpoint_id)
def test_every_token_route_refuses_a_deactivated_account(client, deactivated, ep):
    access_token = deactivated["login"]["access_token"]

    response = valid_call(ep, optional=True).send(client, **bearer(access_token))

    assert_problem(response, 403, "account_disabled")


def test_a_deactivated_account_can_neither_log_in_nor_refresh(client, db, deactivated):
    assert_problem(refresh(client, deactivated["login"]["refresh_token"]), 403, "account_disabled")
    phone = deactivated["phone"]
    past_the_code_cooldown(db, phone)
    sent = client.post("/auth/send-otp", json={"phone": phone})
    assert sent.status_code == 200, sent.text

    verified = client.post("/auth/verify-otp", json={"phone": phone, "otp": sent.json()["dev_otp"]})

    assert_problem(verified, 403, "account_disabled")
    sessions = db.execute(
        "SELECT count(*) FROM store.sessions WHERE user_id = %s",
        (deactivated["login"]["user"]["id"],),
    ).fetchone()[0]
    assert sessions == 1  # the refused login started none


def test_refresh_tokens_are_stored_only_as_keyed_hashes(client, db):
    _, body = login(client)
    key = Settings.from_env({"JIOKIDZ_ENV": "test"}).refresh_token_key

    stored = db.execute(
        "SELECT token_hash FROM store.refresh_tokens WHERE user_id = %s", (body["user"]["id"],)
    ).fetchall()

    expected = hmac.new(key, body["refresh_token"].encode(), hashlib.sha256).digest()
    assert stored == [(expected,)]
    secret = body["refresh_token"].partition(".")[2]
    for table in ("refresh_tokens", "sessions"):
        rows = db.execute(
            f"SELECT t::text FROM store.{table} AS t WHERE user_id = %s", (body["user"]["id"],)
        ).fetchall()
        assert rows and not any(secret in row[0] for row in rows), table
