"""Time cv2.calcOpticalFlowFarneback (OpenCV's common parameters) on the flow fixture frames.

The peer of FERVideo's farnebackFlow: each fixture pair of Tests/FERVideoTests/Fixtures/flow is
shrunk with pixel-area averaging to 48x48 and to 96x96 and its flow timed, many repetitions per
pair after a warm-up. Wall time is what a caller waits; process CPU time (all threads) is the
work done, steadier than wall time on a machine shared with other jobs. Prints one JSON line:
  {"bench": "farneback", "impl": "opencv", "opencv": "<version>", "threads": n, "pairs": k,
   "ms_per_pair": {"48x48": wall, "96x96": wall}, "cpu_ms_per_pair": {"48x48": cpu, "96x96": cpu}}
Usage: python Benchmarks/peers/bench_flow_opencv.py [--repeats N]
"""
import argparse
import json
import time
from pathlib import Path

import cv2

FIXTURES = Path(__file__).resolve().parents[2] / "Tests/FERVideoTests/Fixtures/flow"
SIZES = (48, 96)


def load_pairs():
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    return [(cv2.imread(str(FIXTURES / f"{p['name']}_0.pgm"), cv2.IMREAD_GRAYSCALE),
             cv2.imread(str(FIXTURES / f"{p['name']}_1.pgm"), cv2.IMREAD_GRAYSCALE))
            for p in manifest["pairs"]]


def time_size(pairs, size, repeats):
    frames = [tuple(cv2.resize(f, (size, size), interpolation=cv2.INTER_AREA) for f in pair) for pair in pairs]
    flow = lambda a, b: cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5, 1.2, 0)
    for a, b in frames:
        flow(a, b)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        for a, b in frames:
            flow(a, b)
    runs = repeats * len(frames)
    return (time.perf_counter() - wall) * 1000 / runs, (time.process_time() - cpu) * 1000 / runs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    pairs = load_pairs()
    timings = {f"{s}x{s}": time_size(pairs, s, args.repeats) for s in SIZES}
    print(json.dumps({"bench": "farneback", "impl": "opencv", "opencv": cv2.__version__,
                      "threads": cv2.getNumThreads(), "pairs": len(pairs),
                      "ms_per_pair": {k: round(v[0], 4) for k, v in timings.items()},
                      "cpu_ms_per_pair": {k: round(v[1], 4) for k, v in timings.items()}}))


if __name__ == "__main__":
    main()
