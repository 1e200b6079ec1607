"""Where login codes go. `console` (the default and, for now, the only backend) writes the code
to the log outside production; in production it never prints a code."""

from __future__ import annotations

import logging
from typing import Protocol

from app.settings import Settings

log = logging.getLogger("jiokidz.sms")


class SmsBackend(Protocol):
    async def send_otp(self, phone: str, code: str) -> None: ...


class ConsoleSms:
    def __init__(self, show_codes: bool):
        self.show_codes = show_codes

    async def send_otp(self, phone: str, code: str) -> None:
        masked = phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
        if self.show_codes:
            log.info("OTP for %s is %s (console SMS backend)", masked, code)
        else:
            log.warning("OTP for %s not delivered: console SMS backend in production", masked)


def make_sms_backend(settings: Settings) -> SmsBackend:
    return ConsoleSms(show_codes=not settings.is_production)
