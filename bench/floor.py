"""The floor of the web stack for `make bench`: a minimal hand-written ASGI app that serves the
benchmarked endpoints by calling the same procedures through the same pool (app.db.make_pool)
and returning PostgreSQL's JSON text. No framework, no validation beyond what the call needs, no
middleware, no access log. The generated API is measured against it: whatever it costs beyond
this is FastAPI's and our middleware's cost. (Kept in bench/, never imported by the app.)"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import jwt

from app.db import make_pool
from app.gateway import MockGateway
from app.settings import Settings

settings = Settings.from_env()
gateway = MockGateway()
pool = make_pool(settings)  # the API's pool: its size, autocommit, jsonb as bytes

LIST_PRODUCTS = (
    "SELECT api.list_products(p_page => %(page)s::integer, p_page_size => %(page_size)s::integer,"
    " p_category_id => %(category_id)s::integer, p_q => %(q)s::text,"
    " p_min_price => %(min_price)s::bigint, p_max_price => %(max_price)s::bigint,"
    " p_age_months => %(age_months)s::integer, p_sort => %(sort)s::text)"
)
INTEGERS = ("page", "page_size", "category_id", "min_price", "max_price", "age_months")


# The token's user goes through the same check as the API's calls (api.authenticate).
USER = "api.authenticate(%(u)s::bigint, %(s)s::bigint)"


def caller(scope) -> dict[str, int | None]:
    """The query parameters u (user) and s (session) of the request's bearer token."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            claims = jwt.decode(value[7:], settings.jwt_secret, algorithms=["HS256"])
            return {"u": int(claims["sub"]), "s": claims["sid"]}
    return {"u": None, "s": None}


async def read_body(receive) -> bytes:
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


async def answer(send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def initiate(scope, receive, send) -> None:
    """The same two calls as the API (register, then attach the gateway's order id)."""
    body = json.loads(await read_body(receive))
    user = caller(scope)
    async with pool.connection() as conn:  # as app/db.py's fetch_json takes its connections
        row = await (
            await conn.execute(
                f"SELECT api.register_payment_attempt({USER}, %(o)s::bigint, %(k)s::text)",
                user | {"o": body["order_id"], "k": settings.razorpay_key_id},
            )
        ).fetchone()
        needed = json.loads(row[0]).get("gateway_order")
        if needed is not None:
            order = await gateway.create_order(
                needed["amount"], needed["currency"], needed["receipt"]
            )
            row = await (
                await conn.execute(
                    "SELECT api.attach_gateway_order(%(u)s::bigint, %(o)s::bigint, %(g)s::text,"
                    " %(go)s::text, %(k)s::text)",
                    {
                        "u": user["u"],
                        "o": body["order_id"],
                        "g": gateway.name,
                        "go": order.id,
                        "k": settings.razorpay_key_id,
                    },
                )
            ).fetchone()
    await answer(send, 201, row[0])


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await pool.open()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    path, method = scope["path"], scope["method"]
    if path == "/api/v1/products":
        params = dict.fromkeys(INTEGERS) | {
            "q": None,
            "sort": "relevance",
            "page": 1,
            "page_size": 20,
        }
        for key, value in parse_qsl(scope["query_string"].decode()):
            params[key] = int(value) if key in INTEGERS else value
        query, status = LIST_PRODUCTS, 200
    elif path.startswith("/api/v1/products/"):
        query, params, status = (
            "SELECT api.get_product(%(id)s::bigint)",
            {"id": int(path.rsplit("/", 1)[1])},
            200,
        )
    elif path == "/api/v1/cart" and method == "GET":
        query, params, status = f"SELECT api.get_cart({USER})", caller(scope), 200
    elif path == "/api/v1/cart/items" and method == "POST":
        body = json.loads(await read_body(receive))
        query, status = (
            f"SELECT api.add_to_cart({USER}, %(p)s::bigint, %(q)s::integer)",
            201,
        )
        params = caller(scope) | {"p": body["product_id"], "q": body["quantity"]}
    elif path == "/api/v1/orders" and method == "GET":
        query, params, status = f"SELECT api.list_orders({USER})", caller(scope), 200
    elif path == "/api/v1/orders" and method == "POST":
        body = json.loads(await read_body(receive))
        query, status = f"SELECT api.create_order({USER}, %(a)s::bigint)", 201
        params = caller(scope) | {"a": body["address_id"]}
    elif path == "/api/v1/payments/initiate":
        return await initiate(scope, receive, send)
    elif path == "/api/v1/payments/verify":
        body = json.loads(await read_body(receive))
        query, status = (
            f"SELECT api.verify_payment({USER}, %(o)s::text, %(p)s::text, %(sig)s::text,"
            " %(k)s::text)",
            200,
        )
        params = caller(scope) | {
            "o": body["gateway_order_id"],
            "p": body["gateway_payment_id"],
            "sig": body["signature"],
            "k": settings.razorpay_key_secret,
        }
    else:
        return await answer(send, 404, b'{"code":"not_found"}')
    async with pool.connection() as conn:  # as app/db.py's fetch_json takes its connections
        row = await (await conn.execute(query, params)).fetchone()
    await answer(send, status, row[0])
