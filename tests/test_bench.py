"""bench/run.py's turns, the merging of its slices and the judging of its rows; the checkout's
client (bench/checkout.py)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from bench.checkout import Connection
from bench.run import SCENARIOS, TURN_ORDER, Measure, Sample, combined, judge, turns


def test_each_side_gets_its_slices_in_alternating_turns():
    order = turns(10, 1)
    assert len(order) == 20
    assert order.count("floor") == order.count("API") == 10
    assert tuple(order[:4]) == TURN_ORDER == ("floor", "API", "API", "floor")
    assert order[4:8] == order[:4]
    # The checkout's halves: two slices a side.
    assert turns(10, 5) == ["floor", "API", "API", "floor"]


def nearest_rank(values: list[int], p: float) -> float:
    """The smallest value with at least p of all values at or below it, in ms."""
    ordered = sorted(values)
    rank = p * len(ordered)
    for index, value in enumerate(ordered, start=1):
        if index >= rank:
            return value / 1000
    raise AssertionError("empty")


def test_slices_merge_into_one_measurement():
    """Requests per second over all slices, percentiles over all their latencies (not the mean
    of each slice's), errors added up, the connection splits counted."""
    generator = random.Random(7)
    fast = [generator.randint(2_000, 9_000) for _ in range(900)]  # microseconds
    slow = [generator.randint(5_000, 400_000) for _ in range(100)]
    samples = [
        Sample(900, 1.0, 0, Counter(fast), "16:16"),
        Sample(100, 1.0, 3, Counter(slow), "16:16"),
        Sample(0, 0.5, 0, Counter(), "17:15"),
    ]

    measure = combined(samples)

    assert measure.rps == 1000 / 2.5
    assert measure.p50_ms == nearest_rank(fast + slow, 0.50)
    assert measure.p99_ms == nearest_rank(fast + slow, 0.99)
    assert measure.p99_ms > max(fast) / 1000  # the slow slice's tail is in it
    assert measure.errors == 3
    assert measure.split == "16:16 ×2, 17:15 ×1"


def test_each_row_is_judged_against_its_target():
    """API/floor against the row's own ratio; the catalog's p99 only at 32 connections; any
    error misses."""
    detail = next(s for s in SCENARIOS if s.name == "product_detail")
    cart_add = next(s for s in SCENARIOS if s.name == "cart_add")
    floor = Measure(1000.0, 5.0, 20.0)
    assert (detail.min_ratio, detail.catalog, cart_add.min_ratio) == (0.70, True, 0.85)

    assert judge(detail, floor, Measure(700.0, 6.0, 49.9), 32) == ("≥ 0.70, p99 < 50 ms", "yes")
    assert judge(detail, floor, Measure(699.0, 6.0, 50.0), 32)[1] == "no: ratio, p99"
    assert judge(detail, floor, Measure(800.0, 6.0, 80.0), 64) == ("≥ 0.70", "yes")
    assert judge(cart_add, floor, Measure(800.0, 6.0, 80.0), 32) == ("≥ 0.85", "no: ratio")
    assert judge(cart_add, floor, Measure(900.0, 6.0, 80.0, errors=1), 32)[1] == "no: errors"


def test_checkout_connection_posts_json_and_reads_both_framings():
    """bench/checkout.py's client, over real TCP against a canned server: the request carries
    the token and the JSON body; an answer with a Content-Length (the API's) and a chunked one
    (the floor's) both come back whole, and the connection is kept for the next request."""
    received = []
    answers = [
        b"HTTP/1.1 201 Created\r\nContent-Length: 9\r\ncontent-type: application/json\r\n\r\n"
        b'{"id": 7}',
        b"HTTP/1.1 409 Conflict\r\ntransfer-encoding: chunked\r\n\r\n"
        b'6\r\n{"code\r\n10\r\n": "cart_empty"}\r\n0\r\n\r\n',
    ]

    async def canned(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for answer in answers:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().partition(b"content-length: ")[2].partition(b"\r\n")[0])
            received.append(head + await reader.readexactly(length))
            writer.write(answer)
        writer.close()

    async def exchange():
        server = await asyncio.start_server(canned, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            http = await Connection.open(f"http://127.0.0.1:{port}")
            first = await http.post("/orders", {"address_id": 3}, "tok")
            second = await http.post("/orders", {"address_id": 4}, "tok")
            await http.close()
        return first, second

    first, second = asyncio.run(exchange())
    assert first == (201, {"id": 7})
    assert second == (409, {"code": "cart_empty"})
    assert received[0].startswith(b"POST /api/v1/orders HTTP/1.1\r\n")
    assert b"\r\nAuthorization: Bearer tok\r\n" in received[0]
    assert received[0].endswith(b'\r\n\r\n{"address_id": 3}')
    assert received[1].endswith(b'{"address_id": 4}')
