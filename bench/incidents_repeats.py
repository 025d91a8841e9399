"""Speed of the repeat analysis (重复警情研判), run by hand — never in the suite.

    .venv/bin/python bench/incidents_repeats.py                       # 100k, 300k, 1M + online + pairwise
    .venv/bin/python bench/incidents_repeats.py --sizes 100000        # one size
    .venv/bin/python bench/incidents_repeats.py run --n 100000        # one run, JSON (used by the above)

Each size runs in its own process (so its peak memory is its own): it generates a year of
synthetic 110 records for one banner with planted repeats and hard negatives
(pingan.incidents.repeats.evalset), then times the batch analysis (normalise → MinHash/LSH and
blocking keys → vectorised verification with rapidfuzz → clusters) and scores it against the
planted truth. The largest size also builds the online index and times the check of 1,000 new
incidents one by one. The pairwise baseline — every pair compared with pure-Python 3-gram Jaccard
on the content — is timed on a sample and extrapolated to n(n-1)/2 pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def current_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate(n: int, seed: int = 3):
    from pingan.incidents.repeats import evalset

    s = int(n / 1.44)
    return evalset.generate(seed, singles=s, multi=s // 40, caller=s // 40, disputes=s // 50, negatives=s // 10,
                            days=365)


CHUNK = 50_000


def write_dataset(n: int, path: Path) -> None:
    """Generate in this (child) process and write to ``path``: the truth, then the records in time
    order, in pickled runs of CHUNK — the way a year streams out of the database."""
    import pickle

    data = generate(n)
    records = sorted(data.records, key=lambda r: (r.t, r.id))
    with open(path, "wb") as fh:
        pickle.dump((len(records), data.truth, data.kinds), fh, protocol=pickle.HIGHEST_PROTOCOL)
        for k in range(0, len(records), CHUNK):
            pickle.dump(records[k:k + CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)


def read_dataset(path: Path, keep_last: int):
    """(count, truth, kinds, runs of records, the last ``keep_last`` records): the runs are read one
    by one as the analysis asks for them and are not kept."""
    import pickle

    fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below when it is exhausted
    count, truth, kinds = pickle.load(fh)
    last: list = []

    def runs():
        with fh:
            seen = 0
            while seen < count:
                chunk = pickle.load(fh)
                seen += len(chunk)
                # The last ``keep_last`` records are the online queries, not part of the history.
                cut = max(0, len(chunk) - max(0, seen - (count - keep_last)))
                if cut < len(chunk):
                    last.extend(chunk[cut:])
                if cut:
                    yield chunk[:cut]

    return count, truth, kinds, runs(), last


def run(n: int, online: int, workers: int) -> dict:
    import tempfile

    from pingan.incidents.repeats import engine, evalset

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.pickle"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "gen", "--n", str(n), "--out", str(path)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        gen_s = time.perf_counter() - t0
        base_mb = current_mb()
        count, truth, kinds, runs, new = read_dataset(path, online)
        p = engine.Params()
        cpu0 = time.process_time() + children_cpu()
        t = time.perf_counter()
        f = engine.prepare_stream(runs, p, workers=workers)
        t_prepare = time.perf_counter() - t
    t = time.perf_counter()
    i, j = engine.candidate_pairs(f, p)
    t_cand = time.perf_counter() - t
    t = time.perf_counter()
    v = engine.verify_chunked(f, i, j, p, workers=2)
    t_verify = time.perf_counter() - t
    t = time.perf_counter()
    links = engine.links_from(f, i, f, j, v)
    groups = engine.cluster(links, None, {int(x): float(tt) for x, tt in zip(f.ids, f.t, strict=True)})
    t_cluster = time.perf_counter() - t
    total = t_prepare + t_cand + t_verify + t_cluster
    cpu = time.process_time() + children_cpu() - cpu0  # the machine is shared: CPU time is steadier
    peak_batch = rss_mb()
    history_ids = set(f.ids.tolist())
    sub = evalset.Labelled([], {k: v for k, v in truth.items() if k in history_ids}, kinds)
    score = evalset.evaluate(sub, groups)
    out = {"n": len(f), "generate_s": round(gen_s, 1), "prepare_s": round(t_prepare, 2),
           "candidates_s": round(t_cand, 2), "verify_s": round(t_verify, 2), "cluster_s": round(t_cluster, 2),
           "total_s": round(total, 2), "cpu_s": round(cpu, 2), "records_per_s": round(len(f) / total),
           "candidates": int(len(i)), "links": len(links), "groups": len(groups),
           "precision": round(score.precision, 4), "recall": round(score.recall, 4), "f1": round(score.f1, 4),
           "input_mb": round(base_mb), "peak_mb": round(peak_batch), "analysis_mb": round(peak_batch - base_mb),
           "workers_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
           "load_avg": round(os.getloadavg()[0], 1)}
    if online:
        del i, j, v, links, groups  # the online index is built on its own in production
        t = time.perf_counter()
        index = engine.OnlineIndex(params=p, features=f)
        out["index_build_s"] = round(time.perf_counter() - t, 2)
        out["index_mb"] = round(index.index.nbytes / 1024 / 1024)
        times, cpu_times, found = [], [], 0
        for r in new:
            t, c = time.perf_counter(), time.thread_time()
            found += bool(index.query(r))
            times.append((time.perf_counter() - t) * 1000)
            cpu_times.append((time.thread_time() - c) * 1000)
        times.sort()
        out["online_cpu_median_ms"] = round(statistics.median(cpu_times), 2)
        out.update({"online_queries": len(new), "online_median_ms": round(statistics.median(times), 2),
                    "online_p95_ms": round(times[int(len(times) * 0.95)], 2),
                    "online_max_ms": round(times[-1], 2), "online_with_repeats": found,
                    "online_peak_mb": round(rss_mb())})
    return out


def trigrams(text: str) -> set[str]:
    return {text[k:k + 3] for k in range(len(text) - 2)} or {text}


def pairwise(sample: int) -> dict:
    """The obvious approach: every pair, pure-Python 3-gram Jaccard of the content."""
    from pingan.incidents.repeats import engine, normalise

    data = generate(max(sample * 2, 5000), seed=11)
    records = random.Random(1).sample(data.records, sample)
    t = time.perf_counter()
    grams = [trigrams(normalise.content_core(r.content)) for r in records]
    pairs = 0
    hits = 0
    for a in range(len(grams)):
        ga = grams[a]
        for b in range(a + 1, len(grams)):
            gb = grams[b]
            inter = len(ga & gb)
            if inter and inter / (len(ga) + len(gb) - inter) >= 0.5:
                hits += 1
            pairs += 1
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    engine.analyse(records)
    engine_s = time.perf_counter() - t
    return {"sample": sample, "pairs": pairs, "seconds": round(seconds, 2), "pairs_per_s": round(pairs / seconds),
            "engine_s_on_sample": round(engine_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    one = sub.add_parser("run")
    one.add_argument("--n", type=int, required=True)
    one.add_argument("--online", type=int, default=0)
    one.add_argument("--workers", type=int, default=1)
    gen = sub.add_parser("gen")
    gen.add_argument("--n", type=int, required=True)
    gen.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.cmd == "gen":
        write_dataset(args.n, args.out)
        return
    if args.cmd == "run":
        print(json.dumps(run(args.n, args.online, args.workers)))
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    for n in sizes:
        online = 1000 if n == max(sizes) else 0
        cmd = [sys.executable, __file__, "run", "--n", str(n), "--online", str(online), "--workers", str(args.workers)]
        result = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    base = pairwise(args.sample)
    print(json.dumps({"pairwise": base}), flush=True)
    print()
    print("| records | analysis wall (s) | analysis CPU (s) | records/s (wall) | candidate pairs | peak RSS (MB) | analysis RSS (MB) | P | R | F1 |"
          " pairwise all-pairs, extrapolated (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        n = r["n"]
        pair_s = n * (n - 1) / 2 / base["pairs_per_s"]
        print(f"| {n:,} | {r['total_s']} | {r['cpu_s']} | {r['records_per_s']:,} | {r['candidates']:,} | {r['peak_mb']:,} | "
              f"{r['analysis_mb']:,} | {r['precision']} | {r['recall']} | {r['f1']} | {pair_s:,.0f} | "
              f"{pair_s / r['total_s']:,.0f}× |")
    last = rows[-1]
    if "online_median_ms" in last:
        print(f"\nonline check against {last['n']:,}: median {last['online_median_ms']} ms "
              f"(CPU {last['online_cpu_median_ms']} ms), p95 "
              f"{last['online_p95_ms']} ms, max {last['online_max_ms']} ms over {last['online_queries']} queries; "
              f"index {last['index_mb']} MB built in {last['index_build_s']} s; process peak with the index "
              f"{last['online_peak_mb']:,} MB")
    print(f"pairwise baseline: {base['pairs']:,} pairs of {base['sample']} records in {base['seconds']} s = "
          f"{base['pairs_per_s']:,} pairs/s; the engine on the same sample: {base['engine_s_on_sample']} s "
          f"(ratio {base['seconds'] / max(base['engine_s_on_sample'], 1e-6):,.0f}×)")


if __name__ == "__main__":
    main()
