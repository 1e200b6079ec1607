"""The checkout path for `make bench`: add a product to the cart, POST /orders,
POST /payments/initiate, POST /payments/verify (signed like Razorpay's checkout with the mock
gateway), as one unit, from many concurrent buyers. wrk sends independent requests, so this
scenario has its own small load generator (httpx on asyncio); it drives the floor and the API
the same way, so their ratio holds even though the generator shares the machine."""

from __future__ import annotations

import asyncio
import random
import time

import httpx

from app.gateway import payment_signature, razorpay_id


async def checkout(http: httpx.AsyncClient, token: str, user_id: int, key_secret: str) -> bool:
    headers = {"Authorization": f"Bearer {token}"}
    product = 1000 + 101 * random.randint(0, 989) + random.randint(1, 100)  # in stock (data.sql)
    steps = [
        ("/cart/items", {"product_id": product, "quantity": 1}),
        ("/orders", {"address_id": user_id}),  # bench users' default address id = user id
    ]
    for path, body in steps:
        response = await http.post(path, json=body, headers=headers)
        if response.status_code != 201:
            return False
    order_id = response.json()["id"]
    initiated = await http.post("/payments/initiate", json={"order_id": order_id}, headers=headers)
    if initiated.status_code != 201:
        return False
    gateway_order_id = initiated.json()["gateway_order_id"]
    payment_id = razorpay_id("pay")
    verified = await http.post(
        "/payments/verify",
        headers=headers,
        json={
            "gateway_order_id": gateway_order_id,
            "gateway_payment_id": payment_id,
            "signature": payment_signature(key_secret, gateway_order_id, payment_id),
        },
    )
    return verified.status_code == 200


async def load(
    base: str, tokens: list[str], seconds: float, concurrency: int, key_secret: str
) -> tuple[int, int, list[float]]:
    """Checkouts completed, failed, and each completed checkout's seconds."""
    deadline = time.monotonic() + seconds
    done, failed, latencies = 0, 0, []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base + "/api/v1", limits=limits, timeout=30) as http:

        async def buyer(index: int) -> None:
            nonlocal done, failed
            # Each buyer has users of its own: one user's cart is never checked out twice at
            # once (that is a race test's job, not a benchmark's).
            own = range(index, len(tokens), concurrency)
            while time.monotonic() < deadline:
                user_id = 1 + random.choice(own)
                started = time.monotonic()
                if await checkout(http, tokens[user_id - 1], user_id, key_secret):
                    done += 1
                    latencies.append(time.monotonic() - started)
                else:
                    failed += 1

        await asyncio.gather(*(buyer(i) for i in range(concurrency)))
    return done, failed, latencies
