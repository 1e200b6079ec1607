"""Settings from the environment, with development defaults so a fresh checkout runs as is.

API.md lists the names. `JIOKIDZ_ENV=production` refuses to start on any default secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cached_property

ENVIRONMENTS = ("development", "test", "production")
DEV_SECRETS = {
    "JWT_SECRET": "dev-jwt-secret",
    "RAZORPAY_KEY_ID": "rzp_test_dev",
    "RAZORPAY_KEY_SECRET": "dev_key_secret",
    "RAZORPAY_WEBHOOK_SECRET": "dev_webhook_secret",
}
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/jiokidz"


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe for the environment."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    jwt_secret: str
    razorpay_key_id: str
    razorpay_key_secret: str
    razorpay_webhook_secret: str
    redis_url: str | None
    redis_key_prefix: str
    otp_ip_limit_per_hour: int
    payment_gateway: str
    sms_backend: str
    access_token_ttl_seconds: int
    db_pool_size: int

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env_vars = os.environ if environ is None else environ

        def get(name: str, default: str) -> str:
            return env_vars.get(name) or default

        env = get("JIOKIDZ_ENV", "development")
        settings = cls(
            env=env,
            database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL),
            jwt_secret=get("JWT_SECRET", DEV_SECRETS["JWT_SECRET"]),
            razorpay_key_id=get("RAZORPAY_KEY_ID", DEV_SECRETS["RAZORPAY_KEY_ID"]),
            razorpay_key_secret=get("RAZORPAY_KEY_SECRET", DEV_SECRETS["RAZORPAY_KEY_SECRET"]),
            razorpay_webhook_secret=get(
                "RAZORPAY_WEBHOOK_SECRET", DEV_SECRETS["RAZORPAY_WEBHOOK_SECRET"]
            ),
            redis_url=env_vars.get("REDIS_URL") or None,
            redis_key_prefix=get("REDIS_KEY_PREFIX", "jiokidz"),
            otp_ip_limit_per_hour=_int(
                env_vars, "OTP_IP_LIMIT_PER_HOUR", "0" if env == "test" else "50"
            ),
            payment_gateway=get("PAYMENT_GATEWAY", "mock"),
            sms_backend=get("SMS_BACKEND", "console"),
            access_token_ttl_seconds=_int(env_vars, "ACCESS_TOKEN_TTL_SECONDS", "86400"),
            db_pool_size=_int(env_vars, "DB_POOL_SIZE", "4"),
        )
        settings.check(env_vars)
        return settings

    def check(self, env_vars) -> None:
        _one_of("JIOKIDZ_ENV", self.env, ENVIRONMENTS)
        _one_of("PAYMENT_GATEWAY", self.payment_gateway, ("mock", "razorpay"))
        _one_of("SMS_BACKEND", self.sms_backend, ("console",))
        if self.access_token_ttl_seconds <= 0 or self.db_pool_size <= 0:
            raise SettingsError("ACCESS_TOKEN_TTL_SECONDS and DB_POOL_SIZE must be positive")
        if self.otp_ip_limit_per_hour < 0:
            raise SettingsError("OTP_IP_LIMIT_PER_HOUR must be 0 (off) or more")
        if self.is_production:
            defaults = [
                name
                for name, value in DEV_SECRETS.items()
                if env_vars.get(name) in (None, "", value)
            ]
            if defaults:
                raise SettingsError(
                    "production refuses default secrets; set " + ", ".join(sorted(defaults))
                )
            if len(self.jwt_secret.encode()) < 32:
                raise SettingsError("production needs a JWT_SECRET of at least 32 bytes")
            if self.payment_gateway == "mock":
                raise SettingsError("production needs PAYMENT_GATEWAY=razorpay")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @cached_property
    def otp_key(self) -> bytes:
        """Key of the OTP hash, derived from JWT_SECRET so there is one secret fewer to manage."""
        return hmac.new(self.jwt_secret.encode(), b"jiokidz otp hash key", hashlib.sha256).digest()


def _int(env_vars, name: str, default: str) -> int:
    raw = env_vars.get(name) or default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
