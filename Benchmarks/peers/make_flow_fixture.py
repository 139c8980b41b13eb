"""Make the Farnebäck optical-flow fixtures of Tests/FERVideoTests/Fixtures/flow.

Each pair is two consecutive 8-bit grayscale frames of a real face (NASA's public-domain
portrait of Eileen Collins, `astronaut.png`, shipped inside the scikit-image wheel) in which
the second frame is the first under a known smooth motion: a small head movement (shift,
rotation, zoom) plus local expression motion (jaw dropping, brows rising). The motion is
applied at the photo's full resolution and the frames are then shrunk with pixel-area
averaging, as a face crop from a video would be. The reference is what
`cv2.calcOpticalFlowFarneback` computes on the frames, not the warp that made them.

Files (all little-endian):
  <name>_0.pgm, <name>_1.pgm  binary PGM (P5, maxval 255), the two frames
  <name>.flo                  the cv2 flow in the Middlebury .flo layout: float32 202021.25
                              ("PIEH"), int32 width, int32 height, then height*width
                              interleaved (dx, dy) float32 pairs, row-major
  manifest.json               per pair: name, width, height and the Farnebäck parameters

Usage (no network needed once the wheel is on disk):
  pip download --no-deps -d /tmp/skimage scikit-image
  unzip -o /tmp/skimage/scikit_image-*.whl 'skimage/data/astronaut.png' -d /tmp/skimage
  python Benchmarks/peers/make_flow_fixture.py --image /tmp/skimage/skimage/data/astronaut.png
"""
import argparse
import json
import math
from pathlib import Path

import cv2
import numpy as np

OUT = Path(__file__).resolve().parents[2] / "Tests/FERVideoTests/Fixtures/flow"

# OpenCV's common call: pyr_scale 0.5, levels 3, winsize 15, iterations 3, poly_n 5, poly_sigma 1.2.
DEFAULT = dict(pyr_scale=0.5, levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, gaussian=False)

# Face region of the 512x512 portrait (x0, y0, x1, y1) and landmarks in its pixels.
FACE = (110, 10, 350, 250)
MOUTH = (223.0, 143.0)
BROWS = ((203.0, 88.0), (247.0, 88.0))

# name, output (width, height), crop, head motion in output pixels (dx, dy, degrees, zoom),
# expression amplitudes in output pixels (jaw, brows), parameters.
PAIRS = [
    ("face64", (64, 64), FACE, (0.8, -0.5, 0.0, 0.0), (1.2, 0.6), DEFAULT),
    ("face96x72", (96, 72), (100, 40, 340, 220), (1.5, 1.0, 2.0, 0.0), (2.0, 1.0), DEFAULT),
    ("face128", (128, 128), FACE, (3.0, -2.0, 0.0, 0.03), (2.5, 1.5), DEFAULT),
    ("face90gauss", (90, 90), FACE, (-1.5, 2.0, -1.5, 0.0), (1.5, 1.0),
     dict(pyr_scale=0.6, levels=3, winsize=11, iterations=4, poly_n=7, poly_sigma=1.5, gaussian=True)),
]


def bump(xs, ys, center, radius):
    return np.exp(-((xs - center[0]) ** 2 + (ys - center[1]) ** 2) / (2 * radius * radius))


def second_frame(photo, crop, size, head, expression):
    """Warps the full-resolution photo by the pair's motion (backward map, source pixels)."""
    scale = size[0] / (crop[2] - crop[0])  # output pixels per source pixel
    h, w = photo.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    cx, cy = (crop[0] + crop[2]) / 2, (crop[1] + crop[3]) / 2
    dx, dy, degrees, zoom = head
    angle = math.radians(degrees)
    # Head: rotate and zoom about the crop centre, then shift.
    rx, ry = xs - cx, ys - cy
    ux = (math.cos(angle) * (1 + zoom) - 1) * rx - math.sin(angle) * (1 + zoom) * ry + dx / scale
    uy = math.sin(angle) * (1 + zoom) * rx + (math.cos(angle) * (1 + zoom) - 1) * ry + dy / scale
    # Expression: the jaw drops below the mouth, the brows rise.
    jaw, brows = expression
    below = np.clip((ys - MOUTH[1] + 10) / 20, 0, 1)
    uy += jaw / scale * bump(xs, ys, (MOUTH[0], MOUTH[1] + 15), 28) * below
    for brow in BROWS:
        uy -= brows / scale * bump(xs, ys, brow, 14)
    map_x = (xs - ux).astype(np.float32)
    map_y = (ys - uy).astype(np.float32)
    return cv2.remap(photo, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT_101)


def to_frame(photo, crop, size):
    x0, y0, x1, y1 = crop
    gray = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def write_pgm(path, image):
    header = f"P5\n{image.shape[1]} {image.shape[0]}\n255\n".encode()
    path.write_bytes(header + np.ascontiguousarray(image, dtype=np.uint8).tobytes())


def write_flo(path, flow):
    h, w = flow.shape[:2]
    with open(path, "wb") as f:
        np.array([202021.25], "<f4").tofile(f)
        np.array([w, h], "<i4").tofile(f)
        np.ascontiguousarray(flow, dtype="<f4").tofile(f)


def farneback(frame0, frame1, p):
    flags = cv2.OPTFLOW_FARNEBACK_GAUSSIAN if p["gaussian"] else 0
    return cv2.calcOpticalFlowFarneback(frame0, frame1, None, p["pyr_scale"], p["levels"], p["winsize"],
                                        p["iterations"], p["poly_n"], p["poly_sigma"], flags)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", required=True, help="path to scikit-image's skimage/data/astronaut.png")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    photo = cv2.imread(args.image, cv2.IMREAD_COLOR)
    if photo is None or photo.shape[:2] != (512, 512):
        raise SystemExit(f"{args.image}: expected the 512x512 astronaut.png of scikit-image")
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, size, crop, head, expression, params in PAIRS:
        frame0 = to_frame(photo, crop, size)
        frame1 = to_frame(second_frame(photo, crop, size, head, expression), crop, size)
        flow = farneback(frame0, frame1, params)
        write_pgm(args.out / f"{name}_0.pgm", frame0)
        write_pgm(args.out / f"{name}_1.pgm", frame1)
        write_flo(args.out / f"{name}.flo", flow)
        manifest.append(dict(name=name, width=size[0], height=size[1], **params))
        magnitude = np.hypot(flow[..., 0], flow[..., 1])
        print(f"{name}: {size[0]}x{size[1]}, mean |flow| {magnitude.mean():.3f} px, max {magnitude.max():.3f} px")
    (args.out / "manifest.json").write_text(json.dumps({"version": 1, "pairs": manifest}, indent=2) + "\n")


if __name__ == "__main__":
    main()
