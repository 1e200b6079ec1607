"""Razorpay's refund endpoint over real HTTP on 127.0.0.1, for the worker's refunds consumer
(RAZORPAY_API_URL): POST /v1/payments/{id}/refund with basic auth. Like Razorpay, a request
repeating an X-Refund-Idempotency key gets the first refund back instead of a second one
(app/gateway.py sends it). It records every request, can answer slowly (`delay`) and can fail
(`status`), so a test can kill the consumer mid-call or keep the gateway down."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from app.gateway import razorpay_id
from tests.fake_http import FakeHttpServer


class FakeRazorpay(FakeHttpServer):
    def __init__(self) -> None:
        self.requests: list[dict] = []  # {"payment_id", "amount", "key"}, in arrival order
        self.refunds: dict[str, dict] = {}  # idempotency key -> the one refund made for it
        self.delay = 0.0
        self.status = 200  # 500: an outage, answered with Razorpay's error body
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                parts = self.path.strip("/").split("/")  # v1 payments <id> refund
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                key = self.headers.get("X-Refund-Idempotency")
                with fake.lock:
                    fake.requests.append(
                        {"payment_id": parts[2], "amount": body["amount"], "key": key}
                    )
                time.sleep(fake.delay)
                if fake.status != 200:
                    answer = {"error": {"code": "SERVER_ERROR", "description": "down"}}
                    return self.answer(fake.status, answer)
                with fake.lock:
                    if key not in fake.refunds:
                        fake.refunds[key] = {
                            "id": razorpay_id("rfnd"),
                            "entity": "refund",
                            "amount": body["amount"],
                            "currency": "INR",
                            "payment_id": parts[2],
                            "status": "pending",
                        }
                    refund = fake.refunds[key]
                self.answer(200, refund)

            def answer(self, status: int, body: dict) -> None:
                content = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller is gone (killed mid-call)

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, "/v1")

    def settings(self) -> dict[str, str]:
        """The environment of a worker that sends its refunds here."""
        return {"PAYMENT_GATEWAY": "razorpay", "RAZORPAY_API_URL": self.base_url}

    def requests_for(self, refund_id: int) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["key"] == f"jk-refund-{refund_id}"]
