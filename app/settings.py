"""The store's settings: a pydantic-settings class read from environment variables.

docs/operations.md (section Settings) lists the variables, their development defaults and meanings.
Defaults let a fresh checkout run as is; `JIOKIDZ_ENV=production` refuses to start on any
default secret. Every bad setting raises SettingsError naming its variable.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cached_property
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import Field, NonNegativeInt, PositiveInt, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

Environment = Literal["development", "test", "production"]
ENVIRONMENTS = get_args(Environment)
DEV_SECRETS = {
    "JWT_SECRET": "dev-jwt-secret",
    "RAZORPAY_KEY_ID": "rzp_test_dev",
    "RAZORPAY_KEY_SECRET": "dev_key_secret",
    "RAZORPAY_WEBHOOK_SECRET": "dev_webhook_secret",
}
# The web tier logs in as jiokidz_api, make db as jiokidz_owner (db/roles.sql); passwords, where
# the server asks for them, go in these URLs from the environment.
MAX_ACCESS_TOKEN_TTL_SECONDS = 900
DEFAULT_DATABASE_URL = "postgresql://jiokidz_api@127.0.0.1:5432/jiokidz"
DEFAULT_OWNER_DATABASE_URL = "postgresql://jiokidz_owner@127.0.0.1:5432/jiokidz"
RAZORPAY_API = "https://api.razorpay.com/v1"
DEFAULT_WORKER_DATABASE_URL = "postgresql://jiokidz_worker@127.0.0.1:5432/jiokidz"
# A superuser on the development server: make db creates the roles and the database through it.
DEV_ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# The mapping Settings.from_env(environ) reads instead of os.environ, for the length of that call.
_given_environ: ContextVar[Mapping[str, str] | None] = ContextVar("given_environ", default=None)


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe for the environment."""


class MappingSettingsSource(PydanticBaseSettingsSource):
    """Environment variables from one mapping rather than os.environ, read like the env source:
    each field by its variable name (validation_alias), exact case, an empty value as unset."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]):
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        name = field.validation_alias
        return self.environ.get(name) or None, name, False

    def __call__(self) -> dict[str, Any]:
        values = {}
        for field_name, field in self.settings_cls.model_fields.items():
            value, name, _ = self.get_field_value(field, field_name)
            if value is not None:
                values[name] = value
        return values


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True,
        case_sensitive=True,  # JWT_SECRET, not jwt_secret: the names as os.environ has them
        env_ignore_empty=True,  # JWT_SECRET= counts as unset: its default applies
        populate_by_name=True,  # Settings(jwt_secret=...) as well as Settings(JWT_SECRET=...)
    )

    env: Environment = Field("development", validation_alias="JIOKIDZ_ENV")
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    owner_database_url: str = Field(
        DEFAULT_OWNER_DATABASE_URL, validation_alias="OWNER_DATABASE_URL"
    )
    # Only make db reads it; unset in production unless the roles are to be made.
    admin_database_url: str | None = Field(
        default_factory=lambda data: (
            None if data.get("env") == "production" else DEV_ADMIN_DATABASE_URL
        ),
        validation_alias="ADMIN_DATABASE_URL",
    )
    jwt_secret: str = Field(DEV_SECRETS["JWT_SECRET"], validation_alias="JWT_SECRET")
    razorpay_key_id: str = Field(DEV_SECRETS["RAZORPAY_KEY_ID"], validation_alias="RAZORPAY_KEY_ID")
    razorpay_key_secret: str = Field(
        DEV_SECRETS["RAZORPAY_KEY_SECRET"], validation_alias="RAZORPAY_KEY_SECRET"
    )
    razorpay_webhook_secret: str = Field(
        DEV_SECRETS["RAZORPAY_WEBHOOK_SECRET"], validation_alias="RAZORPAY_WEBHOOK_SECRET"
    )
    # A hot standby of DATABASE_URL's server, logged in as the web tier too: the routes that
    # api_spec.yaml marks `replica: true` read from it while it lags at most REPLICA_MAX_LAG
    # seconds behind (docs/operations.md, "Read replica").
    replica_database_url: str | None = Field(None, validation_alias="REPLICA_DATABASE_URL")
    replica_max_lag: float = Field(1.0, gt=0, le=60, validation_alias="REPLICA_MAX_LAG")
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    redis_key_prefix: str = Field("jiokidz", validation_alias="REDIS_KEY_PREFIX")
    # Anonymous catalog answers kept in Redis (needs REDIS_URL); the database invalidates them
    # at once, so this is only a backstop. 0 turns the cache off.
    catalog_cache_seconds: NonNegativeInt = Field(300, validation_alias="CATALOG_CACHE_SECONDS")
    # Cache-Control max-age of public catalog answers, for browsers and CDNs.
    catalog_max_age: int = Field(10, ge=0, le=60, validation_alias="CATALOG_MAX_AGE")
    # Traces (app/telemetry.py), under OpenTelemetry's standard names: off unless a collector's
    # endpoint (OTLP over HTTP) or an exporter (otlp, console: a JSON line a span on stdout) is
    # set; the sampler argument is the share of requests traced (docs/operations.md, "Traces
    # and metrics").
    otel_exporter_otlp_endpoint: str | None = Field(
        None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    otel_traces_exporter: Literal["otlp", "console", "none"] | None = Field(
        None, validation_alias="OTEL_TRACES_EXPORTER"
    )
    otel_traces_sampler_arg: float = Field(
        1.0, ge=0, le=1, validation_alias="OTEL_TRACES_SAMPLER_ARG"
    )
    # /metrics (app/metrics.py) asks for it as a bearer token when set; production without it
    # answers /metrics with 404.
    metrics_token: str | None = Field(None, validation_alias="METRICS_TOKEN")
    # Writes (cart, coupons, orders, payments, refunds) per user: a sustained rate per minute
    # with a burst, GCRA in Redis (app/ratelimit.py). 0 turns the limit off, as the test
    # environment has it unless set.
    write_rate_per_minute: NonNegativeInt = Field(
        default_factory=lambda data: 0 if data.get("env") == "test" else 120,
        validation_alias="WRITE_RATE_PER_MINUTE",
    )
    write_burst: PositiveInt = Field(20, validation_alias="WRITE_BURST")
    # 0 turns the per-IP limit off; the test environment has it off unless set.
    otp_ip_limit_per_hour: NonNegativeInt = Field(
        default_factory=lambda data: 0 if data.get("env") == "test" else 50,
        validation_alias="OTP_IP_LIMIT_PER_HOUR",
    )
    payment_gateway: Literal["mock", "razorpay"] = Field("mock", validation_alias="PAYMENT_GATEWAY")
    # Razorpay's API root; tests point it at a local stand-in that keeps refunds' idempotency.
    razorpay_api_url: str = Field(RAZORPAY_API, validation_alias="RAZORPAY_API_URL")
    # console: codes in the log (development); msg91: MSG91's SendOTP API (app/sms.py).
    sms_backend: Literal["console", "msg91"] = Field("console", validation_alias="SMS_BACKEND")
    # SMS_BACKEND=msg91 needs both: the account's auth key (a secret) and the id of the OTP
    # template made in the MSG91 panel for the DLT-approved template (docs/operations.md "SMS").
    msg91_auth_key: str | None = Field(None, validation_alias="MSG91_AUTH_KEY")
    msg91_template_id: str | None = Field(None, validation_alias="MSG91_TEMPLATE_ID")
    # MSG91's Flow API template for order notifications (variables `order` and `update`);
    # without it, notifications are only logged.
    msg91_notification_template_id: str | None = Field(
        None, validation_alias="MSG91_NOTIFICATION_TEMPLATE_ID"
    )
    msg91_base_url: str = Field(
        "https://control.msg91.com/api/v5", validation_alias="MSG91_BASE_URL"
    )
    # Short, because a stolen access token works until it expires unless its session ends;
    # clients refresh (POST /auth/refresh) rather than log in again.
    access_token_ttl_seconds: int = Field(
        900, gt=0, le=MAX_ACCESS_TOKEN_TTL_SECONDS, validation_alias="ACCESS_TOKEN_TTL_SECONDS"
    )
    db_pool_size: PositiveInt = Field(4, validation_alias="DB_POOL_SIZE")
    # The worker (app/worker.py: the outbox relay and the consumers) logs in as jiokidz_worker.
    worker_database_url: str = Field(
        DEFAULT_WORKER_DATABASE_URL, validation_alias="WORKER_DATABASE_URL"
    )
    # RabbitMQ; BROKER_PREFIX names the exchange (<prefix>.events) and the queues
    # (<prefix>.<consumer>, .retry.<ms>, .dead), so that stores or test runs can share a broker.
    broker_url: str = Field("amqp://guest:guest@127.0.0.1:5672/", validation_alias="BROKER_URL")
    broker_prefix: str = Field(
        "jiokidz", pattern=r"^[a-z][a-z0-9_.-]{0,60}$", validation_alias="BROKER_PREFIX"
    )
    # A message whose handling fails is retried after BASE, 4×BASE, 16×BASE... seconds, and
    # dead-lettered after CONSUMER_ATTEMPTS failures (docs/operations.md "Events").
    consumer_attempts: int = Field(5, ge=1, le=20, validation_alias="CONSUMER_ATTEMPTS")
    consumer_retry_base_seconds: float = Field(
        2.0, gt=0, le=600, validation_alias="CONSUMER_RETRY_BASE_SECONDS"
    )
    # The worker runs api.sweep() this often; 0 leaves it to cron (docs/operations.md).
    sweep_interval_seconds: NonNegativeInt = Field(60, validation_alias="SWEEP_INTERVAL_SECONDS")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # No .env file and no secrets directory: the process environment, or the given mapping.
        environ = _given_environ.get()
        if environ is None:
            return init_settings, env_settings
        return init_settings, MappingSettingsSource(settings_cls, environ)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings from os.environ, or from `environ` alone when it is given."""
        token = _given_environ.set(environ)
        try:
            return cls()
        except ValidationError as error:
            raise SettingsError(_describe(error)) from None
        finally:
            _given_environ.reset(token)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if not self.is_production:
            return self
        defaults = [
            name
            for name, value in DEV_SECRETS.items()
            if getattr(self, name.lower()) in ("", value)
        ]
        if defaults:
            raise SettingsError(
                "production refuses default secrets; set " + ", ".join(sorted(defaults))
            )
        if len(self.jwt_secret.encode()) < 32:
            raise SettingsError("production needs a JWT_SECRET of at least 32 bytes")
        if self.payment_gateway == "mock":
            raise SettingsError("production needs PAYMENT_GATEWAY=razorpay")
        if self.sms_backend == "console":
            raise SettingsError("production needs SMS_BACKEND=msg91: console reaches no phone")
        return self

    @model_validator(mode="after")
    def _require_msg91(self) -> Settings:
        """MSG91 without its key or template could send nothing, in any environment."""
        if self.sms_backend != "msg91":
            return self
        missing = [
            name
            for name in ("MSG91_AUTH_KEY", "MSG91_TEMPLATE_ID")
            if not getattr(self, name.lower())
        ]
        if missing:
            raise SettingsError("SMS_BACKEND=msg91 needs " + " and ".join(missing))
        return self

    @model_validator(mode="after")
    def _check_telemetry(self) -> Settings:
        """A collector's endpoint is an HTTP URL; a metrics token in production is not a
        guessable word."""
        endpoint = urlsplit(self.otel_exporter_otlp_endpoint or "http://-")
        if endpoint.scheme not in ("http", "https") or not endpoint.hostname:
            raise SettingsError("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL")
        if self.is_production and self.metrics_token is not None and len(self.metrics_token) < 16:
            raise SettingsError("production needs a METRICS_TOKEN of at least 16 characters")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @cached_property
    def otp_key(self) -> bytes:
        """Key of the OTP hash, derived from JWT_SECRET so there is one secret fewer to manage."""
        return hmac.new(self.jwt_secret.encode(), b"jiokidz otp hash key", hashlib.sha256).digest()

    @cached_property
    def refresh_token_key(self) -> bytes:
        """Key of the refresh-token hash, derived from JWT_SECRET as otp_key is."""
        return hmac.new(
            self.jwt_secret.encode(), b"jiokidz refresh token key", hashlib.sha256
        ).digest()


def _describe(error: ValidationError) -> str:
    """One line per bad setting, each naming its environment variable; secrets are not shown."""
    lines = []
    for detail in error.errors():
        if detail["type"] == "default_factory_not_called":
            continue  # OTP_IP_LIMIT_PER_HOUR's default waits on a bad JIOKIDZ_ENV, named already
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, SettingsError):
            lines.append(str(cause))
            continue
        name = ".".join(str(part) for part in detail["loc"])
        line = f"{name}: {detail['msg']}"
        if name not in DEV_SECRETS:
            line += f" (got {detail['input']!r})"
        lines.append(line)
    return "; ".join(lines)
