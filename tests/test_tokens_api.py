"""Access tokens over real HTTP through GET /users/me: a real token works; every missing,
malformed, forged, expired or orphaned token is a 401 problem with WWW-Authenticate: Bearer
(API.md "Conventions", FIELD-NOTES.md "OTP and JWT"). The test server runs with
JIOKIDZ_ENV=test, so it signs with the development secret."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from tests.conftest import API, assert_problem, login

# Signing with the 14-byte development secret makes PyJWT warn; that secret is the point here.
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is")

DEV_SECRET = "dev-jwt-secret"


def token(claims: dict, key: str = DEV_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def claims_for(user_id: int | str, **changes) -> dict:
    """Valid claims for the user (as the server issues them), with changes; None drops one."""
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + 3600, **changes}
    return {name: value for name, value in claims.items() if value is not None}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(claims: dict) -> str:
    """A token that says `alg: none`, with an empty signature."""
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    return f"{header}.{payload}."


def me(client, authorization: str | None):
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.get("/users/me", headers=headers)


def assert_unauthorized(response) -> dict:
    problem = assert_problem(response, 401, "unauthorized")
    assert response.headers.get("www-authenticate", "").startswith("Bearer"), response.headers
    assert problem["title"] == "Unauthorized"
    return problem


@pytest.fixture(scope="module")
def user(server) -> dict:
    """A logged-in user: {"token", "id", "phone"}."""
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        access_token, body = login(http)
    return {"token": access_token, "id": body["user"]["id"], "phone": body["user"]["phone"]}


def test_me_with_a_real_token_answers_the_profile(client, user):
    answer = me(client, f"Bearer {user['token']}")

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert set(body) == {"id", "phone", "name", "email", "created_at"}
    assert body["id"] == user["id"]
    assert body["phone"] == user["phone"]
    assert body["name"] is None and body["email"] is None


def test_me_created_at_is_iso_8601_with_a_utc_offset(client, user):
    created_at = me(client, f"Bearer {user['token']}").json()["created_at"]

    assert created_at[:10].count("-") == 2 and "T" in created_at, created_at
    assert created_at.endswith(("+00:00", "Z")), created_at
    parsed = datetime.fromisoformat(created_at)
    assert parsed.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - parsed) < timedelta(minutes=10)


def test_scheme_name_is_case_insensitive(client, user):
    assert me(client, f"bearer {user['token']}").status_code == 200


def test_token_of_the_right_user_is_accepted_when_built_with_the_server_secret(client, user):
    # The control for the forged tokens below: the same construction, valid claims, works.
    answer = me(client, f"Bearer {token(claims_for(user['id']))}")

    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == user["id"]


def test_no_authorization_header_is_unauthorized(client):
    assert_unauthorized(me(client, None))


@pytest.mark.parametrize(
    "authorization",
    ["Basic {token}", "Token {token}", "{token}", "Bearer", "Bearer,{token}"],
)
def test_wrong_scheme_or_empty_credentials_are_unauthorized(client, user, authorization):
    assert_unauthorized(me(client, authorization.format(token=user["token"])))


@pytest.mark.parametrize(
    "garbage",
    ["not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "x" * 5000, "Bearer {token}"],
)
def test_garbage_token_is_unauthorized(client, user, garbage):
    assert_unauthorized(me(client, "Bearer " + garbage.format(token=user["token"])))


def test_token_with_a_tampered_payload_is_unauthorized(client, user):
    header, _, signature = user["token"].split(".")
    payload = b64url(json.dumps(claims_for(user["id"] + 1)).encode())

    assert_unauthorized(me(client, f"Bearer {header}.{payload}.{signature}"))


def test_token_signed_with_another_key_is_unauthorized(client, user):
    forged = token(claims_for(user["id"]), key="another-secret-of-at-least-32-bytes!")

    assert_unauthorized(me(client, f"Bearer {forged}"))


def test_token_with_alg_none_is_unauthorized(client, user):
    assert_unauthorized(me(client, f"Bearer {unsigned_token(claims_for(user['id']))}"))


def test_token_with_another_hmac_algorithm_is_unauthorized(client, user):
    # Right key, but only HS256 is accepted: the token's own alg header is never trusted.
    other_alg = token(claims_for(user["id"]), algorithm="HS512")

    assert_unauthorized(me(client, f"Bearer {other_alg}"))


def test_expired_token_is_unauthorized(client, user):
    now = int(time.time())
    expired = token(claims_for(user["id"], iat=now - 7200, exp=now - 60))

    problem = assert_unauthorized(me(client, f"Bearer {expired}"))
    assert "expired" in problem["detail"].lower()


@pytest.mark.parametrize("claim", ["exp", "iat", "sub"])
def test_token_missing_a_required_claim_is_unauthorized(client, user, claim):
    incomplete = token(claims_for(user["id"], **{claim: None}))

    assert_unauthorized(me(client, f"Bearer {incomplete}"))


@pytest.mark.parametrize(
    "subject",
    ["abc", "", "-1", "1.0", " 1", "٣", "1e3", 7],
    ids=["letters", "empty", "negative", "decimal", "space", "arabic-digit", "exponent", "int"],
)
def test_token_with_a_non_numeric_subject_is_unauthorized(client, subject):
    now = int(time.time())
    odd = token({"sub": subject, "iat": now, "exp": now + 3600})

    assert_unauthorized(me(client, f"Bearer {odd}"))


def test_token_for_a_user_that_does_not_exist_is_unauthorized(client, db):
    missing_id = db.execute("SELECT coalesce(max(id), 0) + 1000000 FROM store.users").fetchone()[0]

    assert_unauthorized(me(client, f"Bearer {token(claims_for(missing_id))}"))


def test_token_with_a_subject_beyond_any_user_id_is_unauthorized(client):
    # Validly signed, but the id does not fit a bigint: still just a token naming no user.
    huge = token(claims_for("9" * 30))

    assert_unauthorized(me(client, f"Bearer {huge}"))


def test_token_of_a_deleted_user_is_unauthorized(client, db):
    access_token, body = login(client)
    assert me(client, f"Bearer {access_token}").status_code == 200

    db.execute("UPDATE store.users SET deleted_at = now() WHERE id = %s", (body["user"]["id"],))

    assert_unauthorized(me(client, f"Bearer {access_token}"))
