"""bench/run.py's turns, the merging of its slices and the judging of its rows; the checkout's
client (bench/checkout.py); bench/catalog.py's turns, percentiles, hit ratio and judging;
bench/catalog_writes.py's turns, products, price changes and judging; bench/write_path.py's
reading of the pgbench checkout and its judging."""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from collections import Counter

from bench.catalog import (
    POPULAR_LISTS,
    POPULAR_PRODUCTS,
    SIDES,
    WORKLOADS,
    CatalogRow,
    cpu_ticks,
    drain,
    hit_ratio,
    judge_row,
    log_summary,
    percentile,
    popular_product,
    replica_log_summary,
    side_turns,
)
from bench.catalog_writes import (
    BULK_PRODUCTS,
    FRESH_SAMPLE,
    BulkChange,
    bulk_deltas,
    changed_products,
    fresh_sample,
)
from bench.catalog_writes import TURN_ORDER as WRITES_TURN_ORDER
from bench.catalog_writes import judge as judge_writes
from bench.checkout import Connection
from bench.run import SCENARIOS, TURN_ORDER, Measure, Sample, combined, judge, turns
from bench.write_path import Statement, WritePathResults, checkout_statements, report


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


def test_catalog_sides_take_turns_back_and_forth():
    """bench/catalog.py: primary, replica, cache, then back, each side as often early as late."""
    order = side_turns(10)
    assert len(order) == 30
    assert order[:6] == ["primary", "replica", "cache", "cache", "replica", "primary"]
    assert all(order.count(side) == 10 for side in SIDES)
    assert sum(i for i, side in enumerate(order) if side == "primary") == sum(
        i for i, side in enumerate(order) if side == "cache"
    )


def test_catalog_percentiles_and_hit_ratio():
    assert percentile([5, 1, 3, 2, 4], 0.50) == 3
    assert percentile(list(range(1, 201)), 0.99) == 198
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([1, 2, 3], 1.0) == 3
    before = {"cmdstat_mget": {"calls": 100}, "cmdstat_set": {"calls": 40}}
    after = {"cmdstat_mget": {"calls": 1100}, "cmdstat_set": {"calls": 140}}
    # 1,000 lookups, 100 of them missed and stored: 900 hits.
    assert hit_ratio(before, after) == 0.9
    assert hit_ratio({}, after) == (1100 - 140) / 1100  # nothing counted before
    assert hit_ratio(before, before) is None  # no lookup


def test_catalog_rows_are_judged_against_the_issue_targets():
    detail, listing, uniform = WORKLOADS
    primary = Measure(1000.0, 20.0, 60.0)
    fast = Measure(3000.0, 5.0, 49.9)

    def row(workload, connections, cache, errors=0):
        replica = Measure(1100.0, 18.0, 55.0, errors=errors)
        return CatalogRow(
            workload, connections, {"primary": primary, "replica": replica, "cache": cache}, 0.9
        )

    assert judge_row(row(detail, 32, fast)) == ("cache ≥ 3× primary", "yes")
    assert judge_row(row(detail, 32, Measure(2999.0, 5.0, 10.0)))[1] == "no: speed-up"
    assert judge_row(row(detail, 256, fast)) == ("cache ≥ 3× primary, cache p99 < 50 ms", "yes")
    assert judge_row(row(detail, 256, Measure(900.0, 5.0, 50.0)))[1] == "no: speed-up, p99"
    assert judge_row(row(listing, 32, fast)) == ("—", "—")  # no target at 32 for lists
    assert judge_row(row(listing, 256, fast, errors=2)) == ("cache p99 < 50 ms", "no: errors")
    assert judge_row(row(uniform, 256, Measure(10.0, 5.0, 500.0))) == ("—", "—")


def test_catalog_drain_returns_once_the_server_is_idle():
    """bench/catalog.py waits after each slice until the server's CPU use stops; an idle
    process (with an idle child) is idle at once."""
    idle = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
    try:
        assert cpu_ticks(idle.pid) >= 0
        started = time.monotonic()
        drain(idle, limit=3.0)
        assert time.monotonic() - started < 1.0
    finally:
        idle.kill()
        idle.wait()


def test_catalog_popular_lists_are_distinct_pages():
    """bench/wrk/catalog_list.lua's popular pages k = 1..POPULAR_LISTS (the same arithmetic)."""
    pages = {
        (1 + k % 50, (k * 7) % 121, ((k * 13) % 51) * 1000) for k in range(1, POPULAR_LISTS + 1)
    }
    assert len(pages) == POPULAR_LISTS
    products = {popular_product(k * 37) for k in range(POPULAR_PRODUCTS)}
    assert len(products) == POPULAR_PRODUCTS
    assert min(products) == 1001 and max(products) <= 101000


def test_catalog_server_logs_are_summarised(tmp_path):
    """Warnings and errors of app/logs.py's format, counted with their numbers blanked; info
    lines (the access log) left out."""
    log = tmp_path / "api.log"
    log.write_text(
        "2026-12-07 18:00:00,001 INFO jiokidz.access [ab12] GET /api/v1/products/7 200\n"
        "2026-12-07 18:00:00,002 WARNING jiokidz.redis [-] Redis unavailable for the catalog"
        " cache (Timeout reading from 127.0.0.1:41719)\n"
        "2026-12-07 18:00:05,003 WARNING jiokidz.redis [-] Redis unavailable for the catalog"
        " cache (Timeout reading from 127.0.0.1:41720)\n"
        "2026-12-07 18:00:06,004 ERROR jiokidz.errors [cd34] internal error\n"
    )
    assert log_summary(log) == Counter(
        {
            "WARNING jiokidz.redis: Redis unavailable for the catalog cache"
            " (Timeout reading from #.#.#.#:#)": 2,
            "ERROR jiokidz.errors: internal error": 1,
        }
    )
    assert log_summary(tmp_path / "missing.log") == Counter()


def test_catalog_replica_log_keeps_replay_conflicts_and_errors(tmp_path):
    log = tmp_path / "server.log"
    log.write_text(
        "2026-12-07 18:00:00.001 UTC [71] LOG:  started streaming WAL from primary at 0/45000000\n"
        "2026-12-07 18:00:01.002 UTC [70] LOG:  recovery still waiting after 1012.5 ms:"
        " recovery conflict on lock\n"
        "2026-12-07 18:00:01.003 UTC [70] DETAIL:  Conflicting process: 88.\n"
        "2026-12-07 18:00:02.004 UTC [88] jiokidz_api@jiokidz_bench ERROR:  canceling statement"
        " due to conflict with recovery\n"
    )
    assert replica_log_summary(log) == Counter(
        {
            "LOG: recovery still waiting after #.# ms: recovery conflict on lock": 1,
            "ERROR: canceling statement due to conflict with recovery": 1,
        }
    )


def test_catalog_writes_turns_and_price_changes_come_out_even():
    """bench/catalog_writes.py: as many quiet turns as bulk ones, as often early as late; each
    bulk turn's change undoes the one before, so the turns leave every price as it was and
    never raise one above it (mrp stays at or above price)."""
    order = WRITES_TURN_ORDER
    assert order.count("quiet") == order.count("bulk") == 4
    assert sum(i for i, kind in enumerate(order) if kind == "quiet") == sum(
        i for i, kind in enumerate(order) if kind == "bulk"
    )
    deltas = bulk_deltas()
    assert deltas == [-100, 100, -100, 100]
    assert all(sum(deltas[: n + 1]) <= 0 for n in range(len(deltas)))
    assert sum(deltas) == 0


def test_catalog_writes_change_every_tenth_bench_product():
    products = changed_products()
    assert len(products) == len(set(products)) == BULK_PRODUCTS
    assert products[:2] == [1010, 1020] and products[-1] == 101000  # bench ids: 1001..101000
    assert all(product % 10 == 0 for product in products)
    sample = fresh_sample(products)
    assert len(set(sample)) == FRESH_SAMPLE and set(sample) <= set(products)
    assert sample[0] == products[0] and sample[-1] > products[-1] - BULK_PRODUCTS  # spread


def test_catalog_writes_are_judged_on_p99_failures_and_freshness():
    quiet = Measure(60.0, 500.0, 1000.0)

    def change(*delays: float, missed: int = 0) -> BulkChange:
        return BulkChange(-100, 10_000, 4.0, delays=list(delays), missed=missed)

    fresh = [change(0.2, 0.4), change(0.9)]
    assert judge_writes(quiet, Measure(50.0, 600.0, 2000.0), fresh) == "yes"
    assert judge_writes(quiet, Measure(50.0, 600.0, 2000.1), fresh) == "no: p99"
    failing = Measure(50.0, 600.0, 1500.0, errors=3)
    assert judge_writes(quiet, failing, fresh) == "no: failed checkouts"
    assert judge_writes(quiet, quiet, [change(0.2, 1.1)]) == "no: freshness"
    assert judge_writes(quiet, quiet, [change(0.2, missed=1)]) == "no: freshness"
    assert judge_writes(quiet, quiet, []) == "no: freshness"  # nothing read: nothing shown


def test_write_path_profiles_the_pgbench_checkout_statement_by_statement():
    """Each :name of checkout.sql becomes a parameter of its own (a variable may be read as two
    types), casts stay, and \\gset goes."""
    statements = checkout_statements()
    assert [query.split("(", 1)[0] for query, _ in statements] == [
        "SELECT api.add_to_cart",
        "SELECT ",
        "SELECT api.register_payment_attempt",
        "SELECT api.attach_gateway_order",
        "SELECT api.verify_payment",
    ]
    attach, names = statements[3]
    assert names == ["user", "order_id", "order_id"]
    assert attach.count("%s") == 3 and "%s::text" in attach and ":order_id" not in attach
    assert all("\\gset" not in query for query, _ in statements)


def test_write_path_is_judged_against_the_floor_and_the_ceiling():
    def measure(rps: float) -> Measure:
        return Measure(rps, 10.0, 50.0)

    results = WritePathResults(
        turns={"floor": [measure(1000), measure(1200)], "ceiling": [measure(600), measure(500)]},
        api=measure(400),
        statement_ms={"checkout": [("SELECT 1", 2.0)], "checkout_floor": [("WITH", 0.5)]},
        profile=[Statement("SELECT internal.x()", 400, 80.0)],
        profile_note="auto_explain",
        checkouts_profiled=200,
    )
    text = "\n".join(report(results))
    assert "| ceiling (pgbench) | 550 |" in text and "0.50 of the floor | ≥ 0.5 | yes |" in text
    assert "0.73 of the ceiling | ≥ 0.8 | no |" in text
    assert "2 statements a checkout" in text and "| 2.0 | 0.400 |" in text
