"""How ReplicaWatch (app/replica.py) judges the replica's lag from its samples of the primary's
WAL position, the replica's replay position and the age of its last replayed commit. The
routing it drives is tested against a real replica in tests/test_replica_api.py."""

from __future__ import annotations

import pytest

from app.replica import ReplicaWatch

NOW = 1000.0


def watch(samples: list[tuple[float, int]], replayed: int) -> ReplicaWatch:
    judged = ReplicaWatch("", "", max_lag=1.0)
    judged.samples.extend(samples)
    judged.replayed = replayed
    return judged


@pytest.mark.parametrize(
    ("samples", "replayed", "replay_age", "expected"),
    [
        # Replayed the latest sample: no lag, however old its last commit (an idle store).
        ([(999.8, 100), (1000.0, 200)], 200, 3600.0, ("streaming", 0.0)),
        # Behind the latest: the age of its last commit when that is the tighter bound...
        ([(999.8, 100), (1000.0, 200)], 150, 0.004, ("streaming", 0.004)),
        # ...or the age of the newest sample it has replayed.
        ([(999.0, 100), (999.8, 150), (1000.0, 200)], 150, 5.0, ("streaming", 0.2)),
        # Both bounds past REPLICA_MAX_LAG: lagging.
        ([(998.0, 100), (998.5, 150), (1000.0, 200)], 120, 1.7, ("lagging", 1.7)),
        # Nothing replayed yet and behind every sample kept: at least as old as the oldest.
        ([(998.5, 100), (1000.0, 200)], 50, None, ("lagging", 1.5)),
        # A replica's clock ahead of the primary's gives no negative lag.
        ([(999.8, 100), (1000.0, 200)], 150, -0.01, ("streaming", 0.0)),
    ],
)
def test_the_lag_is_the_tighter_of_two_bounds(samples, replayed, replay_age, expected):
    state, lag = watch(samples, replayed).judge(NOW, replay_age)
    assert state == expected[0]
    assert lag == pytest.approx(expected[1])
