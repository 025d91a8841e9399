"""Blocking keys and a sorted uint64 key index.

A key is a 64-bit hash of (kind, value): the caller's phone, the place (village, 组), a person named
in the township, an LSH band of the content. Two incidents are *candidates* when they share a key
and are close enough in time for that kind of key. The batch path finds candidates by sorting all
keys once (records are in time order, so a stable sort keeps each key's records in time order) and
comparing each entry with its next few neighbours; the online path keeps the same sorted arrays
and answers "which records carry this key between t0 and t1" with two binary searches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from pingan.incidents.repeats.shingles import _mix64

PHONE, PLACE, NAME, BAND = 1, 2, 3, 4


def hash_text(text: str) -> int:
    """A stable 63-bit hash of a string (the same in every process), 0 for ""."""
    if not text:
        return 0
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") >> 1 | 1


def make_keys(kind: int, *parts: np.ndarray) -> np.ndarray:
    """Vectorised key of (kind, parts…); rows where any part is 0 or negative get key 0 (no key)."""
    acc = np.full(len(parts[0]), np.uint64((kind * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
    valid = np.ones(len(parts[0]), dtype=bool)
    for part in parts:
        part = np.asarray(part)
        valid &= part > 0 if part.dtype.kind == "i" else part != 0
        acc = _mix64(acc ^ part.astype(np.uint64))
    acc |= np.uint64(1)
    acc[~valid] = 0
    return acc


def neighbour_pairs(keys: np.ndarray, rows: np.ndarray, t: np.ndarray, window: float,
                    max_neighbours: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) row pairs sharing a key with 0 < t[j] - t[i] <= window (or equal times, i < j),
    each entry compared with at most ``max_neighbours`` following entries of the same key.
    ``rows`` must be in ascending time order for each key (a stable sort keeps it so)."""
    keep = keys != 0
    keys, rows = keys[keep], rows[keep]
    order = np.argsort(keys, kind="stable")
    ks, rs = keys[order], rows[order]
    ts = t[rs]
    out_i, out_j = [], []
    for off in range(1, max_neighbours + 1):
        if off >= len(ks):
            break
        same = ks[off:] == ks[:-off]
        if not same.any():
            break
        sel = same & (ts[off:] - ts[:-off] <= window)
        if sel.any():
            out_i.append(rs[:-off][sel])
            out_j.append(rs[off:][sel])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    return np.minimum(i, j), np.maximum(i, j)


@dataclass
class KeyIndex:
    """Sorted (key, time) entries of many records, for point look-ups.

    Each distinct key is a block of entries in time order; ``comp`` = block number × 2^34 + seconds
    since the earliest entry, so "entries of key k between t0 and t1" is two binary searches in one
    int64 array, done for all the keys of a query at once."""

    keys: np.ndarray  # uint64, ascending; within a key, ascending time
    rows: np.ndarray  # int64 row of each entry
    blocks: np.ndarray  # the distinct keys, ascending
    comp: np.ndarray  # int64 block × 2^34 + relative seconds, ascending
    t0: float

    @classmethod
    def build(cls, key_matrix: np.ndarray, t: np.ndarray) -> KeyIndex:
        """``key_matrix`` is (n, m): the keys of row r are key_matrix[r] (0 = none); rows in time order."""
        n, m = key_matrix.shape
        keys = key_matrix.reshape(-1)
        keep = np.flatnonzero(keys)  # entry positions row-major, so rows stay in time order
        keys = keys[keep]
        rows = (keep // m).astype(np.int32 if n < 2**31 else np.int64)
        del keep
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        del order
        t0 = float(t.min()) if len(t) else 0.0
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        block = np.cumsum(np.r_[0, (keys[1:] != keys[:-1]).astype(np.int64)]) if len(keys) else np.zeros(0, np.int64)
        comp = (block << 34) + (t[rows] - t0).astype(np.int64)
        return cls(np.zeros(0, np.uint64), rows, keys[starts], comp, t0)

    def lookup(self, keys: np.ndarray, t0: np.ndarray, t1: np.ndarray, limit: int = 0) -> np.ndarray:
        """Rows carrying any of ``keys`` with a time in [t0[k], t1[k]] for that key; with ``limit``,
        only the ``limit`` latest of each key (as the batch compares each entry with its nearest)."""
        keys = np.asarray(keys, dtype=np.uint64)
        b = np.searchsorted(self.blocks, keys)
        b = np.minimum(b, max(len(self.blocks) - 1, 0))
        hit = (len(self.blocks) > 0) & (self.blocks[b] == keys) if len(self.blocks) else np.zeros(len(keys), bool)
        if not hit.any():
            return np.zeros(0, np.int64)
        b = b[hit].astype(np.int64)
        lo_t = np.maximum(np.broadcast_to(t0, keys.shape)[hit] - self.t0, 0).astype(np.int64)
        hi_t = np.maximum(np.broadcast_to(t1, keys.shape)[hit] - self.t0, -1).astype(np.int64)
        x = np.searchsorted(self.comp, (b << 34) + lo_t, side="left")
        y = np.searchsorted(self.comp, (b << 34) + hi_t, side="right")
        if limit:
            x = np.maximum(x, y - limit)
        sizes = np.maximum(y - x, 0)
        total = int(sizes.sum())
        if not total:
            return np.zeros(0, np.int64)
        offsets = np.repeat(x - np.cumsum(np.r_[0, sizes[:-1]]), sizes)
        return np.unique(self.rows[offsets + np.arange(total)])

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.rows.nbytes + self.comp.nbytes + self.blocks.nbytes
