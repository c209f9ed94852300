"""What a timed benchmark row says of the machine it ran on: what it is, and how fast it
was just then (``run.py`` and ``batch_scale.py`` both print it)."""

from __future__ import annotations

import os
import platform
import time

import numpy as np

PROBE_SECONDS = 0.5


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def machine_speed() -> float:
    """GFLOP/s of the encoder's commonest product (a token batch, 384 × 512, through a
    512 × 768 projection, in float32, with the BLAS threads numpy has) over
    :data:`PROBE_SECONDS`: how fast this machine is right now. A shared machine's speed
    moves from minute to minute, and the times of a row are read against it."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((384, 512), dtype=np.float32)
    b = rng.standard_normal((512, 768), dtype=np.float32)
    for _ in range(3):
        a @ b
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < PROBE_SECONDS:
        a @ b
        count += 1
    return round(2 * 384 * 512 * 768 * count / elapsed / 1e9, 1)


def speed_range(row: dict[str, object]) -> str:
    """A row's machine speed before and after its run, as the tables print it."""
    before, after = row.get("gflops_before"), row.get("gflops_after")
    return "–" if before is None else f"{before:.0f} / {after:.0f}"
