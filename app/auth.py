"""Access tokens: PyJWT, HS256 only, with exp, iat and sub required; and the Security
dependency that turns a request's bearer token into its user id (CurrentUser), which also
gives the OpenAPI document its bearer scheme (Swagger's Authorize button)."""

from __future__ import annotations

import time
from typing import Annotated

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPBearer

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


class BearerUser(HTTPBearer):
    """HTTP bearer authentication whose credentials are our access tokens: the dependency's
    value is the token's user id, the only source of a user id."""

    def __init__(self):
        super().__init__(bearerFormat="JWT", scheme_name="bearerAuth", auto_error=False)

    async def __call__(self, request: Request) -> int:  # type: ignore[override]
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Send Authorization: Bearer <access_token>")
        return user_id_from_token(request.app.state.settings, token.strip())


bearer_user = BearerUser()


async def optional_user(request: Request) -> int | None:
    """For public routes that do more with a token: None without an Authorization header; a
    header sent must hold a valid token (else 401). A plain dependency, not a security
    scheme: an operation with a security requirement comes out of generated clients (such as
    openapi-python-client's) as callable only with credentials."""
    if "authorization" not in request.headers:
        return None
    return await bearer_user(request)


CurrentUser = Annotated[int, Security(bearer_user)]
OptionalUser = Annotated[int | None, Depends(optional_user)]


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail)
