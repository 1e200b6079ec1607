"""Payment gateways: `mock` (default; offline, Razorpay-shaped ids and the same HMAC signature
scheme, so the whole flow runs without network) and `razorpay` (the real Orders and Refunds
HTTP API, authenticated with the key id and secret).

Signatures are *checked* in SQL against the ids we stored (verify_payment, payment_webhook);
the helpers here compute them, for the mock checkout and for tests."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from typing import Protocol

import httpx

from app.settings import RAZORPAY_API, Settings

_ID_ALPHABET = string.ascii_letters + string.digits


class GatewayError(Exception):
    """The gateway refused or failed; answered 502 payment_gateway_error in a request.
    `retryable`: it may succeed later (unreachable, 5xx, 429, or our keys refused: 401, 403,
    which is ours to mend); otherwise it refused the request itself."""

    def __init__(self, code: str, description: str, retryable: bool = False):
        super().__init__(f"{code}: {description}")
        self.code, self.description, self.retryable = code, description, retryable


@dataclass(frozen=True)
class GatewayOrder:
    id: str
    amount: int
    currency: str
    receipt: str


@dataclass(frozen=True)
class GatewayRefund:
    id: str
    payment_id: str
    amount: int
    status: str  # pending or processed (Razorpay); failures arrive by webhook


class PaymentGateway(Protocol):
    name: str

    async def create_order(self, amount: int, currency: str, receipt: str) -> GatewayOrder: ...

    async def refund(self, payment_id: str, amount: int, idempotency_key: str) -> GatewayRefund: ...

    async def aclose(self) -> None: ...


def payment_signature(key_secret: str, gateway_order_id: str, gateway_payment_id: str) -> str:
    """Razorpay checkout's signature: hex HMAC-SHA256 of "order_id|payment_id"."""
    message = f"{gateway_order_id}|{gateway_payment_id}".encode()
    return hmac.new(key_secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(webhook_secret: str, raw_body: bytes) -> str:
    """X-Razorpay-Signature: hex HMAC-SHA256 of the raw body with the webhook secret."""
    return hmac.new(webhook_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def razorpay_id(prefix: str) -> str:
    """An id shaped like Razorpay's: prefix_ and 14 letters or digits."""
    return f"{prefix}_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(14))


# The mock declines amounts ending in ₹13.13 (…1313 paise), as Razorpay's test mode has cards
# that fail: so the gateway-error path can be exercised over HTTP without a network.
MOCK_DECLINED_ENDING = 1313


class MockGateway:
    """Answers like Razorpay, offline: every order and refund succeeds at once, except amounts
    ending in ₹13.13 (MOCK_DECLINED_ENDING), which it declines. Like Razorpay, a refund asked
    again with the same idempotency key answers the first refund (within this process)."""

    name = "mock"

    def __init__(self):
        self.refunds: dict[str, GatewayRefund] = {}

    async def create_order(self, amount: int, currency: str, receipt: str) -> GatewayOrder:
        self._check(amount)
        return GatewayOrder(razorpay_id("order"), amount, currency, receipt)

    async def refund(self, payment_id: str, amount: int, idempotency_key: str) -> GatewayRefund:
        self._check(amount)
        if idempotency_key not in self.refunds:
            refund = GatewayRefund(razorpay_id("rfnd"), payment_id, amount, "pending")
            self.refunds[idempotency_key] = refund
        return self.refunds[idempotency_key]

    @staticmethod
    def _check(amount: int) -> None:
        if amount % 10_000 == MOCK_DECLINED_ENDING:
            raise GatewayError(
                "BAD_REQUEST_ERROR", "The mock gateway declines amounts ending in 13.13"
            )

    async def aclose(self) -> None:
        return None


class RazorpayGateway:
    """The real Razorpay API (Orders: POST /v1/orders; Refunds: POST /v1/payments/{id}/refund)."""

    name = "razorpay"

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        client: httpx.AsyncClient | None = None,
        base_url: str = RAZORPAY_API,
    ):
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self.client.base_url = base_url
        self.auth = httpx.BasicAuth(key_id, key_secret)

    async def create_order(self, amount: int, currency: str, receipt: str) -> GatewayOrder:
        body = await self._post(
            "/orders", {"amount": amount, "currency": currency, "receipt": receipt}
        )
        return GatewayOrder(body["id"], body["amount"], body["currency"], body["receipt"])

    async def refund(self, payment_id: str, amount: int, idempotency_key: str) -> GatewayRefund:
        body = await self._post(
            f"/payments/{payment_id}/refund",
            {"amount": amount, "speed": "normal"},
            # Razorpay answers a retried key with the first refund instead of a second one.
            headers={"X-Refund-Idempotency": idempotency_key},
        )
        return GatewayRefund(body["id"], body["payment_id"], body["amount"], body["status"])

    async def _post(self, path: str, payload: dict, headers: dict | None = None) -> dict:
        try:
            response = await self.client.post(path, json=payload, auth=self.auth, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayError("GATEWAY_UNREACHABLE", type(exc).__name__, retryable=True) from exc
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = None
        if response.is_error or not isinstance(body, dict):
            error = body.get("error", {}) if isinstance(body, dict) else {}
            raise GatewayError(
                error.get("code", f"HTTP_{response.status_code}"),
                error.get("description", "no description"),
                retryable=response.status_code >= 500 or response.status_code in (401, 403, 429),
            )
        return body

    async def aclose(self) -> None:
        await self.client.aclose()


def make_gateway(settings: Settings) -> PaymentGateway:
    if settings.payment_gateway == "razorpay":
        return RazorpayGateway(
            settings.razorpay_key_id,
            settings.razorpay_key_secret,
            base_url=settings.razorpay_api_url,
        )
    return MockGateway()
