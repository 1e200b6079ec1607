"""The hooks named in api_spec.yaml. `before` hooks run ahead of the procedure call (the per-IP
OTP limit); `after` hooks reshape a procedure's JSON where the answer needs something only
Python has (the SMS backend, the token signer)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.auth import issue_token
from app.ratelimit import limit_otp_per_ip

__all__ = ["deliver_otp", "issue_access_token", "limit_otp_per_ip"]


async def deliver_otp(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """send_otp → SMS backend; the code reaches the client only outside production."""
    state = request.app.state
    code, phone = result.pop("otp"), result.pop("phone")
    await state.sms.send_otp(phone, code)
    if not state.settings.is_production:
        result["dev_otp"] = code
    return result


async def issue_access_token(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """verify_otp → the login answer with a signed access token."""
    settings = request.app.state.settings
    return {
        "access_token": issue_token(settings, result["user"]["id"]),
        "token_type": "bearer",
        "expires_in": settings.access_token_ttl_seconds,
        "is_new_user": result["is_new_user"],
        "user": result["user"],
    }
