"""The hooks named in api_spec.yaml. `before` hooks are dependencies of their path operation,
run ahead of the procedure call (the per-IP OTP limit); `after` hooks reshape a procedure's
JSON where the answer needs something only Python has (the token signer, the payment gateway).
The procedures they call are declared in api_spec.yaml too (hook_calls) and generated into
generated/calls.py.

The payment gateway is never called inside a database transaction: register_payment_attempt
commits first and says what gateway order to create, the hook asks the gateway, and
attach_gateway_order records its answer. Refunds and SMS leave the request path altogether:
the procedures write events to the outbox, which the worker (app/worker.py) delivers."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Request

from app.auth import issue_token
from app.ratelimit import limit_otp_per_ip
from generated import calls

__all__ = [
    "create_gateway_order",
    "handle_webhook",
    "hide_otp",
    "issue_tokens",
    "limit_otp_per_ip",
]

log = logging.getLogger("jiokidz.payments")

# Webhook outcomes that leave something for a person to look at (docs/api.md "Webhooks").
NEEDS_ATTENTION = {"amount_mismatch", "second_payment", "unknown_payment", "unknown_refund"}


async def hide_otp(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """send_otp → the answer without the code and phone, which go out by SMS through the outbox
    (the otp_sms consumer); outside production the code is shown as dev_otp."""
    code = result.pop("otp")
    del result["phone"]
    if not request.app.state.settings.is_production:
        result["dev_otp"] = code
    return result


async def issue_tokens(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """verify_otp, refresh_session → the login answer: a signed access token for the session,
    with the refresh token the procedure issued."""
    settings = request.app.state.settings
    return {
        "access_token": issue_token(settings, result["user"]["id"], result["session_id"]),
        "token_type": "bearer",
        "expires_in": settings.access_token_ttl_seconds,
        "refresh_token": result["refresh_token"],
        "refresh_expires_in": result["refresh_expires_in"],
        "is_new_user": result["is_new_user"],
        "user": result["user"],
    }


async def create_gateway_order(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """register_payment_attempt → when the order has no payment yet, a gateway order, stored by
    attach_gateway_order (which answers the checkout body). A GatewayError answers 502 and
    nothing is stored."""
    needed = result.get("gateway_order")
    if needed is None:
        return result
    state = request.app.state
    order = await state.gateway.create_order(
        needed["amount"], needed["currency"], needed["receipt"]
    )
    attached = await calls.attach_gateway_order(
        state.pool,
        p_user_id=needed["user_id"],
        p_order_id=needed["order_id"],
        p_gateway=state.gateway.name,
        p_gateway_order_id=order.id,
        p_key_id=state.settings.razorpay_key_id,
        p_idempotency_key=needed["idempotency_key"],
    )
    return json.loads(attached)


async def handle_webhook(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """payment_webhook → a log line for outcomes a person must see."""
    if result["outcome"] in NEEDS_ATTENTION and result["status"] == "processed":
        log.warning(
            "webhook %s (%s) needs attention: %s",
            result["event_id"],
            result["event"],
            result["outcome"],
        )
    return result
