"""Access tokens over real HTTP through GET /users/me: a real token works; every missing,
malformed, forged, expired or orphaned token is a 401 problem with WWW-Authenticate: Bearer
(docs/api.md "Auth and sessions"). Then the same on every token route of api_spec.yaml, and staff
routes refusing a customer (403). The test server runs with JIOKIDZ_ENV=test, so it signs with
the development secret."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import psycopg
import pytest

from tests.conftest import API, assert_problem, login
from tests.helpers_cart import make_category, make_product
from tests.helpers_orders import buyer, pay, place_order
from tests.helpers_spec import ENDPOINTS, endpoint_id, valid_call

# Signing with the 14-byte development secret makes PyJWT warn; that secret is the point here.
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is")

DEV_SECRET = "dev-jwt-secret"


def token(claims: dict, key: str = DEV_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def claims_for(user_id: int | str, session_id: int, **changes) -> dict:
    """Valid claims for the user's session (as the server issues them), with changes; None
    drops one."""
    now = int(time.time())
    claims = {"sub": str(user_id), "sid": session_id, "iat": now, "exp": now + 600, **changes}
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
    """A logged-in user: {"token", "id", "phone", "session"}."""
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        access_token, body = login(http)
    session = jwt.decode(access_token, options={"verify_signature": False})["sid"]
    return {
        "token": access_token,
        "id": body["user"]["id"],
        "phone": body["user"]["phone"],
        "session": session,
    }


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
    answer = me(client, f"Bearer {token(claims_for(user['id'], user['session']))}")

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
    payload = b64url(json.dumps(claims_for(user["id"] + 1, user["session"])).encode())

    assert_unauthorized(me(client, f"Bearer {header}.{payload}.{signature}"))


def test_token_signed_with_another_key_is_unauthorized(client, user):
    forged = token(
        claims_for(user["id"], user["session"]), key="another-secret-of-at-least-32-bytes!"
    )

    assert_unauthorized(me(client, f"Bearer {forged}"))


def test_token_with_alg_none_is_unauthorized(client, user):
    claims = claims_for(user["id"], user["session"])
    assert_unauthorized(me(client, f"Bearer {unsigned_token(claims)}"))


def test_token_with_another_hmac_algorithm_is_unauthorized(client, user):
    # Right key, but only HS256 is accepted: the token's own alg header is never trusted.
    other_alg = token(claims_for(user["id"], user["session"]), algorithm="HS512")

    assert_unauthorized(me(client, f"Bearer {other_alg}"))


def test_expired_token_is_unauthorized(client, user):
    now = int(time.time())
    expired = token(claims_for(user["id"], user["session"], iat=now - 7200, exp=now - 60))

    problem = assert_unauthorized(me(client, f"Bearer {expired}"))
    assert "expired" in problem["detail"].lower()


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "sid"])
def test_token_missing_a_required_claim_is_unauthorized(client, user, claim):
    incomplete = token(claims_for(user["id"], user["session"], **{claim: None}))

    assert_unauthorized(me(client, f"Bearer {incomplete}"))


@pytest.mark.parametrize(
    "subject",
    ["abc", "", "-1", "1.0", " 1", "٣", "1e3", 7],
    ids=["letters", "empty", "negative", "decimal", "space", "arabic-digit", "exponent", "int"],
)
def test_token_with_a_non_numeric_subject_is_unauthorized(client, user, subject):
    odd = token(claims_for(user["id"], user["session"], sub=subject))

    assert_unauthorized(me(client, f"Bearer {odd}"))


@pytest.mark.parametrize(
    "session",
    ["7", 0, -1, 1.0, True, 2**63, None],
    ids=["string", "zero", "negative", "float", "bool", "beyond-bigint", "null"],
)
def test_token_with_a_malformed_session_id_is_unauthorized(client, user, session):
    claims = claims_for(user["id"], user["session"])
    claims["sid"] = session  # claims_for would drop a None

    assert_unauthorized(me(client, f"Bearer {token(claims)}"))


def test_token_naming_another_users_session_is_unauthorized(client, user):
    # Signed with the right key, but the session is not this user's (nor anyone's, likely).
    _, other = login(client)
    other_session = jwt.decode(other["access_token"], options={"verify_signature": False})["sid"]
    forged = token(claims_for(user["id"], other_session))

    problem = assert_unauthorized(me(client, f"Bearer {forged}"))
    assert "session" in problem["detail"]


def test_token_for_a_user_that_does_not_exist_is_unauthorized(client, db):
    missing_id = db.execute("SELECT coalesce(max(id), 0) + 1000000 FROM store.users").fetchone()[0]

    assert_unauthorized(me(client, f"Bearer {token(claims_for(missing_id, 1))}"))


def test_token_with_a_subject_beyond_any_user_id_is_unauthorized(client):
    # Validly signed, but the id does not fit a bigint: still just a token naming no user.
    huge = token(claims_for("9" * 30, 1))

    assert_unauthorized(me(client, f"Bearer {huge}"))


def test_token_of_a_deleted_user_is_unauthorized(client, db):
    access_token, body = login(client)
    assert me(client, f"Bearer {access_token}").status_code == 200

    db.execute("UPDATE store.users SET deleted_at = now() WHERE id = %s", (body["user"]["id"],))

    assert_unauthorized(me(client, f"Bearer {access_token}"))


# --- every route of the spec ---------------------------------------------------------------

TOKEN_ROUTES = [ep for ep in ENDPOINTS if ep["auth"] != "none"]


def bad_tokens(user_id: int, session_id: int) -> dict[str, str]:
    """A token for the user's live session in every shape the API must refuse."""
    now = int(time.time())
    good = token(claims_for(user_id, session_id))
    header, payload, _ = good.split(".")
    tampered = b64url(json.dumps(claims_for(user_id + 1, session_id)).encode())
    return {
        "expired": token(claims_for(user_id, session_id, iat=now - 7200, exp=now - 60)),
        "unsigned": f"{header}.{payload}.",
        "alg none": unsigned_token(claims_for(user_id, session_id)),
        "another key": token(
            claims_for(user_id, session_id), key="another-secret-of-at-least-32-bytes!"
        ),
        "another algorithm": token(claims_for(user_id, session_id), algorithm="HS512"),
        "tampered": f"{header}.{tampered}.{_}",
        "no exp": token(claims_for(user_id, session_id, exp=None)),
        "no session": token(claims_for(user_id, session_id, sid=None)),
    }


@pytest.mark.parametrize("ep", TOKEN_ROUTES, ids=endpoint_id)
def test_every_token_route_refuses_a_missing_or_bad_token(client, user, ep):
    """401 before anything else is looked at: the request is otherwise valid."""
    call = valid_call(ep)
    if ep["auth"] == "user":
        assert_unauthorized(call.send(client))
    else:  # optional: no token is fine, a bad one is not
        assert call.send(client).status_code == 200
    for shape, bad in bad_tokens(user["id"], user["session"]).items():
        response = call.send(client, Authorization=f"Bearer {bad}")
        assert response.status_code == 401, (shape, response.text)
        assert_unauthorized(response)


@pytest.fixture(scope="module")
def deleted_user_token(server, db_url) -> str:
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        access_token, body = login(http)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE store.users SET deleted_at = now() WHERE id = %s", (body["user"]["id"],)
        )
    return access_token


@pytest.mark.parametrize("ep", TOKEN_ROUTES, ids=endpoint_id)
def test_every_token_route_refuses_the_token_of_a_deleted_user(client, deleted_user_token, ep):
    """The token itself is valid; its account is gone: the procedure refuses it
    (internal.require_user) before looking at its input, with all inputs present and valid."""
    response = valid_call(ep, optional=True).send(
        client, Authorization=f"Bearer {deleted_user_token}"
    )
    assert_unauthorized(response)


def order_state(db, order_id: int) -> tuple:
    return db.execute(
        "SELECT o.status, (SELECT count(*) FROM store.order_status_history AS h"
        " WHERE h.order_id = o.id) FROM store.orders AS o WHERE o.id = %s",
        (order_id,),
    ).fetchone()


@pytest.mark.parametrize("ep", [ep for ep in ENDPOINTS if ep["tag"] == "admin"], ids=endpoint_id)
def test_staff_routes_refuse_a_customer_token(client, db, user, ep):
    """A confirmed order (staff could pack it) and a valid request: a customer gets 403."""
    owner = buyer(client)
    product = make_product(db, make_category(db), price=50000, stock=2)
    order = place_order(client, owner, [(product, 1)])["id"]
    pay(client, owner, order)  # confirmed: staff could pack it
    before = order_state(db, order)

    response = valid_call(ep, {"order_id": order}).send(
        client, Authorization=f"Bearer {user['token']}"
    )

    assert_problem(response, 403, "forbidden")
    assert order_state(db, order) == before
