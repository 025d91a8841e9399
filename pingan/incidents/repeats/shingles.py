"""Character n-gram shingles and MinHash signatures, vectorised with numpy.

All texts of a batch are laid end to end as one UTF-32 code-point array; the n-grams of every
text are then a few array operations (no Python loop over characters). A shingle is hashed to 32
bits; the K MinHash values are ``min((a_k·h + b_k) mod 2^64 >> 32)`` per text (multiply-shift
universal hashing, computed in uint64 with wrap-around). Shingles found in very many texts (stock
phrasing that the boilerplate list missed) are dropped before MinHash: otherwise every report of
the same kind collides in the LSH buckets and the candidate pairs multiply 100–1000×.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SEPARATOR = 0  # code point that never occurs in the texts
_MIX = np.uint64(0x9E3779B97F4A7C15)
_RNG_SEED = 20240101
EMPTY = np.uint32(0xFFFFFFFF)


def _mix64(x: np.ndarray) -> np.ndarray:
    """A 64-bit mixer (splitmix64 finaliser), vectorised; wraps around on purpose."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def shingle_hashes(texts: list[str], n: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hash): for every n-gram of every text, the index of its text and a 32-bit hash.
    Texts shorter than n give their whole text as one shingle (if not empty)."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.uint32)
    joined = "\x00".join(texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    owner_of_char = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint32)
    combined = codes[:m].copy()
    valid = codes[:m] != SEPARATOR
    for k in range(1, n):
        combined = (combined << np.uint64(21)) | codes[k: k + m]
        valid &= codes[k: k + m] != SEPARATOR
    owner = owner_of_char[:m][valid]
    hashed = (_mix64(combined[valid]) >> np.uint64(32)).astype(np.uint32)
    short = np.nonzero((lengths > 0) & (lengths < n))[0]
    if len(short):  # a one-character text still has one shingle
        firsts = np.array([ord(texts[i][0]) for i in short], dtype=np.uint64)
        extra = (_mix64(firsts) >> np.uint64(32)).astype(np.uint32)
        owner = np.concatenate([owner, short])
        hashed = np.concatenate([hashed, extra])
        order = np.argsort(owner, kind="stable")
        owner, hashed = owner[order], hashed[order]
    return owner, hashed


DF_BITS = 22


def document_frequency(owner: np.ndarray, hashed: np.ndarray) -> np.ndarray:
    """Approximate document frequency per shingle, in 2^22 buckets (a collision only overstates)."""
    bucket = (hashed & np.uint32((1 << DF_BITS) - 1)).astype(np.int64)
    # Count each (text, shingle) once.
    key = owner * (1 << DF_BITS) + bucket
    key = np.unique(key)
    return np.bincount((key & ((1 << DF_BITS) - 1)).astype(np.int64), minlength=1 << DF_BITS)


def frequent_mask(hashed: np.ndarray, df: np.ndarray, limit: int) -> np.ndarray:
    """True for shingles that occur in more than ``limit`` texts."""
    return df[(hashed & np.uint32((1 << DF_BITS) - 1)).astype(np.int64)] > limit


@lru_cache(maxsize=8)
def hash_params(k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(_RNG_SEED)
    a = rng.integers(1, 2**63, size=k, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=k, dtype=np.uint64)
    return a, b


def minhash(owner: np.ndarray, hashed: np.ndarray, n_texts: int, k: int = 24) -> np.ndarray:
    """(n_texts, k) uint32 signatures; a text with no shingle gets EMPTY in every slot.
    ``owner`` must be sorted ascending (as shingle_hashes returns it)."""
    sig = np.full((n_texts, k), EMPTY, dtype=np.uint32)
    if len(owner) == 0:
        return sig
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    present = owner[starts]
    a, b = hash_params(k)
    h = hashed.astype(np.uint64)
    with np.errstate(over="ignore"):
        if len(h) * k <= 1 << 20:  # small batches (the online check): all k at once
            values = ((h[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)
            sig[present] = np.minimum.reduceat(values, starts, axis=0)
            return sig
        for j in range(k):
            values = ((h * a[j] + b[j]) >> np.uint64(32)).astype(np.uint32)
            sig[present, j] = np.minimum.reduceat(values, starts)
    return sig


def band_keys(sig: np.ndarray, bands: int) -> np.ndarray:
    """(n, bands) uint64 LSH bucket keys: each band's rows hashed together with the band number.
    Rows of EMPTY signatures get key 0 (never matched)."""
    n, k = sig.shape
    rows = k // bands
    seeds = (np.arange(1, bands + 1, dtype=np.uint64) * _MIX)[None, :]
    acc = np.broadcast_to(seeds, (n, bands)).copy()
    with np.errstate(over="ignore"):
        grid = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
        for r in range(rows):
            acc = _mix64(acc ^ grid[:, :, r])
    acc |= np.uint64(1)
    acc[sig[:, 0] == EMPTY] = 0
    return acc
