"""Peak memory of streaming TMX: read and merge 100k and 1M units.

Builds a TMX of N units (inline codes, two props each) and a second file of N/10
units, half of them duplicates of the first, then in a fresh process for each
task records peak RSS (``ru_maxrss``) after imports and after the task. Flat
memory means the growth stays a few MB whatever N is.

    .venv/bin/python benchmarks/tmx_stream.py            # 100000 and 1000000
    .venv/bin/python benchmarks/tmx_stream.py 50000      # other sizes
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    '<tmx version="1.4">\n  <header creationtool="bench" creationtoolversion="1" '
    'segtype="sentence" o-tmf="bench" adminlang="en-US" srclang="zh-CN" '
    'datatype="plaintext"/>\n  <body>\n'
)
UNIT = (
    '    <tu tuid="{i}">\n      <prop type="x-confidence">{c:.3f}</prop>\n'
    '      <prop type="x-document">D{d}</prop>\n'
    '      <tuv xml:lang="zh-CN">\n        <seg>第{i}号决议回顾联合国的宗旨之一是在维护国际和平与'
    "安全及解决国际问题方面开展合作，</seg>\n      </tuv>\n"
    '      <tuv xml:lang="en-US">\n        <seg>Recalling resolution {i}, that one of the '
    'purposes of the <ph x="1">&lt;br/&gt;</ph>United Nations is to achieve international '
    "cooperation,</seg>\n      </tuv>\n    </tu>\n"
)

TASK = """
import json, resource, sys, time
from align import tmx
task, a, b, out = sys.argv[1:5]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if task == "read":
    units = sum(1 for _ in tmx.iter_units(a))
    detail = {"units": units}
else:
    r = tmx.merge([a, b], out, force=True)
    detail = {"units_in": r.units_in, "units_out": r.units_out}
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, "seconds": seconds, **detail}))
"""


def build(path: Path, n: int, start: int = 0) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEAD)
        for i in range(start, start + n):
            f.write(UNIT.format(i=i, c=(i % 1000) / 1000, d=i % 7))
        f.write("  </body>\n</tmx>\n")


def measure(task: str, a: Path, b: Path, out: Path) -> dict[str, float]:
    run = subprocess.run(
        [sys.executable, "-c", TASK, task, str(a), str(b), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(run.stdout)


def main(sizes: list[int]) -> None:
    columns = ("units", "task", "input MB", "peak RSS MB", "growth MB", "s")
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, (9, 6, 9, 12, 10, 7), strict=True)))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            a, b, out = Path(tmp, "a.tmx"), Path(tmp, "b.tmx"), Path(tmp, "out.tmx")
            build(a, n)
            build(b, n // 10, start=n - n // 20)
            for task in ("read", "merge"):
                size = a.stat().st_size + (b.stat().st_size if task == "merge" else 0)
                m = measure(task, a, b, out)
                growth = (m["after_kb"] - m["before_kb"]) / 1024
                print(
                    f"{n:>9} {task:>6} {size / 2**20:>9.1f} {m['after_kb'] / 1024:>12.1f} "
                    f"{growth:>10.1f} {m['seconds']:>7.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
