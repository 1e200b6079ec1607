"""The hooks named in api_spec.yaml. `before` hooks are dependencies of their path operation,
run ahead of the procedure call (the per-IP OTP limit); `after` hooks reshape a procedure's
JSON where the answer needs something only Python has (the SMS backend, the token signer, the
payment gateway). The procedures they call are declared in api_spec.yaml too (hook_calls) and
generated into generated/calls.py.

The payment gateway is never called inside a database transaction: a procedure commits first
and says what the gateway must do (a gateway order to create, refunds to send), the hook asks
the gateway, and a second procedure call records its answer."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Request

from app.auth import issue_token
from app.errors import ApiProblem
from app.gateway import GatewayError
from app.ratelimit import limit_otp_per_ip
from app.sms import SmsError, masked
from generated import calls

__all__ = [
    "create_gateway_order",
    "deliver_otp",
    "handle_webhook",
    "issue_tokens",
    "limit_otp_per_ip",
    "send_refunds",
]

log = logging.getLogger("jiokidz.payments")
sms_log = logging.getLogger("jiokidz.sms")

# Webhook outcomes that leave something for a person to look at (docs/api.md "Webhooks").
NEEDS_ATTENTION = {"amount_mismatch", "second_payment", "unknown_payment", "unknown_refund"}


async def deliver_otp(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """send_otp → SMS backend; the code reaches the client only outside production. When the
    SMS provider fails, 502 sms_delivery_failed with Retry-After: the code is stored but no one
    has it, and a new one may be asked for once the phone's cooldown (resend_after) is over."""
    state = request.app.state
    code, phone = result.pop("otp"), result.pop("phone")
    try:
        await state.sms.send_otp(phone, code)
    except SmsError as exc:
        sms_log.warning("OTP for %s not delivered by %s: %s", masked(phone), state.sms.name, exc)
        raise ApiProblem(
            502,
            "sms_delivery_failed",
            "The code could not be sent by SMS; ask for a new one after Retry-After seconds",
            headers={"Retry-After": str(result["resend_after"])},
        ) from exc
    if not state.settings.is_production:
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


async def send_refunds(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """A procedure that made refunds (cancel, verify, refund, staff cancel) → the gateway."""
    await refund_at_gateway(request, result.pop("gateway_refunds", []))
    return result


async def handle_webhook(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """payment_webhook → a log line for outcomes a person must see, and a late capture's
    refund to the gateway."""
    if result["outcome"] in NEEDS_ATTENTION and result["status"] == "processed":
        log.warning(
            "webhook %s (%s) needs attention: %s",
            result["event_id"],
            result["event"],
            result["outcome"],
        )
    return await send_refunds(request, result)


async def refund_at_gateway(request: Request, refunds: list[dict[str, Any]]) -> None:
    """Sends pending refunds (gateway_refunds of a procedure) to the gateway, one at a time,
    and records the gateway's refund id. When the gateway refuses one, it is marked failed and
    its amount given back (fail_gateway_refund), and the GatewayError answers 502. The
    idempotency key is derived from the refund id, so a refund sent twice is made once."""
    state = request.app.state
    for refund in refunds:
        ids = {"p_user_id": refund["user_id"], "p_refund_id": refund["refund_id"]}
        try:
            sent = await state.gateway.refund(
                refund["gateway_payment_id"], refund["amount"], f"jk-refund-{refund['refund_id']}"
            )
        except GatewayError:
            await calls.fail_gateway_refund(state.pool, **ids)
            raise
        await calls.attach_gateway_refund(state.pool, **ids, p_gateway_refund_id=sent.id)
