"""PyTorch peer of `ferlab-bench stream`, run as a persistent process that takes one
step at a time, so the driver can alternate its own steps with the peer's and
quote each ratio from a pair measured under the same load.

The model is the (Enhanced) ConvLSTM RGB stream at bench-small (3x48x48, T=16,
batch 4, channels 16/32/48/64, kernels 5/5/3/3, GN groups 4, head 256/128/6) of
ferlab_torch.py, on 2 threads.

Protocol (one line each way, JSON out):
  start-up            -> {"ready": true, "torch": ..., "threads": ..., "compiled": ..., "setup_s": ...}
                         or {"ready": false, "reason": ...} when it cannot run (e.g. torch.compile fails)
  "train"             -> {"s": wall seconds of one training step (forward, backward, Adam),
                          "cpu_s": CPU seconds of the process (all threads) during it}
  "infer"             -> the same for one inference forward (no_grad)
  "quit" or EOF       -> exits
Each reply times only the step (time.perf_counter around it), not the pipe.
Start-up runs two warm-up steps of each kind (with --compile: the compilation).

Usage: python stream_peer.py [--switches on|off] [--compile] [--threads N]
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def spec(switches_on):
    return {
        "name": "bench-small", "streams": ["rgb"], "backbone": "convlstm",
        "convLSTM": {"channels": [16, 32, 48, 64], "kernels": [5, 5, 3, 3], "temporalSkip": switches_on,
                     "spatialSkip": switches_on, "groupNorm": switches_on, "groups": 4, "outputPeephole": "previous"},
        "resnet": {"depth": 18, "width": 16}, "cnnLSTM": {"channels": [16, 32, 64], "hidden": 128},
        "head": {"hidden": [256, 128], "dropout": 0.0}, "inputSize": 48, "classes": 6,
    }


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", default="on", choices=["on", "off"])
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (inductor)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        import torch
        import torch.nn.functional as F
        from ferlab_torch import FERModel
    except Exception as error:  # noqa: BLE001 - any import failure means no peer
        reply({"ready": False, "reason": f"cannot import torch: {error}"})
        return

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = FERModel(spec(args.switches == "on"))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = {"rgb": torch.rand(4, 16, 3, 48, 48)}
    labels = torch.tensor([0, 1, 2, 3])
    forward = model
    if args.compile:
        forward = torch.compile(model)

    def train_step():
        optimizer.zero_grad()
        F.cross_entropy(forward(x), labels).backward()
        optimizer.step()

    def inference():
        with torch.no_grad():
            forward(x)

    steps = {"train": train_step, "infer": inference}
    try:
        for _ in range(2):
            train_step()
            inference()
    except Exception as error:  # noqa: BLE001 - e.g. inductor without a working compiler
        reply({"ready": False, "reason": f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"})
        return
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
           "compiled": args.compile, "setup_s": time.perf_counter() - started})

    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        step = steps.get(command)
        if step is None:
            reply({"error": f"unknown command {command!r}; use train, infer or quit"})
            continue
        start, cpu = time.perf_counter(), time.process_time()
        step()
        reply({"s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu})


if __name__ == "__main__":
    main()
