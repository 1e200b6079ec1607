"""Settings from the environment: development defaults, production refuses them."""

import pytest

from app.main import create_app
from app.settings import DEFAULT_DATABASE_URL, Settings, SettingsError

PRODUCTION = {
    "JIOKIDZ_ENV": "production",
    "JWT_SECRET": "k" * 40,
    "RAZORPAY_KEY_ID": "rzp_live_abc",
    "RAZORPAY_KEY_SECRET": "s" * 24,
    "RAZORPAY_WEBHOOK_SECRET": "w" * 24,
    "PAYMENT_GATEWAY": "razorpay",
    "SMS_BACKEND": "msg91",
    "MSG91_AUTH_KEY": "419822AbCdEfGhIjKlMnOp65f0c1d2P1",
    "MSG91_TEMPLATE_ID": "65f0c1d2e3f4a5b6c7d8e9f0",
}


def test_a_fresh_checkout_runs_on_development_defaults():
    settings = Settings.from_env({})
    assert settings.env == "development"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.jwt_secret == "dev-jwt-secret"
    assert settings.payment_gateway == "mock" and settings.sms_backend == "console"
    assert settings.otp_ip_limit_per_hour == 50


def test_the_test_environment_turns_the_per_ip_otp_limit_off_unless_set():
    assert Settings.from_env({"JIOKIDZ_ENV": "test"}).otp_ip_limit_per_hour == 0
    assert (
        Settings.from_env(
            {"JIOKIDZ_ENV": "test", "OTP_IP_LIMIT_PER_HOUR": "7"}
        ).otp_ip_limit_per_hour
        == 7
    )


def test_the_process_environment_is_read_when_no_mapping_is_given(monkeypatch):
    monkeypatch.setenv("JIOKIDZ_ENV", "test")
    monkeypatch.setenv("DB_POOL_SIZE", "9")
    monkeypatch.setenv("REDIS_KEY_PREFIX", "")
    monkeypatch.delenv("OTP_IP_LIMIT_PER_HOUR", raising=False)
    settings = Settings.from_env()
    assert settings.env == "test" and settings.otp_ip_limit_per_hour == 0
    assert settings.db_pool_size == 9
    assert settings.redis_key_prefix == "jiokidz"
    assert Settings.from_env({}).db_pool_size == 4


def test_production_starts_with_real_secrets():
    assert Settings.from_env(PRODUCTION).is_production


@pytest.mark.parametrize(
    "name", ["JWT_SECRET", "RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"]
)
def test_production_refuses_each_default_secret(name):
    defaults = Settings.from_env({})
    env = {**PRODUCTION, name: getattr(defaults, name.lower())}
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({k: v for k, v in PRODUCTION.items() if k != name})


def test_production_refuses_a_short_jwt_secret_and_the_mock_gateway():
    with pytest.raises(SettingsError, match="32 bytes"):
        Settings.from_env({**PRODUCTION, "JWT_SECRET": "short-but-not-default"})
    with pytest.raises(SettingsError, match="PAYMENT_GATEWAY"):
        Settings.from_env({**PRODUCTION, "PAYMENT_GATEWAY": "mock"})


def test_production_refuses_the_console_sms_backend():
    """Console reaches no phone: nobody could log in."""
    for env in (
        {**PRODUCTION, "SMS_BACKEND": "console"},
        {k: v for k, v in PRODUCTION.items() if k != "SMS_BACKEND"},  # console by default
    ):
        with pytest.raises(SettingsError, match="production needs SMS_BACKEND=msg91"):
            Settings.from_env(env)


@pytest.mark.parametrize("env", ["production", "development"])
@pytest.mark.parametrize("name", ["MSG91_AUTH_KEY", "MSG91_TEMPLATE_ID"])
def test_msg91_is_refused_without_its_key_or_template_naming_it(env, name):
    settings = {**PRODUCTION, "JIOKIDZ_ENV": env}
    for value in (None, ""):
        given = {k: v for k, v in settings.items() if k != name}
        if value is not None:
            given[name] = value
        with pytest.raises(SettingsError, match=f"SMS_BACKEND=msg91 needs {name}$") as caught:
            Settings.from_env(given)
        assert PRODUCTION["MSG91_AUTH_KEY"] not in str(caught.value)
    with pytest.raises(SettingsError, match="needs MSG91_AUTH_KEY and MSG91_TEMPLATE_ID"):
        Settings.from_env({"SMS_BACKEND": "msg91"})


def test_msg91_settings_are_read():
    settings = Settings.from_env({**PRODUCTION, "MSG91_BASE_URL": "http://127.0.0.1:9/api/v5"})
    assert settings.sms_backend == "msg91"
    assert settings.msg91_auth_key == PRODUCTION["MSG91_AUTH_KEY"]
    assert settings.msg91_template_id == PRODUCTION["MSG91_TEMPLATE_ID"]
    assert settings.msg91_base_url == "http://127.0.0.1:9/api/v5"
    assert Settings.from_env(PRODUCTION).msg91_base_url == "https://control.msg91.com/api/v5"


def test_the_app_refuses_to_start_on_default_secrets_in_production(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JWT_SECRET")
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        create_app()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JIOKIDZ_ENV", "staging"),
        ("PAYMENT_GATEWAY", "paypal"),
        ("SMS_BACKEND", "pigeon"),
        ("DB_POOL_SIZE", "many"),
        ("DB_POOL_SIZE", "0"),
        ("OTP_IP_LIMIT_PER_HOUR", "-1"),
        ("REPLICA_MAX_LAG", "0"),
        ("REPLICA_MAX_LAG", "61"),
        ("CATALOG_MAX_AGE", "61"),  # a CDN would keep an old price longer than a minute
        ("CATALOG_CACHE_SECONDS", "-1"),
        ("WRITE_RATE_PER_MINUTE", "-5"),
        ("WRITE_BURST", "0"),
    ],
)
def test_malformed_settings_are_refused_with_their_name(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_the_otp_key_is_derived_from_the_jwt_secret():
    one = Settings.from_env({"JWT_SECRET": "a" * 40}).otp_key
    assert len(one) == 32
    assert one == Settings.from_env({"JWT_SECRET": "a" * 40}).otp_key
    assert one != Settings.from_env({"JWT_SECRET": "b" * 40}).otp_key
