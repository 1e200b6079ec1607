"""GET /orders/{order_id}/invoice over real HTTP (docs/api.md "Invoices"): the tax invoice as
JSON, or as a printable page when the client prefers text/html (api_spec.yaml `html`,
app/html.py); 409 invoice_not_ready before payment, 404 for another user's order; a processed
refund shows as a credit note. The invariants hold after each story."""

from __future__ import annotations

import re

import pytest
from starlette.requests import Request

from app.html import prefers_html, rupees
from tests.conftest import assert_problem
from tests.helpers_cart import make_product
from tests.helpers_orders import (
    buyer,
    pay,
    place_order,
    refund_event,
    send_webhook,
    sent_refund,
    watch_invariants,
)
from tests.helpers_users import ADDRESS

NUMBER = re.compile(r"^JK/[0-9]{4}-[0-9]{2}/[0-9]{6}$")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(autouse=True)
def invariants(db):
    """Every test ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


@pytest.fixture
def ordered(client, db, category):
    """A buyer with an unpaid order of one ₹200 toy whose name needs escaping in HTML (total
    ₹240 with shipping): (buyer, order)."""
    product = make_product(db, category, price=20000, name='<b>Toy & "Co"</b>')
    user = buyer(client)
    return user, place_order(client, user, [(product, 1)])


def invoice(client, user, order_id: int, accept: str | None = None):
    headers = {**user.headers, **({"Accept": accept} if accept else {})}
    return client.get(f"/orders/{order_id}/invoice", headers=headers)


def test_no_invoice_before_payment_then_the_invoice_as_json(client, ordered):
    user, order = ordered
    assert_problem(invoice(client, user, order["id"]), 409, "invoice_not_ready")

    pay(client, user, order["id"])
    answer = invoice(client, user, order["id"])

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["vary"] == "Accept"
    body = answer.json()
    assert NUMBER.match(body["invoice_number"]), body["invoice_number"]
    assert body["order_id"] == order["id"]
    assert body["seller"]["gstin"] == "27AAGCJ4821K1ZD"
    assert (body["place_of_supply"], body["supply_type"]) == (ADDRESS["state"], "inter_state")
    assert body["buyer"]["name"] == ADDRESS["name"]
    assert [(line["hsn_sac"], line["gst_rate"], line["total"]) for line in body["lines"]] == [
        ("9503", 5, 20000),
        ("996812", 18, 4000),
    ]
    assert body["totals"] == {
        "taxable_value": 19048 + 3390,
        "cgst": 0,
        "sgst": 0,
        "igst": 952 + 610,
        "total": order["total"],
    }
    for line in body["lines"]:
        parts = line["taxable_value"] + line["cgst"] + line["sgst"] + line["igst"]
        assert parts == line["total"], line
    assert body["credit_notes"] == []


def test_the_same_invoice_as_a_printable_page(client, ordered):
    user, order = ordered
    pay(client, user, order["id"])
    number = invoice(client, user, order["id"]).json()["invoice_number"]

    page = invoice(client, user, order["id"], accept=BROWSER_ACCEPT)

    assert page.status_code == 200, page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["vary"] == "Accept"
    assert page.text.startswith("<!DOCTYPE html>")
    assert f'<strong id="invoice-number">{number}</strong>' in page.text
    assert "27AAGCJ4821K1ZD" in page.text
    assert '<th class="n" id="invoice-total">240.00</th>' in page.text
    assert "&lt;b&gt;Toy &amp; &#34;Co&#34;&lt;/b&gt;" in page.text, "the product name is escaped"
    assert "<b>Toy" not in page.text


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (None, False),
        ("*/*", False),
        ("application/json", False),
        ("text/html", True),
        (BROWSER_ACCEPT, True),
        ("application/json, text/html;q=0.5", False),
        ("text/html;q=0.9, application/json", False),
        ("text/*, application/json;q=0.5", True),
        ("text/html;q=bad", False),
    ],
)
def test_html_only_when_the_client_prefers_it(accept, html):
    headers = [(b"accept", accept.encode())] if accept else []
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": headers})
    assert prefers_html(request) is html


def test_rupees_are_printed_with_paise():
    assert [rupees(p) for p in (0, 5, 24000, 12345678)] == ["0.00", "0.05", "240.00", "123,456.78"]


def test_another_users_order_is_not_found(client, ordered):
    user, order = ordered
    pay(client, user, order["id"])
    other = buyer(client)

    assert_problem(invoice(client, other, order["id"]), 404, "order_not_found")
    assert_problem(invoice(client, other, order["id"], BROWSER_ACCEPT), 404, "order_not_found")
    assert_problem(invoice(client, user, 2**53 - 1), 404, "order_not_found")
    assert invoice(client, other, order["id"]).status_code == 404
    assert client.get(f"/orders/{order['id']}/invoice").status_code == 401


def test_a_processed_refund_is_a_credit_note(invariants, client, db, ordered):
    user, order = ordered
    payment_id = pay(client, user, order["id"])["gateway_payment_id"]
    made = client.post(
        "/refunds",
        json={"order_id": order["id"], "reason": "One part missing", "amount": 12000},
        headers=user.headers,
    ).json()
    gateway_refund_id = sent_refund(db, made["id"])["gateway_refund_id"]
    assert invoice(client, user, order["id"]).json()["credit_notes"] == [], "not while pending"

    event = refund_event("refund.processed", gateway_refund_id, payment_id, 12000)
    assert send_webhook(client, event).json()["outcome"] == "refund_processed"

    body = invoice(client, user, order["id"]).json()
    [note] = body["credit_notes"]
    assert re.match(r"^JK/CN/[0-9]{4}-[0-9]{2}/[0-9]{6}$", note["credit_note_number"])
    assert (note["refund_id"], note["amount"]) == (made["id"], 12000)
    # ₹120 over ₹200 at 5 % and ₹40 at 18 %: 10000 and 2000, taxed 9524 + 476 and 1695 + 305.
    assert (note["taxable_value"], note["igst"], note["cgst"], note["sgst"]) == (11219, 781, 0, 0)
    page = invoice(client, user, order["id"], accept="text/html").text
    assert note["credit_note_number"] in page
    invariants.check()
