"""Payment gateways: the Razorpay client against recorded Razorpay responses (no network),
the mock's Razorpay-shaped answers, and the signature helpers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
from pathlib import Path

import httpx
import pytest

from app.gateway import (
    GatewayError,
    MockGateway,
    RazorpayGateway,
    payment_signature,
    webhook_signature,
)

RECORDED = Path(__file__).parent / "fixtures" / "razorpay"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


def gateway_answering(status: int, body: dict, seen: list[httpx.Request]) -> RazorpayGateway:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return RazorpayGateway("rzp_test_key", "secret_of_key", client)


def test_create_order_posts_amount_currency_receipt_with_basic_auth():
    seen: list[httpx.Request] = []
    gateway = gateway_answering(200, recorded("order_created.json"), seen)
    order = asyncio.run(gateway.create_order(129900, "INR", "jk-order-42"))

    assert order.id == "order_DaZlswtdcn9UNV" and order.amount == 129900
    request = seen[0]
    assert request.method == "POST" and str(request.url) == "https://api.razorpay.com/v1/orders"
    assert json.loads(request.content) == {
        "amount": 129900,
        "currency": "INR",
        "receipt": "jk-order-42",
    }
    expected = base64.b64encode(b"rzp_test_key:secret_of_key").decode()
    assert request.headers["authorization"] == f"Basic {expected}"


def test_refund_posts_to_the_payment_with_an_idempotency_header():
    seen: list[httpx.Request] = []
    gateway = gateway_answering(200, recorded("refund_created.json"), seen)
    refund = asyncio.run(gateway.refund("pay_FgR9UMzgmKDJRi", 10000, "jk-refund-7-abcdef"))

    assert (refund.id, refund.amount, refund.status) == ("rfnd_FgRAHdNOM4ZVbO", 10000, "pending")
    request = seen[0]
    assert request.url.path == "/v1/payments/pay_FgR9UMzgmKDJRi/refund"
    assert request.headers["x-refund-idempotency"] == "jk-refund-7-abcdef"
    assert json.loads(request.content) == {"amount": 10000, "speed": "normal"}


def test_a_razorpay_error_becomes_a_gateway_error_with_its_code():
    gateway = gateway_answering(400, recorded("error_bad_request.json"), [])
    with pytest.raises(GatewayError) as caught:
        asyncio.run(gateway.create_order(50, "INR", "jk-order-1"))
    assert caught.value.code == "BAD_REQUEST_ERROR"
    assert "at least INR 1.00" in caught.value.description


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (404, False), (401, True), (403, True), (429, True), (500, True), (503, True)],
)
def test_only_a_refusal_of_the_request_itself_is_final(status, retryable):
    """The refunds consumer marks a refund failed only on a final answer; an outage, a rate
    limit or our own keys refused are retried (app/consumers.py)."""
    gateway = gateway_answering(status, recorded("error_bad_request.json"), [])
    with pytest.raises(GatewayError) as caught:
        asyncio.run(gateway.refund("pay_FgR9UMzgmKDJRi", 100, "jk-refund-1"))
    assert caught.value.retryable is retryable


def test_a_refund_asked_again_with_its_key_is_the_first_one_at_the_mock():
    mock = MockGateway()
    first = asyncio.run(mock.refund("pay_ABCDEFGHIJKLMN", 100, "jk-refund-1"))
    assert asyncio.run(mock.refund("pay_ABCDEFGHIJKLMN", 100, "jk-refund-1")) == first
    assert asyncio.run(mock.refund("pay_ABCDEFGHIJKLMN", 100, "jk-refund-2")).id != first.id


def test_an_unreachable_gateway_is_a_gateway_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    with pytest.raises(GatewayError, match="GATEWAY_UNREACHABLE") as caught:
        asyncio.run(RazorpayGateway("k", "s", client).create_order(100, "INR", "r"))
    assert caught.value.retryable


def test_the_mock_issues_razorpay_shaped_ids():
    mock = MockGateway()
    order = asyncio.run(mock.create_order(4999, "INR", "jk-order-9"))
    refund = asyncio.run(mock.refund("pay_ABCDEFGHIJKLMN", 100, "k" * 12))
    assert re.fullmatch(r"order_[A-Za-z0-9]{14}", order.id)
    assert re.fullmatch(r"rfnd_[A-Za-z0-9]{14}", refund.id)
    assert (order.amount, order.currency, order.receipt) == (4999, "INR", "jk-order-9")
    assert asyncio.run(mock.create_order(4999, "INR", "x")).id != order.id


def test_signatures_are_razorpay_hex_hmac_sha256():
    expected = hmac.new(b"key_secret", b"order_A|pay_B", hashlib.sha256).hexdigest()
    assert payment_signature("key_secret", "order_A", "pay_B") == expected
    body = b'{"event":"payment.captured"}'
    assert webhook_signature("whsec", body) == hmac.new(b"whsec", body, hashlib.sha256).hexdigest()
    assert payment_signature("key_secret", "order_A", "pay_C") != expected


def test_the_mock_declines_amounts_ending_in_13_13():
    """So the 502 path can be exercised offline (docs/api.md "The mock gateway")."""
    mock = MockGateway()
    for call in (
        mock.create_order(131313, "INR", "jk-order-1"),
        mock.refund("pay_X", 1313, "k" * 12),
    ):
        with pytest.raises(GatewayError, match="BAD_REQUEST_ERROR"):
            asyncio.run(call)
    assert asyncio.run(mock.refund("pay_X", 1312, "k" * 12)).amount == 1312
    assert asyncio.run(mock.create_order(141314, "INR", "jk-order-2")).amount == 141314
