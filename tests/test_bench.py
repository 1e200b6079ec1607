"""bench/run.py's turns and the merging of its slices: the figures make bench prints."""

from __future__ import annotations

import random
from collections import Counter

from bench.run import TURN_ORDER, Sample, combined, turns


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
