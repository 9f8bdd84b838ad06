"""The cyclic garbage collector paused while a large analysis allocates (the matcher,
the national overlap finder, the risk rules).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the matcher allocates hundreds of thousands of
    small sets and tuples next to a national snapshot's 230,000 items, and each automatic
    collection would walk all of them again to find no cycles (+60 % time). Reference
    counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = ["collector_paused"]
