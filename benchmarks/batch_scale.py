"""Batch alignment at scale: pairs/s and sentences/s for --jobs 1, --jobs 2 and Dask, cache
hit rate of a second run, and peak memory against the number of pairs.

    .venv/bin/python benchmarks/batch_scale.py            # prints the markdown section
    .venv/bin/python benchmarks/batch_scale.py --pairs 60 # a quicker, smaller run

The corpus is built in a temporary folder from corpora/A_77_L.107 and the
pre-split gold sets in ../shared/bench (pol-dev, mac-dev): runs of consecutive
gold beads become small document pairs, written in the layouts ``align batch``
recognises, and every fourth pair also carries a passage of A/77/L.107, as UN
documents repeat whole paragraphs. Each configuration runs in its own process
with its own cold embedding cache; memory is the resident set of that process
and all its children (pool workers, Dask scheduler and workers), sampled.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its siblings, however it is loaded
from machine import machine, machine_speed, speed_range  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
A77 = ROOT / "corpora" / "A_77_L.107"
SETS = ("pol-dev", "mac-dev")
BEADS_PER_PAIR = 4
DEFAULT_PAIRS = 200
SMALL_PAIRS = 50
SAMPLE_SECONDS = 0.1


# --- the corpus -------------------------------------------------------------------------


def _gold(line: str) -> tuple[list[int], list[int]]:
    src, tgt = line.split(":")
    return ast.literal_eval(src), ast.literal_eval(tgt)


def bench_chunks() -> list[tuple[list[str], list[str]]]:
    """Runs of BEADS_PER_PAIR consecutive gold beads from the bench sets, as sentence lists."""
    chunks = []
    for name in SETS:
        folder = BENCH / name
        for gold in sorted((folder / "gold").iterdir()):
            zh = (folder / "zh" / gold.name).read_text(encoding="utf-8").splitlines()
            en = (folder / "en" / gold.name).read_text(encoding="utf-8").splitlines()
            beads = [_gold(line) for line in gold.read_text(encoding="utf-8").splitlines()]
            for start in range(0, len(beads) - BEADS_PER_PAIR + 1, BEADS_PER_PAIR):
                run = beads[start : start + BEADS_PER_PAIR]
                src = [zh[i].strip() for b in run for i in b[0]]
                tgt = [en[j].strip() for b in run for j in b[1]]
                if src and tgt:
                    chunks.append((src, tgt))
    return chunks


def a77_passages() -> list[tuple[list[str], list[str]]]:
    """A/77/L.107 in passages of three reference beads (the texts are in reference.align)."""
    beads = []
    for line in (A77 / "reference.align").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, zh, en = line.split("\t")
            beads.append((zh, en))
    return [
        ([z for z, _ in beads[i : i + 3]], [e for _, e in beads[i : i + 3]])
        for i in range(0, len(beads) - 2, 3)
    ]


def _text(sentences: list[str]) -> str:
    """One paragraph a sentence, marked as the UN extractions mark a paragraph start."""
    return "\n\n".join(" " + s for s in sentences) + "\n"


def build_corpus(folder: Path, pairs: int) -> int:
    """Write ``pairs`` document pairs under ``folder``; returns the sentences they hold."""
    chunks = bench_chunks()
    passages = a77_passages()
    if pairs > len(chunks):
        raise SystemExit(f"only {len(chunks)} bench chunks: ask for at most that many pairs")
    sentences = 0
    for k in range(pairs):
        src, tgt = chunks[k * len(chunks) // pairs]
        if k % 4 == 0:
            zh, en = passages[(k // 4) % len(passages)]
            src, tgt = zh + src, en + tgt
        name = f"P{k:04d}"
        layout = k % 3
        if layout == 0:
            paths = (folder / f"{name}.zh.txt", folder / f"{name}.en.txt")
        elif layout == 1:
            paths = (folder / "zh" / name, folder / "en" / name)
        else:
            paths = (folder / "un" / f"{name}-ZH.txt", folder / "un" / f"{name}-EN.txt")
        for path, lines in zip(paths, (src, tgt), strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_text(lines), encoding="utf-8")
        sentences += len(src) + len(tgt)
    return sentences


# --- one configuration, in its own process ------------------------------------------------


def run_one(config: str, corpus: Path, out: Path, cache: Path) -> dict[str, object]:
    """Run a batch as ``config`` says; the parent measures this process's memory."""
    import logging

    from align.batch import BatchOptions, run_batch

    redo = "+rerun" in config
    name = config.split("+")[0]
    if name == "dask":
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster:
            options = BatchOptions(
                executor="dask", scheduler=cluster.scheduler_address, cache_dir=cache
            )
            result = run_batch(corpus, out, options)
    else:
        jobs = int(name.removeprefix("jobs"))
        result = run_batch(corpus, out, BatchOptions(jobs=jobs, cache_dir=cache, redo=redo))
    return {
        "config": config,
        "pairs": len(result.results),
        "done": len(result.done),
        "failed": len(result.failed),
        "reasons": [r.reason for r in result.failed][:5],
        "failed_ids": [r.id for r in result.failed][:5],
        "sentences": result.sentences,
        "seconds": round(result.seconds, 2),
        "pairs_per_second": round(result.pairs_per_second, 2),
        "sentences_per_second": round(result.sentences_per_second, 1),
        "cache_hit_rate": result.cache_hit_rate,
        "workers": result.workers,
    }


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(config: str, corpus: Path, out: Path, cache: Path) -> dict[str, object]:
    """Run one configuration in a child process, sampling the RSS of its process tree."""
    before = machine_speed()
    cmd = [sys.executable, __file__, "--one", config, str(corpus), str(out), str(cache)]
    env = {k: v for k, v in os.environ.items() if k != "ALIGN_ENCODER_THREADS"}
    if "+default-threads" not in config:
        env["ALIGN_ENCODER_THREADS"] = "1"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    done.set()
    sampler.join()
    after = machine_speed()
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed with exit code {proc.returncode}")
    row = json.loads(stdout.strip().splitlines()[-1])
    row["peak_mib"] = round(peak / 2**20, 1)
    row["gflops_before"], row["gflops_after"] = before, after
    return row


# --- the report -------------------------------------------------------------------------


def run_all(pairs: int = DEFAULT_PAIRS, small: int = SMALL_PAIRS) -> dict[str, object]:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="un-align-batch-bench-") as tmp:
        base = Path(tmp)
        sentences = build_corpus(base / "corpus", pairs)
        build_corpus(base / "small", small)
        rows = [
            measure("jobs1", base / "corpus", base / "out1", base / "cache1"),
            measure("jobs1+rerun", base / "corpus", base / "out1", base / "cache1"),
            measure("jobs2", base / "corpus", base / "out2", base / "cache2"),
            measure("dask", base / "corpus", base / "out3", base / "cache3"),
            measure("jobs1", base / "small", base / "out4", base / "cache4"),
            measure("jobs1+default-threads", base / "corpus", base / "out5", base / "cache5"),
        ]
    load = (round(load_before, 1), round(os.getloadavg()[0], 1))
    return {
        "pairs": pairs,
        "small": small,
        "corpus_sentences": sentences,
        "rows": rows,
        "load": load,
    }


def _rate(value: object) -> str:
    return "-" if value is None else f"{float(value):.1%}"  # type: ignore[arg-type]


def _load(data: dict[str, object]) -> str:
    before, after = data.get("load") or ("?", "?")  # type: ignore[misc]
    return f"{before} / {after}"


def render(data: dict[str, object]) -> str:
    rows: list[dict[str, object]] = data["rows"]  # type: ignore[assignment]
    jobs1, rerun, jobs2, dask, small, threaded = rows
    labels = {
        "jobs1": "`--jobs 1`",
        "jobs2": "`--jobs 2`",
        "dask": "Dask `LocalCluster`, 2 workers × 1 thread",
        "jobs1+rerun": "second run, `--jobs 1 --redo`, same cache",
        "jobs1+default-threads": "`--jobs 1`, encoder's default BLAS threads",
    }
    lines = [
        "## Batch alignment at scale",
        "",
        f"Generated by `.venv/bin/python benchmarks/batch_scale.py`. Machine: {machine()}; "
        f"load average before / after: {_load(data)} (other work slows the parallel runs most).",
        f"Corpus: {data['pairs']} pairs, {data['corpus_sentences']} sentences (both sides), cut "
        f"from pol-dev and mac-dev ({BEADS_PER_PAIR} gold beads a pair) with a passage of "
        "A/77/L.107 in every fourth pair; three layouts mixed (`NAME.zh.txt`, `zh/NAME`, "
        "`NAME-ZH.txt`). Each run starts with a cold embedding cache except the second run. "
        "Time is end to end (pairs found, hashed, aligned, written, journalled); the Dask "
        "cluster is started before the clock starts, as an existing cluster would be. Every "
        "process runs the encoder with one BLAS thread (`ALIGN_ENCODER_THREADS=1`, what "
        "`--jobs N` gives its workers on 2 cores) except in the last row, which keeps the "
        "encoder's default (min(4, cores) threads), as `align pair` does. Memory "
        "is the peak resident set of the run's whole process tree. 'Machine GFLOP/s' is "
        "the machine's speed just before and after the run, as in the quality table.",
        "",
        "| run | pairs done | pairs/s | sentences/s | cache hit rate | peak memory "
        "| machine GFLOP/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in (jobs1, jobs2, dask, rerun, threaded):
        failed = f" ({row['failed']} failed)" if row["failed"] else ""
        lines.append(
            f"| {labels[str(row['config'])]} | {row['done']}{failed} | {row['pairs_per_second']} "
            f"| {row['sentences_per_second']} | {_rate(row['cache_hit_rate'])} "
            f"| {row['peak_mib']} MiB | {speed_range(row)} |"
        )
    lines += _failures(jobs1)
    lines += [
        "",
        f"Peak memory against corpus size, `--jobs 1`, cold cache: {small['pairs']} pairs "
        f"{small['peak_mib']} MiB, {jobs1['pairs']} pairs {jobs1['peak_mib']} MiB. Pair "
        "outputs are written and dropped one at a time and at most twice the number of "
        "workers are in flight, so memory follows the largest document, not the corpus.",
        "",
        "The first run's hit rate comes from the passages repeated across pairs (and from "
        "sentences shared by the joined-window texts the aligner embeds); the second run "
        "finds every text in the cache.",
    ]
    return "\n".join(lines) + "\n"


def _failures(row: dict[str, object]) -> list[str]:
    """Why pairs failed: every pair is a real translation, so a refusal is a false one."""
    ids: list[str] = row.get("failed_ids") or []  # type: ignore[assignment]
    reasons: list[str] = row.get("reasons") or []  # type: ignore[assignment]
    if not ids:
        return []
    why = []
    for pair, reason in zip(ids, reasons, strict=False):
        score = re.search(r"\(score [^)]*\)", reason)
        why.append(f"{pair} {score.group() if score else '(' + reason[-80:] + ')'}")
    return [
        "",
        f"Failed: {', '.join(why)}. Every pair of this corpus is a real translation, so each "
        "failure is the translation check refusing one: its score is the mean bead "
        "similarity, and on a passage of a few sentences of a novel it can fall under the "
        "cut-off (README, 'The translation score'). `--anyway` writes such a pair.",
    ]


def section(pairs: int = DEFAULT_PAIRS) -> str:
    """The BENCHMARKS.md section (runs everything: about ten minutes on 2 cores)."""
    return render(run_all(pairs, min(SMALL_PAIRS, pairs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=DEFAULT_PAIRS)
    parser.add_argument("--json", action="store_true", help="Print the raw figures as JSON.")
    parser.add_argument("--one", nargs=4, metavar=("CONFIG", "CORPUS", "OUT", "CACHE"))
    args = parser.parse_args()
    if args.one:
        config, corpus, out, cache = args.one
        print(json.dumps(run_one(config, Path(corpus), Path(out), Path(cache))))
        return
    data = run_all(args.pairs, min(SMALL_PAIRS, args.pairs))
    print(json.dumps(data, indent=2) if args.json else render(data), end="")


if __name__ == "__main__":
    main()
