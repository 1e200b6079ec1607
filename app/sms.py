"""Where login codes and order notifications go (SMS_BACKEND), called by the worker's otp_sms
and notifications consumers (app/consumers.py), never in a request:

- `console`, the default: the message is written to the log, for development and tests.
  Production refuses to start with it (app/settings.py).
- `msg91`: MSG91's SendOTP API (v5) for codes and its Flow API (v5) for notifications, the
  Indian provider built around DLT-registered templates.

The call: `POST {MSG91_BASE_URL}/otp?template_id=…&mobile=91XXXXXXXXXX&otp=…` with the account's
key in the `authkey` header (never in the URL). `template_id` is the OTP template made in the
MSG91 panel, which carries the DLT template id and the placeholder `##OTP##`; `mobile` has the
country code and no plus; `otp` is our code, so MSG91 only delivers it (codes are made and
checked in PostgreSQL, never by MSG91's verify API). MSG91 answers `{"type": "success",
"request_id": …}` or `{"type": "error", "message": …}`, the error sometimes with HTTP 200, so
`type` decides. A notification is `POST {MSG91_BASE_URL}/flow` with the Flow template's id
(MSG91_NOTIFICATION_TEMPLATE_ID) and one recipient, `{"mobiles", "order", "update"}`. Where
each of these comes from: tests/fixtures/msg91/README.md.

Logs show the phone masked (+91******3210), never the key, and the code only from the console
backend outside production. The code travels in the URL, as the API has it: httpx logs request
URLs at INFO on its logger `httpx`, which app/logs.py leaves off (only warnings reach stderr)."""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from app.settings import Settings

# A consumer waits on this call: short, so that a provider outage turns into a retry quickly.
MSG91_TIMEOUT = httpx.Timeout(5.0, connect=3.0)

log = logging.getLogger("jiokidz.sms")


class SmsError(Exception):
    """The SMS provider refused the message or could not be reached; the consumer retries it
    (app/consumers.py). The text never holds the auth key."""

    def __init__(self, code: str, description: str):
        super().__init__(f"{code}: {description}")
        self.code, self.description = code, description


class SmsBackend(Protocol):
    name: str

    async def send_otp(self, phone: str, code: str) -> None: ...

    async def send_notification(self, phone: str, order: str, update: str) -> None: ...

    async def aclose(self) -> None: ...


def masked(phone: str) -> str:
    """+919876543210 → +91******3210: enough to match a complaint, not to reach the phone."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class ConsoleSms:
    name = "console"

    def __init__(self, show_codes: bool):
        self.show_codes = show_codes

    async def send_otp(self, phone: str, code: str) -> None:
        if self.show_codes:
            log.info("OTP for %s is %s (console SMS backend)", masked(phone), code)
        else:
            log.warning(
                "OTP for %s not delivered: console SMS backend in production", masked(phone)
            )

    async def send_notification(self, phone: str, order: str, update: str) -> None:
        log.info("SMS to %s: order %s %s (console SMS backend)", masked(phone), order, update)

    async def aclose(self) -> None:
        return None


class Msg91Sms:
    """MSG91's SendOTP API (v5): the code in the DLT-registered OTP template."""

    name = "msg91"

    def __init__(
        self,
        auth_key: str,
        template_id: str,
        base_url: str,  # MSG91_BASE_URL
        client: httpx.AsyncClient | None = None,
        notification_template_id: str | None = None,
    ):
        self.client = client or httpx.AsyncClient(timeout=MSG91_TIMEOUT)
        self.client.base_url = base_url
        self.template_id = template_id
        self.notification_template_id = notification_template_id
        self._auth_key = auth_key

    async def send_otp(self, phone: str, code: str) -> None:
        """Hands `code` to MSG91 for `phone` (+91XXXXXXXXXX); SmsError unless MSG91 took it."""
        params = {"template_id": self.template_id, "mobile": phone.removeprefix("+"), "otp": code}
        # The template's variables besides ##OTP##: ours has none.
        request_id = await self._post("/otp", {}, params)
        log.info("OTP for %s handed to MSG91 (request %s)", masked(phone), request_id)

    async def send_notification(self, phone: str, order: str, update: str) -> None:
        """An order's news through the Flow template; only logged when none is set."""
        if self.notification_template_id is None:
            log.info("SMS to %s not sent: no MSG91_NOTIFICATION_TEMPLATE_ID", masked(phone))
            return
        recipient = {"mobiles": phone.removeprefix("+"), "order": order, "update": update}
        body = {"template_id": self.notification_template_id, "recipients": [recipient]}
        request_id = await self._post("/flow", body)
        log.info("SMS to %s handed to MSG91 (request %s)", masked(phone), request_id)

    async def _post(self, path: str, body: dict, params: dict | None = None) -> str:
        """POSTs to MSG91 and returns its request id; SmsError unless MSG91 took the message."""
        try:
            response = await self.client.post(
                path,
                params=params,
                json=body,
                headers={"authkey": self._auth_key, "accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise SmsError("SMS_UNREACHABLE", type(exc).__name__) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise self._error(f"HTTP_{response.status_code}", "the answer is not a JSON object")
        if response.is_error or answer.get("type") != "success":
            raise self._error(
                str(answer.get("code") or f"HTTP_{response.status_code}"),
                str(answer.get("message") or "no message"),
            )
        return str(answer.get("request_id") or answer.get("message"))

    def _error(self, code: str, description: str) -> SmsError:
        # MSG91's message is logged: it must not carry the key, even if echoed back.
        return SmsError(code, description.replace(self._auth_key, "[MSG91_AUTH_KEY]"))

    async def aclose(self) -> None:
        await self.client.aclose()


def make_sms_backend(settings: Settings) -> SmsBackend:
    if settings.sms_backend == "msg91":
        # Settings refuses msg91 without its key and template (Settings._require_msg91).
        assert settings.msg91_auth_key and settings.msg91_template_id
        return Msg91Sms(
            settings.msg91_auth_key,
            settings.msg91_template_id,
            settings.msg91_base_url,
            notification_template_id=settings.msg91_notification_template_id,
        )
    return ConsoleSms(show_codes=not settings.is_production)
