"""The repeat-analysis engine: which earlier incidents does an incident repeat, and why.

Three kinds of repeat, each a rule over explainable evidence between two incidents:

* 同一事件多人报警 (multi_caller): within a few hours, the same place (the same village, or — when a
  village is unknown — an address written alike), no contradicting 组/门牌/parties, similar content.
* 同一报警人重复报警 (same_caller): the same caller number within a month about the same matter
  (similar content, or same category with the same place or people).
* 同一当事人/户反复纠纷 (recurring_dispute): two dispute incidents within half a year naming the same
  people (two of them, or one plus the same household/group or number).

The pipeline is columnar: ``prepare`` normalises every record once (names, 组, phone, content core,
MinHash bands), candidate pairs come from shared blocking keys (index.py), and ``verify`` decides
all candidate pairs at once with numpy and rapidfuzz (C, multi-threaded). Only accepted pairs get
their reasons written in words. ``cluster`` joins accepted pairs into groups with a union–find that
honours people's decisions: confirmed groups stay together, split-off incidents never rejoin.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from pingan.incidents.repeats import normalise as nz
from pingan.incidents.repeats import shingles
from pingan.incidents.repeats.index import (
    BAND,
    NAME,
    PHONE,
    PLACE,
    KeyIndex,
    hash_text,
    neighbour_pairs,
)
from pingan.incidents.repeats.shingles import _mix64

MULTI, CALLER, DISPUTE = 1, 2, 3
KIND_CODES = {MULTI: "multi_caller", CALLER: "same_caller", DISPUTE: "recurring_dispute"}
KIND_LABELS = {MULTI: "同一事件多人报警", CALLER: "同一报警人重复报警", DISPUTE: "同一当事人/户反复纠纷"}
CODE_TO_KIND = {v: k for k, v in KIND_CODES.items()}
DISPUTE_TOPS = frozenset({"纠纷"})
MAX_PARTIES = 3
MAX_DETAILS = 3
SHINGLE_SLICE = 100_000
HOUR = 3600.0
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Record:
    """One incident as the engine sees it (no Django)."""

    id: int
    number: str
    t: float  # received at, seconds since the epoch
    phone: str = ""
    caller: str = ""
    address: str = ""
    village: int | None = None  # resolved village-level area id
    township: int | None = None
    top: str = ""  # top-level category (刑事, 治安, 纠纷 …)
    sub: str = ""  # the category itself (入户盗窃 …; = top when only the top level is known)
    content: str = ""
    place_names: tuple[str, ...] = ()  # the place names matched in the address
    candidates: tuple[int, ...] = ()  # villages the address may mean when it is ambiguous


@dataclass(frozen=True)
class Params:
    ngram: int = 2  # Chinese words are mostly two characters: bigrams survive re-ordering best
    k: int = 24  # MinHash values per text
    bands: int = 12  # LSH bands of k/bands rows
    df_share: float = 0.005  # a shingle in more than this share of texts is stock phrasing
    df_min: int = 50
    neighbours: int = 16  # per key, each entry is compared with this many following entries
    multi_hours: float = 3.0
    caller_days: float = 30.0
    dispute_days: float = 180.0
    band_hours: float = 3.0  # LSH bands serve the multi-caller kind (phone and name keys the others)
    sim_multi: float = 52.0
    sim_multi_loose: float = 30.0  # with the same 组 (or 门牌) and category
    sim_caller: float = 45.0
    sim_dispute: float = 35.0
    addr_sim: float = 62.0
    sim_border: float = 70.0  # two villages of one township, within the hour


@dataclass
class Features:
    """Columnar, normalised view of records (row r ↔ records[r]); rows are in time order."""

    ids: np.ndarray
    numbers: list[str]
    t: np.ndarray
    phone: np.ndarray
    caller: np.ndarray
    village: np.ndarray
    cand: np.ndarray  # (n, 2) candidate villages of an ambiguous address, 0 = none
    township: np.ndarray
    group: np.ndarray
    house: np.ndarray
    top: np.ndarray
    sub: np.ndarray
    dispute: np.ndarray
    parties: np.ndarray  # (n, MAX_PARTIES) name hashes, 0 = none
    details: np.ndarray  # (n, MAX_DETAILS) hashes of counted details (14只, 2000元), 0 = none
    core: list[str]
    addr: list[str]
    names: list[str]  # caller first, then the parties, joined by "|" (for the reasons)
    subs: list[str]
    raw_addr: list[str]
    bands: np.ndarray  # (n, bands) LSH keys
    df: np.ndarray | None = None
    df_limit: int = 0

    def __len__(self) -> int:
        return len(self.ids)

    def people(self, rows: np.ndarray | None = None) -> np.ndarray:
        """(n, 1 + MAX_PARTIES) hashes of the caller and the parties (of ``rows`` only, if given)."""
        if rows is None:
            return np.column_stack([self.caller, self.parties])
        return np.column_stack([self.caller[rows], self.parties[rows]])


@lru_cache(maxsize=50_000)
def _address(text: str, place_names: tuple[str, ...]) -> tuple[nz.Address, str]:
    """Addresses repeat (the same 组 written the same way): each distinct one is parsed once."""
    cleaned = nz.numerals_to_digits(nz.clean(text))
    return nz.parse_clean_address(cleaned, place_names), nz.canonical_clean_address(cleaned)


def _normalise_one(r: Record) -> tuple:
    phone = nz.normalise_phone(r.phone)
    address, addr = _address(r.address, r.place_names)
    caller = nz.clean(r.caller)
    if len(caller) < 2:
        caller = ""
    content = nz.to_halfwidth(r.content)
    parties = tuple(n for n in nz.extract_names(content, halfwidth=True) if n != caller)[:MAX_PARTIES]
    core = nz.content_core(content, halfwidth=True)
    return phone, address.group, address.house, caller, parties, core, addr, nz.details(core)[:MAX_DETAILS]


@dataclass
class _Normalised:
    """The normalised columns of a run of records (hashes as arrays, texts as lists)."""

    phone: np.ndarray
    caller: np.ndarray
    group: np.ndarray
    house: np.ndarray
    parties: np.ndarray
    details: np.ndarray
    core: list[str]
    addr: list[str]
    names: list[str]

    @classmethod
    def of(cls, records: Sequence[Record]) -> _Normalised:
        """Columns straight away, record by record: no list of per-record tuples is kept (at a
        million records those cost ~0.4 GB that the allocator does not give back)."""
        n = len(records)
        out = cls(np.zeros(n, np.uint64), np.zeros(n, np.uint64), np.full(n, -1, np.int32), np.full(n, -1, np.int32),
                  np.zeros((n, MAX_PARTIES), np.uint64), np.zeros((n, MAX_DETAILS), np.uint64), [], [], [])
        hashed: dict[str, int] = {}

        def h(text: str) -> int:
            value = hashed.get(text)
            if value is None:
                value = hashed[text] = hash_text(text)
            return value

        for r, record in enumerate(records):
            phone, group, house, caller, parties, core, addr, details = _normalise_one(record)
            out.phone[r] = hash_text(phone)
            out.caller[r] = h(caller)
            if group is not None:
                out.group[r] = group
            if house is not None:
                out.house[r] = house
            for c, name in enumerate(parties):
                out.parties[r, c] = h(name)
            for c, item in enumerate(details):
                out.details[r, c] = h(item)
            out.core.append(core)
            out.addr.append(addr)
            out.names.append("|".join(((caller,) if caller else ()) + parties))
        return out


_FORKED: Sequence[Record] = ()


def _normalise_range(bounds: tuple[int, int]) -> _Normalised:
    return _Normalised.of(_FORKED[bounds[0]:bounds[1]])


def normalise_all(records: Sequence[Record], workers: int = 1) -> _Normalised:
    """Every record through _normalise_one, as columns; with ``workers`` > 1 (and many records) in
    forked processes that read the records from the parent's memory (only the columns come back)."""
    global _FORKED
    if workers > 1 and len(records) > 20_000:
        import multiprocessing as mp

        step = max(5000, len(records) // (workers * 8))
        _FORKED = records
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_normalise_range, [(k, k + step) for k in range(0, len(records), step)])
        finally:
            _FORKED = ()
        return _Normalised(**_joined(parts, _Normalised))
    return _Normalised.of(records)


@dataclass
class _RecordColumns:
    """What the features take from the records as they are (the strings are shared, not copied)."""

    ids: np.ndarray
    numbers: list[str]
    t: np.ndarray
    village: np.ndarray
    cand: np.ndarray
    township: np.ndarray
    top: np.ndarray
    sub: np.ndarray
    dispute: np.ndarray
    subs: list[str]
    raw_addr: list[str]

    @classmethod
    def of(cls, records: Sequence[Record]) -> _RecordColumns:
        n = len(records)
        return cls(
            ids=np.fromiter((r.id for r in records), dtype=np.int64, count=n),
            numbers=[r.number for r in records],
            t=np.fromiter((r.t for r in records), dtype=np.float64, count=n),
            village=np.fromiter((r.village or 0 for r in records), dtype=np.int64, count=n),
            cand=np.array([(tuple(r.candidates[:2]) + (0, 0))[:2] for r in records], dtype=np.int64).reshape(n, 2),
            township=np.fromiter((r.township or 0 for r in records), dtype=np.int64, count=n),
            top=np.fromiter((_label_hash(r.top) for r in records), dtype=np.uint64, count=n),
            sub=np.fromiter((_label_hash(r.sub or r.top) for r in records), dtype=np.uint64, count=n),
            dispute=np.fromiter((r.top in DISPUTE_TOPS for r in records), dtype=bool, count=n),
            subs=[r.sub or r.top for r in records], raw_addr=[r.address for r in records])


@lru_cache(maxsize=4096)
def _label_hash(label: str) -> int:
    return hash_text(label)


def _joined(parts: Sequence, kind: type) -> dict:
    """Columns of several runs, end to end (arrays concatenated, lists chained)."""
    out = {}
    for name in kind.__dataclass_fields__:
        values = [getattr(p, name) for p in parts]
        out[name] = np.concatenate(values) if isinstance(values[0], np.ndarray) else [x for v in values for x in v]
    return out


def prepare(records: Sequence[Record], params: Params = Params(), *, df: np.ndarray | None = None,
            df_limit: int = 0, workers: int = 1) -> Features:
    """Features of ``records`` (which must be in time order). ``df`` is the shingle document
    frequency of the corpus the stock phrasing is judged on (None: these records themselves)."""
    return prepare_stream([records], params, df=df, df_limit=df_limit, workers=workers)


def prepare_stream(chunks: Iterable[Sequence[Record]], params: Params = Params(), *,
                   df: np.ndarray | None = None, df_limit: int = 0, workers: int = 1) -> Features:
    """Features of records that arrive in runs (each in time order, the runs one after the other):
    a run's Record objects may be dropped by the caller once the next is asked for, so a million
    records never need to be held at once — only their features."""
    texts: list[_Normalised] = []
    plain: list[_RecordColumns] = []
    for chunk in chunks:
        texts.append(normalise_all(chunk, workers))
        plain.append(_RecordColumns.of(chunk))
    if not texts:  # nothing arrived: the features of no records
        texts, plain = [normalise_all([], workers)], [_RecordColumns.of([])]
    cols = _Normalised(**_joined(texts, _Normalised)) if len(texts) > 1 else texts[0]
    rec = _RecordColumns(**_joined(plain, _RecordColumns)) if len(plain) > 1 else plain[0]
    del texts, plain
    core = cols.core
    n = len(core)
    # Shingles in slices of texts, so the transient arrays stay small whatever the corpus size. With
    # no given ``df`` the slices are shingled twice (once to count, once to sign): keeping every
    # slice's shingles between the passes would cost ~0.5 GB per million texts for ~3 s of CPU.
    slices = [(a, min(a + SHINGLE_SLICE, n)) for a in range(0, n, SHINGLE_SLICE)]
    if df is None:
        df = np.zeros(1 << shingles.DF_BITS, dtype=np.int64)
        for a, b in slices:
            df += shingles.document_frequency(*shingles.shingle_hashes(core[a:b], params.ngram))
        df_limit = max(params.df_min, int(params.df_share * n))
    limit = df_limit
    sig = np.empty((n, params.k), dtype=np.uint32)
    for a, b in slices:
        owner, hashed = shingles.shingle_hashes(core[a:b], params.ngram)
        keep = ~shingles.frequent_mask(hashed, df, limit)
        sig[a:b] = shingles.minhash(owner[keep], hashed[keep], b - a, params.k)
    return Features(
        ids=rec.ids, numbers=rec.numbers, t=rec.t, phone=cols.phone, caller=cols.caller, village=rec.village,
        cand=rec.cand, township=rec.township, group=cols.group, house=cols.house, top=rec.top, sub=rec.sub,
        dispute=rec.dispute, parties=cols.parties, details=cols.details, core=core, addr=cols.addr,
        names=cols.names, subs=rec.subs, raw_addr=rec.raw_addr,
        bands=shingles.band_keys(sig, params.bands), df=df, df_limit=limit,
    )


def key_columns(f: Features, params: Params, cols: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(n, m) keys of every row and the time window (seconds) of each key column: the phone, the
    place (village or township, 组), each person named (within the township), each LSH band.
    ``cols`` picks some columns only (the batch builds one group of columns at a time, so the
    transient arrays stay a few columns wide whatever m is)."""
    n = len(f)
    people = f.people()
    p, b = people.shape[1], f.bands.shape[1]
    kinds = [PHONE, PLACE] + [NAME] * p + [BAND] * b
    windows = np.array([params.dispute_days * DAY, params.multi_hours * HOUR]
                       + [params.dispute_days * DAY] * p + [params.band_hours * HOUR] * b)
    cols = list(range(2 + p + b)) if cols is None else list(cols)
    ones = np.ones(n, np.uint64)
    out = np.empty((n, len(cols)), dtype=np.uint64)
    for k, c in enumerate(cols):
        if c == 0:
            first, second = f.phone, ones
        elif c == 1:
            first = np.where(f.village != 0, f.village, f.township).astype(np.uint64)
            second = (f.group + 2).astype(np.uint64)
        elif c < 2 + p:
            first, second = np.where(f.township != 0, f.township, 1).astype(np.uint64), people[:, c - 2]
        else:
            first, second = f.bands[:, c - 2 - p], ones
        with np.errstate(over="ignore"):
            acc = _mix64(np.uint64(kinds[c]) * np.uint64(0x9E3779B97F4A7C15) ^ first)
            acc = _mix64(acc ^ second) | np.uint64(1)
        acc[(first == 0) | (second == 0)] = 0
        out[:, k] = acc
    return out, windows[cols]


def candidate_pairs(f: Features, params: Params = Params()) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i < j) that share a blocking key within that key's window."""
    n = len(f)
    rows = np.arange(n, dtype=np.int64)
    people = 1 + MAX_PARTIES
    # Columns whose keys may meet: the people named (a caller here is a party there); every other
    # column alone (each LSH band carries its band number), so memory stays O(n).
    groups = [[0], [1], list(range(2, 2 + people))] + [[c] for c in range(2 + people, 2 + people + f.bands.shape[1])]
    found = []
    for cols in groups:
        keys, windows = key_columns(f, params, cols)
        flat = keys.T.reshape(-1)
        del keys
        i, j = neighbour_pairs(flat, np.tile(rows, len(cols)), f.t, float(windows[0]), params.neighbours)
        found.append(np.unique(i * n + j))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    code = np.unique(np.concatenate(found))
    return code // n, code % n


@dataclass
class Verdict:
    kind: np.ndarray  # 0 = not a repeat
    score: np.ndarray
    sim: np.ndarray
    addr_sim: np.ndarray
    shared: np.ndarray


def _scores(a: list[str], ia: np.ndarray, b: list[str], jb: np.ndarray, workers: int) -> np.ndarray:
    if len(ia) == 0:
        return np.zeros(0, np.float32)
    left = [a[i] for i in ia.tolist()]
    right = [b[j] for j in jb.tolist()]
    return process.cpdist(left, right, scorer=fuzz.ratio, workers=workers, dtype=np.float32)


def verify(fa: Features, ia: np.ndarray, fb: Features, jb: np.ndarray, params: Params = Params(),
           workers: int = 1) -> Verdict:
    """Decide every pair (fa[ia[p]], fb[jb[p]]) at once."""
    dt_h = np.abs(fb.t[jb] - fa.t[ia]) / HOUR
    same_phone = (fa.phone[ia] == fb.phone[jb]) & (fa.phone[ia] != 0)
    va, vb = fa.village[ia], fb.village[jb]
    vk = (va != 0) & (vb != 0)
    same_village = vk & (va == vb)
    village_conflict = vk & (va != vb)
    ta, tb = fa.township[ia], fb.township[jb]
    township_conflict = (ta != 0) & (tb != 0) & (ta != tb)
    ga, gb = fa.group[ia], fb.group[jb]
    group_known = (ga >= 0) & (gb >= 0)
    group_conflict = group_known & (ga != gb)
    same_group = group_known & (ga == gb)
    ha, hb = fa.house[ia], fb.house[jb]
    house_conflict = (ha >= 0) & (hb >= 0) & (ha != hb)
    same_house = (ha >= 0) & (ha == hb) & same_group
    pa, pb = fa.people(ia), fb.people(jb)
    shared = np.zeros(len(ia), dtype=np.int32)
    for x in range(pa.shape[1]):
        hit = np.zeros(len(ia), dtype=bool)
        for y in range(pb.shape[1]):
            hit |= pa[:, x] == pb[:, y]
        shared += (hit & (pa[:, x] != 0)).astype(np.int32)
    parties_a = (fa.parties[ia] != 0).any(axis=1)
    parties_b = (fb.parties[jb] != 0).any(axis=1)
    party_conflict = parties_a & parties_b & (shared == 0)
    ca, cb = fa.cand[ia], fb.cand[jb]
    maybe_same_village = (((ca[:, 0] == vb) | (ca[:, 1] == vb)) & (vb != 0)) | (
        ((cb[:, 0] == va) | (cb[:, 1] == va)) & (va != 0))
    same_sub = fa.sub[ia] == fb.sub[jb]
    da, db = fa.details[ia], fb.details[jb]
    shared_detail = np.zeros(len(ia), dtype=bool)
    for x in range(da.shape[1]):
        for y in range(db.shape[1]):
            shared_detail |= (da[:, x] == db[:, y]) & (da[:, x] != 0)
    detail_conflict = (da[:, 0] != 0) & (db[:, 0] != 0) & ~shared_detail
    both_dispute = fa.dispute[ia] & fb.dispute[jb]
    sim = _scores(fa.core, ia, fb.core, jb, workers)
    addr_sim = _scores(fa.addr, ia, fb.addr, jb, workers)
    no_conflict = ~group_conflict & ~house_conflict & ~party_conflict

    same_township = (ta != 0) & (ta == tb)
    # An event on a village border is reported from both sides: neighbouring villages of one
    # township, within the hour, told nearly alike.
    border = village_conflict & same_township & (dt_h <= 1) & (sim >= params.sim_border)
    place_ok = same_village | border | (~vk & ~township_conflict & (maybe_same_village | (addr_sim >= params.addr_sim)))
    multi = (dt_h <= params.multi_hours) & place_ok & no_conflict & ~detail_conflict & (
        (sim >= params.sim_multi)
        | (same_sub & (same_group | same_house) & ((sim >= params.sim_multi_loose) | shared_detail)))
    caller = same_phone & (dt_h <= params.caller_days * 24) & ~village_conflict & no_conflict & (
        (sim >= params.sim_caller) | (same_sub & (same_group | same_house | (shared >= 2))))
    # Parties may live in neighbouring villages (a 草场 boundary between two 嘎查): then both must be named.
    dispute = both_dispute & (dt_h <= params.dispute_days * 24) & ~township_conflict & (
        (shared >= 2) | (~village_conflict & (shared >= 1)
                         & (same_house | same_phone | (same_group & (sim >= params.sim_dispute)))))
    kind = np.zeros(len(ia), dtype=np.int8)
    kind[multi] = MULTI
    kind[caller & ~(dispute & (dt_h > 24))] = CALLER
    kind[dispute & ((dt_h > 24) | (kind == 0))] = DISPUTE
    score = (sim / 100 + 0.4 * same_phone + 0.25 * np.minimum(shared, 2) + 0.15 * same_group
             + 0.15 * same_village - np.minimum(dt_h / (24 * 180), 1) * 0.2).astype(np.float32)
    return Verdict(kind, score, sim, addr_sim, shared)


def verify_chunked(f: Features, i: np.ndarray, j: np.ndarray, params: Params = Params(), workers: int = 1,
                   chunk: int = 500_000) -> Verdict:
    """verify() over many pairs in slices, so memory stays bounded by the slice, not the pair count."""
    parts = [verify(f, i[k:k + chunk], f, j[k:k + chunk], params, workers) for k in range(0, len(i), chunk)]
    if not parts:
        return verify(f, i, f, j, params, workers)
    return Verdict(*(np.concatenate([getattr(p, name) for p in parts])
                     for name in ("kind", "score", "sim", "addr_sim", "shared")))


def _apart(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < HOUR:
        return f"相隔{max(1, round(seconds / 60))}分钟"
    if seconds < DAY:
        return f"相隔{seconds / HOUR:.1f}小时".replace(".0小时", "小时")
    return f"相隔{round(seconds / DAY)}天"


def reasons(fa: Features, i: int, fb: Features, j: int, kind: int, sim: float, shared: int) -> list[str]:
    """The evidence of one accepted link, in words."""
    out = [KIND_LABELS[kind]]
    if fa.phone[i] != 0 and fa.phone[i] == fb.phone[j]:
        out.append("报警电话相同")
    same_place = fa.village[i] != 0 and fa.village[i] == fb.village[j]
    place = fa.addr[i] if same_place else ""
    if fa.group[i] >= 0 and fa.group[i] == fb.group[j]:
        place = f"{fa.group[i]}组"
    if same_place or (fa.addr[i] and fa.addr[i] == fb.addr[j]):
        if fa.raw_addr[i].strip() != fb.raw_addr[j].strip() and fa.raw_addr[i] and fb.raw_addr[j]:
            out.append(f"同一地点，写法不同：“{fa.raw_addr[i]}”与“{fb.raw_addr[j]}”")
        else:
            out.append(f"同一地点：{fa.raw_addr[i] or place}")
    elif fa.addr[i] and fb.addr[j]:
        out.append(f"地点相近：“{fa.raw_addr[i]}”与“{fb.raw_addr[j]}”")
    if shared:
        theirs = set(fb.names[j].split("|"))
        common = [n for n in fa.names[i].split("|") if n and n in theirs]
        if common:
            out.append("涉及相同人员：" + "、".join(common))
    if sim >= 30:
        out.append(f"内容相似（相似度{sim:.0f}%）")
    if fa.subs[i] == fb.subs[j] and fa.subs[i]:
        out.append(f"同一类别：{fa.subs[i]}")
    out.append(_apart(float(fb.t[j] - fa.t[i])))
    return out


@dataclass(frozen=True)
class Link:
    earlier: int  # record id
    later: int
    kind: int
    score: float
    sim: float
    reasons: tuple[str, ...]


@dataclass
class Group:
    members: list[int]  # record ids, in time order
    kind: int
    links: list[Link] = field(default_factory=list)

    @property
    def kind_code(self) -> str:
        return KIND_CODES[self.kind]


@dataclass
class Decisions:
    """People's word on groups, kept across re-analysis: ``together`` pairs were confirmed to be
    one matter, ``apart`` pairs were split (a link between them is never made again, nor a group
    that holds both)."""

    together: set[tuple[int, int]] = field(default_factory=set)
    apart: set[tuple[int, int]] = field(default_factory=set)

    @staticmethod
    def key(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)

    def is_apart(self, a: int, b: int) -> bool:
        return self.key(a, b) in self.apart


def links_from(fa: Features, ia: np.ndarray, fb: Features, jb: np.ndarray, v: Verdict,
               decisions: Decisions | None = None) -> list[Link]:
    """Accepted pairs as links (the earlier incident first), with reasons."""
    out = []
    for p in np.flatnonzero(v.kind).tolist():
        i, j = int(ia[p]), int(jb[p])
        a_id, b_id = int(fa.ids[i]), int(fb.ids[j])
        if decisions is not None and decisions.is_apart(a_id, b_id):
            continue
        if fa.t[i] > fb.t[j] or (fa.t[i] == fb.t[j] and a_id > b_id):
            why = reasons(fb, j, fa, i, int(v.kind[p]), float(v.sim[p]), int(v.shared[p]))
            out.append(Link(b_id, a_id, int(v.kind[p]), float(v.score[p]), float(v.sim[p]), tuple(why)))
        else:
            why = reasons(fa, i, fb, j, int(v.kind[p]), float(v.sim[p]), int(v.shared[p]))
            out.append(Link(a_id, b_id, int(v.kind[p]), float(v.score[p]), float(v.sim[p]), tuple(why)))
    return out


def cluster(links: Iterable[Link], decisions: Decisions | None = None,
            times: dict[int, float] | None = None) -> list[Group]:
    """Groups of two or more: union–find over the links, strongest first, never joining two parts
    that hold a pair people split apart; confirmed pairs are joined first."""
    decisions = decisions or Decisions()
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    apart_of: dict[int, set[int]] = {}
    for a, b in decisions.apart:
        apart_of.setdefault(a, set()).add(b)
        apart_of.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: int, b: int) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        ma, mb = members.setdefault(ra, [ra]), members.setdefault(rb, [rb])
        if apart_of and any(apart_of.get(x, set()).intersection(mb) for x in ma):
            return False
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        parent[rb] = ra
        ma.extend(mb)
        del members[rb]
        return True

    for a, b in sorted(decisions.together):
        union(a, b)
    kept: list[Link] = []
    for link in sorted(links, key=lambda x: (-x.score, x.earlier, x.later)):
        if union(link.earlier, link.later):
            kept.append(link)
    groups: dict[int, Group] = {}
    for root, ms in members.items():
        if len(ms) >= 2:
            order = sorted(ms, key=lambda m: ((times or {}).get(m, 0.0), m))
            groups[root] = Group(order, MULTI)
    for link in kept:
        g = groups.get(find(link.earlier))
        if g is not None:
            g.links.append(link)
    for g in groups.values():
        counts = Counter(link.kind for link in g.links)
        g.kind = max(counts, key=lambda k: (counts[k], -k)) if counts else MULTI
        g.links.sort(key=lambda x: (x.earlier, x.later))
    return sorted(groups.values(), key=lambda g: ((times or {}).get(g.members[0], 0.0), g.members[0]))


@dataclass
class Analysis:
    links: list[Link]
    groups: list[Group]
    candidates: int


def analyse(records: Sequence[Record], params: Params = Params(), decisions: Decisions | None = None,
            workers: int = 1) -> Analysis:
    """The whole batch: records (any order) → links and groups."""
    return analyse_stream([sorted(records, key=lambda r: (r.t, r.id))], params, decisions, workers)


def analyse_stream(runs: Iterable[Sequence[Record]], params: Params = Params(), decisions: Decisions | None = None,
                   workers: int = 1) -> Analysis:
    """The whole batch over records that arrive in runs, in (time, id) order (see prepare_stream)."""
    f = prepare_stream(runs, params, workers=workers)
    i, j = candidate_pairs(f, params)
    v = verify_chunked(f, i, j, params, workers=workers)
    links = links_from(f, i, f, j, v, decisions)
    times = {int(x): float(t) for x, t in zip(f.ids, f.t, strict=True)}
    return Analysis(links, cluster(links, decisions, times), len(i))


class OnlineIndex:
    """A year of incidents held for the online check of one new incident."""

    def __init__(self, records: Sequence[Record] = (), params: Params = Params(), workers: int = 1,
                 features: Features | None = None):
        """Of ``records``, or of their ``features`` already prepared (the records are then not needed)."""
        self.params = params
        self.f = features if features is not None else prepare(sorted(records, key=lambda r: (r.t, r.id)), params,
                                                               workers=workers)
        keys, self.windows = key_columns(self.f, params)
        self.index = KeyIndex.build(keys, self.f.t)

    def query(self, record: Record) -> list[Link]:
        """Links from ``record`` to the indexed incidents it repeats (earlier ones)."""
        q = prepare([record], self.params, df=self.f.df, df_limit=self.f.df_limit)
        keys, windows = key_columns(q, self.params)
        keys = keys[0]
        present = keys != 0
        rows = self.index.lookup(keys[present], record.t - windows[present], np.full(present.sum(), record.t),
                                 limit=self.params.neighbours)
        if len(rows) == 0:
            return []
        rows = rows[self.f.ids[rows] != record.id]
        zeros = np.zeros(len(rows), dtype=np.int64)
        v = verify(q, zeros, self.f, rows, self.params)
        return links_from(q, zeros, self.f, rows, v)


def epoch(value: dt.datetime) -> float:
    return value.timestamp()
