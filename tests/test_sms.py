"""SMS backends: the MSG91 client against MSG91's documented answers (tests/fixtures/msg91/,
where each shape comes from), its errors, timeout and secrecy; then the worker with
SMS_BACKEND=msg91 delivering the codes a real server issued over real HTTP to a fake MSG91 on
this machine."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from app.settings import Settings
from app.sms import ConsoleSms, Msg91Sms, SmsError, make_sms_backend
from tests.conftest import new_phone
from tests.fake_http import FakeHttpServer

RECORDED = Path(__file__).parent / "fixtures" / "msg91"
MSG91_API = "https://control.msg91.com/api/v5"
AUTH_KEY = "419822AbCdEfGhIjKlMnOp65f0c1d2P1"  # shaped like an MSG91 auth key; not a real one
TEMPLATE_ID = "65f0c1d2e3f4a5b6c7d8e9f0"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


def msg91_answering(
    status: int, body: dict | bytes, seen: list[httpx.Request] | None = None
) -> Msg91Sms:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers={"content-type": "text/html"})
        return httpx.Response(status, json=body)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return Msg91Sms(AUTH_KEY, TEMPLATE_ID, MSG91_API, client)


# --- the client -----------------------------------------------------------------------------


def test_send_otp_posts_template_mobile_and_code_with_the_key_in_a_header(caplog):
    seen: list[httpx.Request] = []
    sms = msg91_answering(200, recorded("otp_sent.json"), seen)
    with caplog.at_level(logging.DEBUG, logger="jiokidz"):
        asyncio.run(sms.send_otp("+919876543210", "042917"))

    [request] = seen
    assert request.method == "POST"
    assert (request.url.scheme, request.url.host) == ("https", "control.msg91.com")
    assert request.url.path == "/api/v5/otp"
    assert dict(request.url.params) == {
        "template_id": TEMPLATE_ID,
        "mobile": "919876543210",  # country code, no plus
        "otp": "042917",
    }
    assert request.headers["authkey"] == AUTH_KEY
    assert AUTH_KEY not in str(request.url)
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {}

    # The app's log names the phone masked and MSG91's request id, never the code or the key.
    # (httpx's own logger, off in the app, would write the URL and so the code: app/sms.py.)
    assert "+91******3210" in caplog.text and "3463686b6f4c373634343536" in caplog.text
    assert "042917" not in caplog.text and "9876543210" not in caplog.text
    assert AUTH_KEY not in caplog.text


NOTIFICATION_TEMPLATE_ID = "65f0c1d2e3f4a5b6c7d8e9f1"


def test_a_notification_posts_the_flow_template_with_one_recipient(caplog):
    seen: list[httpx.Request] = []
    sms = msg91_answering(200, recorded("accepted_message_id.json"), seen)
    sms.notification_template_id = NOTIFICATION_TEMPLATE_ID
    with caplog.at_level(logging.INFO, logger="jiokidz"):
        asyncio.run(sms.send_notification("+919876543210", "42", "has shipped"))

    [request] = seen
    assert (request.method, request.url.path) == ("POST", "/api/v5/flow")
    assert request.headers["authkey"] == AUTH_KEY and not request.url.params
    assert json.loads(request.content) == {
        "template_id": NOTIFICATION_TEMPLATE_ID,
        "recipients": [{"mobiles": "919876543210", "order": "42", "update": "has shipped"}],
    }
    assert "+91******3210" in caplog.text and "9876543210" not in caplog.text


def test_without_a_notification_template_nothing_is_sent(caplog):
    seen: list[httpx.Request] = []
    sms = msg91_answering(200, recorded("accepted_message_id.json"), seen)
    with caplog.at_level(logging.INFO, logger="jiokidz"):
        asyncio.run(sms.send_notification("+919876543210", "42", "has shipped"))
    assert seen == [] and "no MSG91_NOTIFICATION_TEMPLATE_ID" in caplog.text


def test_a_refused_notification_is_an_sms_error():
    sms = msg91_answering(200, recorded("error_missing_authkey.json"))
    sms.notification_template_id = NOTIFICATION_TEMPLATE_ID
    with pytest.raises(SmsError) as refused:
        asyncio.run(sms.send_notification("+919876543210", "42", "has shipped"))
    assert refused.value.code == "106"


@pytest.mark.parametrize(
    ("fixture", "request_id"),
    [
        ("otp_sent.json", "3463686b6f4c373634343536"),
        ("accepted_message_id.json", "5762846b4f8d285d378b4567"),
    ],
)
def test_both_documented_success_answers_are_accepted(fixture, request_id, caplog):
    with caplog.at_level(logging.INFO, logger="jiokidz.sms"):
        asyncio.run(msg91_answering(200, recorded(fixture)).send_otp("+917000000001", "111111"))
    assert f"(request {request_id})" in caplog.text


@pytest.mark.parametrize("status", [200, 401])
def test_an_msg91_error_is_an_sms_error_with_its_code_even_under_http_200(status):
    """MSG91 may refuse with HTTP 200: `type` decides, not the status."""
    sms = msg91_answering(status, recorded("error_missing_authkey.json"))
    with pytest.raises(SmsError) as caught:
        asyncio.run(sms.send_otp("+919876543210", "123456"))
    assert caught.value.code == "106"
    assert caught.value.description == "Missing Authentication Key"


def test_an_http_error_without_a_code_is_named_by_its_status():
    sms = msg91_answering(503, {"type": "error", "message": "Service busy"})
    with pytest.raises(SmsError, match="HTTP_503: Service busy"):
        asyncio.run(sms.send_otp("+919876543210", "123456"))


@pytest.mark.parametrize(
    "body", [b"<html>502 Bad Gateway</html>", b'["success"]', b'{"message": "no type"}']
)
def test_an_answer_that_is_not_a_success_object_is_an_sms_error(body):
    status = 502 if body.startswith(b"<") else 200
    with pytest.raises(SmsError):
        asyncio.run(msg91_answering(status, body).send_otp("+919876543210", "123456"))


def test_an_unreachable_msg91_is_an_sms_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    sms = Msg91Sms(AUTH_KEY, TEMPLATE_ID, MSG91_API, client)
    with pytest.raises(SmsError, match="SMS_UNREACHABLE: ConnectError"):
        asyncio.run(sms.send_otp("+919876543210", "123456"))


def test_msg91_slower_than_the_timeout_is_an_sms_error(fake_msg91):
    """Over real HTTP: the fake holds its answer past the client's read timeout."""
    fake_msg91.delay = 1.0
    client = httpx.AsyncClient(timeout=httpx.Timeout(0.2))
    sms = Msg91Sms(AUTH_KEY, TEMPLATE_ID, fake_msg91.base_url, client)
    started = time.monotonic()
    with pytest.raises(SmsError, match="SMS_UNREACHABLE: ReadTimeout"):
        asyncio.run(sms.send_otp("+919876543210", "123456"))
    assert time.monotonic() - started < 0.9
    assert len(fake_msg91.requests) == 1


def test_the_default_client_gives_up_within_seconds():
    sms = Msg91Sms(AUTH_KEY, TEMPLATE_ID, MSG91_API)
    timeout = sms.client.timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (3.0, 5.0, 5.0, 5.0)
    asyncio.run(sms.aclose())


def test_the_auth_key_never_reaches_error_text_or_logs(caplog):
    """Even when MSG91 echoes the key back in its message."""
    echo = {"type": "error", "message": f"Authkey {AUTH_KEY} is not valid", "code": "207"}
    with caplog.at_level(logging.DEBUG), pytest.raises(SmsError) as caught:
        asyncio.run(msg91_answering(200, echo).send_otp("+919876543210", "123456"))
    assert AUTH_KEY not in str(caught.value) and AUTH_KEY not in caught.value.description
    assert "[MSG91_AUTH_KEY] is not valid" in caught.value.description
    assert AUTH_KEY not in caplog.text


def test_the_console_shows_codes_only_outside_production(caplog):
    with caplog.at_level(logging.INFO, logger="jiokidz.sms"):
        asyncio.run(ConsoleSms(show_codes=True).send_otp("+919876543210", "555111"))
        asyncio.run(ConsoleSms(show_codes=False).send_otp("+919876543211", "555222"))
    assert "OTP for +91******3210 is 555111" in caplog.text
    assert "+91******3211 not delivered" in caplog.text and "555222" not in caplog.text


def test_settings_choose_the_backend():
    assert isinstance(make_sms_backend(Settings.from_env({})), ConsoleSms)
    env = {"SMS_BACKEND": "msg91", "MSG91_AUTH_KEY": AUTH_KEY, "MSG91_TEMPLATE_ID": TEMPLATE_ID}
    sms = make_sms_backend(Settings.from_env(env))
    assert isinstance(sms, Msg91Sms) and sms.template_id == TEMPLATE_ID
    assert str(sms.client.base_url) == MSG91_API + "/"
    asyncio.run(sms.aclose())


# --- a real server, a fake MSG91 ------------------------------------------------------------


class FakeMsg91(FakeHttpServer):
    """MSG91's SendOTP endpoint over real HTTP on 127.0.0.1: records each request (path, query,
    headers, body) and answers `answer` (a recorded answer, otp_sent.json unless changed),
    after `delay` seconds."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answer: tuple[int, dict] = (200, recorded("otp_sent.json"))
        self.delay = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.requests.append(
                    {
                        "path": url.path,
                        "query": dict(parse_qsl(url.query)),
                        "authkey": self.headers.get("authkey"),
                        "body": json.loads(body) if body else None,
                    }
                )
                time.sleep(fake.delay)
                status, answer = fake.answer
                content = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, "/api/v5")

    def settings(self) -> dict[str, str]:
        """The environment of a server that sends its codes here."""
        return {
            "SMS_BACKEND": "msg91",
            "MSG91_AUTH_KEY": AUTH_KEY,
            "MSG91_TEMPLATE_ID": TEMPLATE_ID,
            "MSG91_BASE_URL": self.base_url,
        }

    def codes_for(self, phone: str) -> list[str]:
        """The codes received for a 10-digit phone, oldest first."""
        return [r["query"]["otp"] for r in self.requests if r["query"]["mobile"] == "91" + phone]


@pytest.fixture
def fake_msg91() -> Iterator[FakeMsg91]:
    with FakeMsg91() as fake:
        yield fake


@pytest.fixture
def msg91_worker(replace_worker, fake_msg91):
    """The session's worker with MSG91 as its SMS backend, which is fake_msg91."""
    return replace_worker(**fake_msg91.settings())


def wait_for(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.02)


def test_send_otp_delivers_the_code_to_msg91_and_that_code_logs_in(
    client, msg91_worker, fake_msg91
):
    phone = new_phone()
    sent = client.post("/auth/send-otp", json={"phone": phone})
    assert sent.status_code == 200, sent.text

    wait_for(lambda: fake_msg91.codes_for(phone))
    [request] = fake_msg91.requests
    assert request["path"] == "/api/v5/otp"
    assert request["authkey"] == AUTH_KEY
    assert request["query"] == {
        "template_id": TEMPLATE_ID,
        "mobile": "91" + phone,
        "otp": sent.json()["dev_otp"],  # the test environment also shows it
    }
    assert request["body"] == {}

    [code] = fake_msg91.codes_for(phone)
    verified = client.post("/auth/verify-otp", json={"phone": phone, "otp": code})
    assert verified.status_code == 200, verified.text
    assert verified.json()["user"]["phone"] == "+91" + phone

    msg91_worker.wait_for_log("handed to MSG91")
    [log] = [line for line in msg91_worker.log().splitlines() if "handed to MSG91" in line]
    assert f"+91******{phone[-4:]}" in log and "3463686b6f4c373634343536" in log
    assert AUTH_KEY not in msg91_worker.log() and code not in msg91_worker.log()


def test_a_refused_sms_is_retried_then_dead_lettered_and_a_new_code_goes_out(
    client, msg91_worker, fake_msg91, db
):
    phone = new_phone()
    fake_msg91.answer = (200, recorded("error_missing_authkey.json"))
    sent = client.post("/auth/send-otp", json={"phone": phone})
    assert sent.status_code == 200, sent.text

    # CONSUMER_ATTEMPTS=3 for the tests' worker: three tries, then the dead-letter queue.
    msg91_worker.wait_for_log("failed on attempt 3, dead")
    assert len(fake_msg91.codes_for(phone)) == 3
    log = msg91_worker.log()
    assert "otp_sms: event" in log and "106: Missing Authentication Key" in log
    assert AUTH_KEY not in log

    # Once the phone's cooldown is over, a new code goes out.
    db.execute(
        "UPDATE store.otp_verifications SET created_at = created_at - interval '31 seconds',"
        " expires_at = expires_at - interval '31 seconds' WHERE phone = %s",
        ("+91" + phone,),
    )
    fake_msg91.answer = (200, recorded("otp_sent.json"))
    again = client.post("/auth/send-otp", json={"phone": phone})
    assert again.status_code == 200, again.text
    wait_for(lambda: len(fake_msg91.codes_for(phone)) == 4)
    code = fake_msg91.codes_for(phone)[-1]
    verified = client.post("/auth/verify-otp", json={"phone": phone, "otp": code})
    assert verified.status_code == 200, verified.text


def test_an_unreachable_msg91_is_retried(client, replace_worker):
    with FakeMsg91() as gone:
        settings = gone.settings()
    worker = replace_worker(**settings)
    assert client.post("/auth/send-otp", json={"phone": new_phone()}).status_code == 200
    worker.wait_for_log("failed on attempt 1, retried")
    assert "SMS_UNREACHABLE: ConnectError" in worker.log()
