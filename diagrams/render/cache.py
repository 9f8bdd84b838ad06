"""An in-memory LRU of rendered diagrams, bounded by total bytes.

The DOT source is a deterministic function of what a view reads, so a hash of the source
(with format, engine and renderer) is a hash of the view's input: the same catalogue
state never lays out the same view twice.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class Sized(Protocol):
    data: bytes


V = TypeVar("V", bound=Sized)


def cache_key(*parts: str | Iterable[str]) -> str:
    """A SHA-256 over ``parts``, each length-prefixed so that no two tuples collide.

    >>> parts = ("digraph{a}", "svg", "dot", "wasm")
    >>> cache_key(*parts) == cache_key(*parts)
    True
    >>> cache_key("ab", "c") == cache_key("a", "bc")
    False
    >>> len(cache_key("x", ("sfdp", "neato")))
    64
    """
    digest = hashlib.sha256()
    for part in parts:
        text = part if isinstance(part, str) else "\x1f".join(part)
        raw = text.encode("utf-8")
        digest.update(len(raw).to_bytes(8, "big"))
        digest.update(raw)
    return digest.hexdigest()


class ByteLRU(Generic[V]):
    """Least-recently-used entries go first once their ``data`` exceed ``max_bytes``.

    Thread-safe: the web app renders from a thread pool.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Blob:
    ...     data: bytes
    >>> lru = ByteLRU(max_bytes=10)
    >>> lru.put("a", Blob(b"12345")); lru.put("b", Blob(b"12345"))
    >>> lru.get("a").data           # "a" is now the most recently used
    b'12345'
    >>> lru.put("c", Blob(b"123"))  # over 10 bytes: "b" goes
    >>> lru.get("b") is None, lru.total
    (True, 8)
    >>> lru.put("huge", Blob(b"x" * 11))  # larger than the whole cache: not kept
    >>> lru.get("huge") is None
    True
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.total = 0
        self._entries: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: V) -> None:
        size = len(value.data)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.total -= len(old.data)
            self._entries[key] = value
            self.total += size
            while self.total > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.total -= len(evicted.data)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._entries)


__all__ = ["DEFAULT_MAX_BYTES", "ByteLRU", "cache_key"]
