"""JSON encoding for the few answers the runtime builds itself (errors, hooks)."""

import json
from typing import Any


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).encode()
