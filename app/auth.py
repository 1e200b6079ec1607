"""Access tokens: PyJWT, HS256 only, with exp, iat, sub (the user) and sid (the session)
required; and the Security dependency that turns a request's bearer token into its Caller
(CurrentUser), which also gives the OpenAPI document its bearer scheme (Swagger's Authorize
button). A valid signature is not the end of it: every procedure call of a route with a token
passes the caller through the spec's authenticate function, which refuses a session that has
ended or an account deactivated (db/procedures/auth/authenticate.sql)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPBearer

from app.errors import ApiProblem
from app.settings import Settings

ALGORITHM = "HS256"
MAX_ID = 2**63 - 1  # users.id and sessions.id are bigint
# exp, iat, sub and sid required. A decoder of our own merges these options with PyJWT's
# defaults once; options= given to jwt.decode are merged again at every call.
TOKEN_DECODER = jwt.PyJWT(options={"require": ["exp", "iat", "sub", "sid"]})


@dataclass(frozen=True)
class Caller:
    """Who a token speaks for: a user and one of their sessions (both None: no token)."""

    user_id: int | None
    session_id: int | None


ANONYMOUS = Caller(None, None)


def issue_token(settings: Settings, user_id: int, session_id: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "iat": now,
        "exp": now + settings.access_token_ttl_seconds,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def caller_from_token(settings: Settings, token: str) -> Caller:
    """The user and session a valid token names; ApiProblem 401 for anything else."""
    try:
        claims = TOKEN_DECODER.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],  # never trust the token's own alg header ("none", RS256...)
        )
    except jwt.ExpiredSignatureError:
        raise unauthorized("The access token has expired; refresh it or log in again") from None
    except jwt.InvalidTokenError:
        raise unauthorized("The access token is not valid") from None
    subject, session = claims["sub"], claims["sid"]
    if not (
        isinstance(subject, str)
        and subject.isascii()
        and subject.isdigit()
        and 0 < int(subject) <= MAX_ID
        and type(session) is int  # not a bool, a float or a string
        and 0 < session <= MAX_ID
    ):
        raise unauthorized("The access token is not valid")
    return Caller(int(subject), session)


class BearerUser(HTTPBearer):
    """HTTP bearer authentication whose credentials are our access tokens: the dependency's
    value is the token's Caller, the only source of a user id."""

    def __init__(self):
        super().__init__(bearerFormat="JWT", scheme_name="bearerAuth", auto_error=False)

    async def __call__(self, request: Request) -> Caller:  # type: ignore[override]
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Send Authorization: Bearer <access_token>")
        return caller_from_token(request.app.state.settings, token.strip())


bearer_user = BearerUser()


async def optional_user(request: Request) -> Caller:
    """For public routes that do more with a token: ANONYMOUS without an Authorization
    header; a header sent must hold a valid token (else 401). A plain dependency, not a
    security scheme: an operation with a security requirement comes out of generated clients
    (such as openapi-python-client's) as callable only with credentials."""
    if "authorization" not in request.headers:
        return ANONYMOUS
    return await bearer_user(request)


CurrentUser = Annotated[Caller, Security(bearer_user)]
OptionalUser = Annotated[Caller, Depends(optional_user)]


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail)


def user_of_token(request: Request) -> int | None:
    """On a public route that ignores tokens, the user a valid bearer token names, else None:
    only to send a reader who has just written to where their write is visible (app.cache).
    Nothing is refused here; the session is not checked, since reading from the primary is
    always allowed."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return caller_from_token(request.app.state.settings, token.strip()).user_id
    except ApiProblem:
        return None
