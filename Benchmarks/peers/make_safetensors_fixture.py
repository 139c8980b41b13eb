"""Writes Tests/FERCoreTests/Fixtures/reference.safetensors with the reference
(Rust-backed) safetensors library, for SafeTensorsTests.

Every value is a formula of its index (see `tensors()`), so the Swift test
recomputes them instead of storing a second copy. One metadata entry only: the
library writes several in a random (hash) order, and the test compares our
writer's bytes with this file's.

Run: python Benchmarks/peers/make_safetensors_fixture.py   (needs numpy, safetensors)
"""
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "FERCoreTests" / "Fixtures" / "reference.safetensors"


def arange(shape, scale, offset):
    n = int(np.prod(shape)) if shape else 1
    return (np.arange(n, dtype=np.float32) * np.float32(scale) + np.float32(offset)).reshape(shape)


def tensors():
    f = np.finfo(np.float32)
    return {
        "conv1.weight": arange([4, 3, 3, 3], 0.5, -20),  # [O, I, kh, kw]
        "conv1.bias": arange([4], 1, -1.5),
        "odd": arange([5, 1, 7], 1 / 7, 0),  # odd sizes and a unit axis
        "scalar": np.array(-2.5, dtype=np.float32),  # shape []
        "empty": np.zeros((2, 0), dtype=np.float32),  # no values, zero-length data range
        "Zeta": arange([1], 1, 42),  # uppercase sorts before lowercase (byte order)
        "\u00fcnicode": arange([2], -3, 0.75),  # non-ASCII name sorts last
        "special": np.array([0.0, -0.0, f.smallest_subnormal, f.max, -np.inf, np.nan], dtype=np.float32),
    }


if __name__ == "__main__":
    metadata = {"format": 'FERLab fixture "v1"\n\tarange-based, caf\u00e9 \\ done'}
    save_file(tensors(), str(OUT), metadata=metadata)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
