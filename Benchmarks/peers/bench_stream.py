"""PyTorch peer of the stream benchmark: times a training step (forward +
backward + Adam) and an inference forward of the Enhanced ConvLSTM stream at
bench-small (3x48x48, T=16, batch 4, channels 16/32/48/64, kernels 5/5/3/3,
GN groups 4, head 256/128/6), eager mode, 2 threads. Prints one JSON line.

Usage: python bench_stream.py [--switches on|off] [--repeats N]
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from ferlab_torch import FERModel  # noqa: E402


def spec(switches_on):
    return {
        "name": "bench-small", "streams": ["rgb"], "backbone": "convlstm",
        "convLSTM": {"channels": [16, 32, 48, 64], "kernels": [5, 5, 3, 3], "temporalSkip": switches_on,
                     "spatialSkip": switches_on, "groupNorm": switches_on, "groups": 4, "outputPeephole": "previous"},
        "resnet": {"depth": 18, "width": 16}, "cnnLSTM": {"channels": [16, 32, 64], "hidden": 128},
        "head": {"hidden": [256, 128], "dropout": 0.0}, "inputSize": 48, "classes": 6,
    }


def median_seconds(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", default="on", choices=["on", "off"])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = FERModel(spec(args.switches == "on"))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = {"rgb": torch.rand(4, 16, 3, 48, 48)}
    labels = torch.tensor([0, 1, 2, 3])

    def train_step():
        optimizer.zero_grad()
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    def inference():
        with torch.no_grad():
            model(x)

    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "train_step_ms": 1e3 * median_seconds(train_step, 2, args.repeats),
        "inference_ms": 1e3 * median_seconds(inference, 2, args.repeats),
    }))


if __name__ == "__main__":
    main()
