"""The checkout path for `make bench`: add a product to the cart, POST /orders,
POST /payments/initiate, POST /payments/verify (signed like Razorpay's checkout with the mock
gateway), as one unit, from many concurrent buyers. wrk sends independent requests, so this
scenario has its own small load generator on asyncio; it drives the floor and the API the same
way, so their ratio holds even though the generator shares the machine.

Each buyer keeps one HTTP/1.1 connection (`Connection`): a client of just what these four
requests need, so that the generator takes as little of the shared cores as it can. With
httpx it took a whole core (about 3 ms of CPU a request: its pool looks over every
connection for each request, and httpcore retries a failing import at every one) and capped
the checkout at about 76 a second, the floor's and the API's alike."""

from __future__ import annotations

import asyncio
import json
import random
import time
from urllib.parse import urlsplit

from app.gateway import payment_signature, razorpay_id

# A checkout the server has not answered by then stops the bench (TimeoutError) rather than
# hanging it: the API's own statement and lock timeouts are far shorter.
CHECKOUT_TIMEOUT_SECONDS = 30
VERIFY = "/payments/verify"


class Connection:
    """One keep-alive connection to the server under test: JSON posts with a bearer token,
    answers with a Content-Length (the API) or chunked (the floor)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer, self.host = reader, writer, host.encode()
        self.content_type = ""  # of the last answer, lower case (bench/flash_sale.py reads it)

    @classmethod
    async def open(cls, base: str) -> Connection:
        address = urlsplit(base)
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        return cls(reader, writer, address.netloc)

    async def post(self, path: str, body: dict, token: str) -> tuple[int, dict]:
        """The answer's status and JSON body."""
        payload = json.dumps(body).encode()
        self.writer.write(
            b"POST /api/v1%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (path.encode(), self.host, token.encode(), len(payload), payload)
        )
        head = (await self.reader.readuntil(b"\r\n\r\n")).lower()
        status = int(head[9:12])
        content_type = head.partition(b"\r\ncontent-type:")[2].partition(b"\r\n")[0]
        self.content_type = content_type.strip().decode()
        length = head.partition(b"\r\ncontent-length:")[2].partition(b"\r\n")[0]
        if length:
            answer = await self.reader.readexactly(int(length))
        elif b"\r\ntransfer-encoding: chunked\r\n" in head:
            answer = await self.read_chunks()
        else:
            raise RuntimeError(f"{path}: an answer without a length: {head!r}")
        return status, json.loads(answer) if answer else {}

    async def read_chunks(self) -> bytes:
        chunks = []
        while size := int((await self.reader.readuntil(b"\r\n"))[:-2], 16):
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)  # the chunk's \r\n
        await self.reader.readuntil(b"\r\n")  # after the last chunk (no trailers are sent)
        return b"".join(chunks)

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def checkout(http: Connection, token: str, user_id: int, key_secret: str) -> bool:
    product = 1000 + 101 * random.randint(0, 989) + random.randint(1, 100)  # in stock (data.sql)
    status, _ = await http.post("/cart/items", {"product_id": product, "quantity": 1}, token)
    if status != 201:
        return False
    # Bench users' default address id = user id.
    status, order = await http.post("/orders", {"address_id": user_id}, token)
    if status != 201:
        return False
    path, status, _ = await pay(http, order["id"], token, key_secret)
    return path == VERIFY and status == 200


async def pay(
    http: Connection, order_id: int, token: str, key_secret: str
) -> tuple[str, int, dict]:
    """POST /payments/initiate, then /payments/verify signed as Razorpay's checkout signs it:
    the path of the last request sent, its status and its answer."""
    status, initiated = await http.post("/payments/initiate", {"order_id": order_id}, token)
    if status != 201:
        return "/payments/initiate", status, initiated
    gateway_order_id = initiated["gateway_order_id"]
    payment_id = razorpay_id("pay")
    status, verified = await http.post(
        VERIFY,
        {
            "gateway_order_id": gateway_order_id,
            "gateway_payment_id": payment_id,
            "signature": payment_signature(key_secret, gateway_order_id, payment_id),
        },
        token,
    )
    return VERIFY, status, verified


async def load(
    base: str, buyers: list[tuple[int, str]], seconds: float, concurrency: int, key_secret: str
) -> tuple[int, int, list[float]]:
    """Checkouts completed, failed, and each completed checkout's seconds, by `buyers` (user
    ids with their tokens)."""
    deadline = time.monotonic() + seconds
    done, failed, latencies = 0, 0, []

    async def buyer(index: int) -> None:
        nonlocal done, failed
        # Each buyer has users of its own: one user's cart is never checked out twice at
        # once (that is a race test's job, not a benchmark's).
        own = buyers[index::concurrency]
        http = await Connection.open(base)
        try:
            while time.monotonic() < deadline:
                user_id, token = random.choice(own)
                started = time.monotonic()
                async with asyncio.timeout(CHECKOUT_TIMEOUT_SECONDS):
                    completed = await checkout(http, token, user_id, key_secret)
                if completed:
                    done += 1
                    latencies.append(time.monotonic() - started)
                else:
                    failed += 1
        finally:
            await http.close()

    await asyncio.gather(*(buyer(i) for i in range(concurrency)))
    return done, failed, latencies
