"""app/validation.py: the field checks every generated route runs before its procedure call."""

from __future__ import annotations

import asyncio
import json

import pytest
from starlette.requests import Request

from app.errors import ApiProblem
from app.validation import Field, Fields, query_params, read_body, read_params

PAGE = Field("page", "integer", default=1, ge=1, le=2147483647)
IN_STOCK = Field("in_stock", "boolean")
SORT = Field("sort", "string", default="relevance", enum=("relevance", "price_asc"))
KEY = Field("key", "string", max_length=8, alias="Idempotency-Key")
PHONE = Field("phone", "string", required=True, pattern=r"^[6-9][0-9]{9}$")
QUANTITY = Field("quantity", "integer", required=True, ge=0, le=10)
REASON = Field("reason", "string", max_length=20)


def request(query: str = "", body: bytes = b"", headers=(), path_params=None) -> Request:
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "path_params": path_params or {},
    }
    return Request(scope, receive)


def problems(call) -> list[dict[str, str]]:
    with pytest.raises(ApiProblem) as caught:
        call()
    assert caught.value.status == 422 and caught.value.code == "validation_error"
    return caught.value.errors


def test_query_values_are_typed_and_defaulted():
    values = read_params(request("in_stock=true&page=3"), query=Fields(PAGE, IN_STOCK, SORT))
    assert values == {"page": 3, "in_stock": True, "sort": "relevance"}


def test_every_bad_parameter_is_reported_at_once():
    errors = problems(
        lambda: read_params(
            request("page=0&in_stock=maybe&sort=cheapest"), query=Fields(PAGE, IN_STOCK, SORT)
        )
    )
    assert [e["field"] for e in errors] == ["page", "in_stock", "sort"]


@pytest.mark.parametrize("raw", ["2147483648", "99999999999999999999999999", "1.5", "1e3", ""])
def test_integers_outside_the_sql_range_or_not_whole_are_refused(raw):
    assert (
        problems(lambda: read_params(request(f"page={raw}"), query=Fields(PAGE)))[0]["field"]
        == "page"
    )


def test_headers_are_read_by_their_alias_and_bounded():
    assert read_params(request(headers=[("Idempotency-Key", "abc")]), headers=Fields(KEY)) == {
        "key": "abc"
    }
    assert (
        problems(
            lambda: read_params(
                request(headers=[("Idempotency-Key", "x" * 9)]), headers=Fields(KEY)
            )
        )[0]["field"]
        == "key"
    )


def test_path_parameters_are_required_and_typed():
    product = Field("product_id", "integer", required=True, ge=1, le=9223372036854775807)
    assert read_params(request(path_params={"product_id": "42"}), path=Fields(product)) == {
        "product_id": 42
    }
    assert (
        problems(
            lambda: read_params(request(path_params={"product_id": "abc"}), path=Fields(product))
        )[0]["field"]
        == "product_id"
    )


def read(body: bytes, specs):
    return asyncio.run(read_body(request(body=body), Fields(*specs)))


def test_a_valid_body_comes_back_with_absent_optional_fields_as_none():
    assert read(b'{"phone": "9876543210", "quantity": 0}', (PHONE, QUANTITY, REASON)) == {
        "phone": "9876543210",
        "quantity": 0,
        "reason": None,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"phone": "9876543210", "quantity": true}', "quantity"),  # a bool is not a number
        (b'{"phone": "9876543210", "quantity": "2"}', "quantity"),  # no coercion from text
        (b'{"phone": "9876543210", "quantity": 2.5}', "quantity"),
        (b'{"phone": "9876543210", "quantity": 11}', "quantity"),
        (b'{"phone": 9876543210, "quantity": 1}', "phone"),
        (b'{"phone": "98765\\u00003210", "quantity": 1}', "phone"),  # NUL never reaches SQL
        (b'{"phone": "98765\\ud8003210", "quantity": 1}', "phone"),  # nor a lone surrogate
        (b'{"phone": "9876543210", "quantity": 1, "reason": "\\udfff"}', "reason"),
        (b'{"phone": "9876543210", "quantity": 1, "is_staff": true}', "is_staff"),
        (b'{"quantity": 1}', "phone"),
        (b'{"phone": null, "quantity": 1}', "phone"),
        (b"[1, 2]", "body"),
        (b"not json", "body"),
        (b"\xff\xfe", "body"),
    ],
)
def test_bad_bodies_name_the_field(body, field):
    errors = problems(lambda: read(body, (PHONE, QUANTITY, REASON)))
    assert field in [e["field"] for e in errors], errors


def test_an_integral_json_number_is_an_integer_as_json_schema_says():
    assert read(b'{"phone": "9876543210", "quantity": 2.0}', (PHONE, QUANTITY))["quantity"] == 2


def test_an_all_optional_body_may_be_left_out_but_a_required_one_may_not():
    assert read(b"", (REASON,)) == {"reason": None}
    assert problems(lambda: read(b"", (PHONE,)))[0]["field"] == "body"


def test_several_body_errors_come_together_in_the_detail():
    with pytest.raises(ApiProblem) as caught:
        read(json.dumps({"phone": "123", "quantity": -1, "extra": 1}).encode(), (PHONE, QUANTITY))
    assert {e["field"] for e in caught.value.errors} == {"phone", "quantity", "extra"}
    assert "phone:" in caught.value.detail and "quantity:" in caught.value.detail


def test_non_ascii_text_and_surrogate_pairs_are_fine():
    body = '{"phone": "9876543210", "quantity": 1, "reason": "खिलौना \\ud83e\\uddf8"}'.encode()
    assert read(body, (PHONE, QUANTITY, REASON))["reason"] == "खिलौना 🧸"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2&sort=price_asc",
        "page=2&page=3",  # the last of a repeated name, as request.query_params
        "q=&page=1",  # a blank value is kept
        "flag&&page=1&",  # a name alone, empty pairs
        "q=a=b",  # only the first = splits
        "q=wooden+train&page=1",  # + and %-escapes take parse_qsl's way
        "q=%E0%A4%96%E0%A4%BF%E0%A4%B2%E0%A5%8C%E0%A4%A8%E0%A4%BE",
        "q=caf\xe9",  # raw bytes beyond ASCII, read as Starlette reads them
    ],
)
def test_query_strings_read_as_starlette_reads_them(query):
    scope = {"type": "http", "query_string": query.encode("latin-1")}
    assert query_params(Request(scope)) == dict(Request(scope).query_params)


def test_a_query_pays_only_for_what_it_sends_but_gets_every_default():
    values = read_params(request("sort=price_asc&unknown=1"), query=Fields(PAGE, IN_STOCK, SORT))
    assert values == {"page": 1, "in_stock": None, "sort": "price_asc"}


def test_header_fields_are_case_insensitive_required_and_first_wins():
    key = Field("key", "string", required=True, max_length=8, alias="Idempotency-Key")
    headers = [("IDEMPOTENCY-KEY", "first"), ("idempotency-key", "second")]
    assert read_params(request(headers=headers), headers=Fields(key)) == {"key": "first"}
    assert problems(lambda: read_params(request(), headers=Fields(key))) == [
        {"field": "key", "message": "is required"}
    ]


def test_an_integer_field_without_bounds_is_refused_when_defined():
    with pytest.raises(ValueError, match="bounds"):
        Field("count", "integer", ge=0)
