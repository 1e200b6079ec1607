"""Access tokens: PyJWT, HS256 only, with exp, iat and sub required (FIELD-NOTES.md)."""

from __future__ import annotations

import time

import jwt
from starlette.requests import Request

from app.errors import ApiProblem
from app.settings import Settings

ALGORITHM = "HS256"
MAX_USER_ID = 2**63 - 1  # users.id is a bigint
# exp, iat and sub required. A decoder of our own merges these options with PyJWT's defaults
# once; options= given to jwt.decode are merged again at every call.
TOKEN_DECODER = jwt.PyJWT(options={"require": ["exp", "iat", "sub"]})


def issue_token(settings: Settings, user_id: int) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + settings.access_token_ttl_seconds}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def user_id_from_token(settings: Settings, token: str) -> int:
    """The user id a valid token names; ApiProblem 401 for anything else."""
    try:
        claims = TOKEN_DECODER.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],  # never trust the token's own alg header ("none", RS256...)
        )
    except jwt.ExpiredSignatureError:
        raise unauthorized("The access token has expired; log in again") from None
    except jwt.InvalidTokenError:
        raise unauthorized("The access token is not valid") from None
    subject = claims["sub"]
    if not (
        isinstance(subject, str)
        and subject.isascii()
        and subject.isdigit()
        and 0 < int(subject) <= MAX_USER_ID
    ):
        raise unauthorized("The access token is not valid")
    return int(subject)


def authorization_header(request: Request) -> str | None:
    """The first Authorization header, as Starlette's request.headers would give it; read off
    the raw headers, which costs a tenth of building request.headers."""
    for name, value in request.scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")
    return None


def authenticate(request: Request) -> int:
    """The user id of the request's bearer token (the only source of a user id)."""
    scheme, _, token = (authorization_header(request) or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthorized("Send Authorization: Bearer <access_token>")
    return user_id_from_token(request.app.state.settings, token.strip())


def authenticate_optional(request: Request) -> int | None:
    """None without an Authorization header; with one, it must be valid (else 401)."""
    if authorization_header(request) is None:
        return None
    return authenticate(request)


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail)
