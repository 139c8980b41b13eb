#!/usr/bin/env python3
"""Writes the face-detection fixtures of Tests/FERVideoTests/Fixtures/faces/.

OpenCV (opencv-python-headless) is the reference: the images are small grayscale
PGMs made from scikit-image's bundled photographs, and cases.json holds what
cv2.CascadeClassifier.detectMultiScale2 returns on them — boxes x, y, w, h and
the number of raw hits behind each (with minNeighbors 0: the raw hits before
grouping), what cv2.resize(INTER_LINEAR_EXACT) — the
resize CascadeClassifier uses for its scales — makes of one of them, and what
cv2.cvtColor(COLOR_RGB2GRAY) makes of a small RGB patch.

Images (all public sample data shipped inside scikit-image):
  astronaut.pgm   Eileen Collins, 256×256 — one real face (cv2 also reports a
                  false hit, which the Swift detector must reproduce)
  lfw-mosaic.pgm  12 Labeled-Faces-in-the-Wild faces tiled 4×3 at 48 px
  chelsea.pgm     a cat, 120×180 — no human face

Run:  python Benchmarks/peers/make_face_fixture.py   (needs opencv-python-headless, scikit-image)
"""
import json
import os

import cv2
import numpy as np
import skimage.data

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FERVideoTests", "Fixtures", "faces")


def write_pgm(path, gray):
    h, w = gray.shape
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h))
        f.write(np.ascontiguousarray(gray, dtype=np.uint8).tobytes())


def write_ppm(path, rgb):
    h, w, _ = rgb.shape
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        f.write(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes())


def gray(rgb):
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def main():
    os.makedirs(OUT, exist_ok=True)
    images = {
        "astronaut.pgm": cv2.resize(gray(skimage.data.astronaut()), (256, 256), interpolation=cv2.INTER_AREA),
        "chelsea.pgm": cv2.resize(gray(skimage.data.chelsea()), (180, 120), interpolation=cv2.INTER_AREA),
    }
    faces = np.round(skimage.data.lfw_subset()[:12] * 255).astype(np.uint8)
    tiles = [cv2.resize(f, (48, 48), interpolation=cv2.INTER_CUBIC) for f in faces]
    images["lfw-mosaic.pgm"] = np.vstack([np.hstack(tiles[r * 4:(r + 1) * 4]) for r in range(3)])
    for name, image in images.items():
        write_pgm(os.path.join(OUT, name), image)

    # (image, cascade, scaleFactor, minNeighbors, minSize)
    runs = [
        ("astronaut.pgm", "haarcascade_frontalface_default.xml", 1.1, 3, 0),
        ("astronaut.pgm", "haarcascade_frontalface_default.xml", 1.1, 0, 0),
        ("lfw-mosaic.pgm", "haarcascade_frontalface_default.xml", 1.1, 3, 0),
        ("lfw-mosaic.pgm", "haarcascade_frontalface_default.xml", 1.2, 5, 40),
        ("lfw-mosaic.pgm", "haarcascade_frontalface_default.xml", 1.1, 0, 0),
        ("chelsea.pgm", "haarcascade_frontalface_default.xml", 1.1, 3, 0),
        ("astronaut.pgm", "haarcascade_frontalface_alt2.xml", 1.1, 3, 0),
        ("astronaut.pgm", "haarcascade_frontalface_alt2.xml", 1.1, 0, 0),
        ("astronaut.pgm", "haarcascade_eye.xml", 1.1, 0, 0),
        # Cascades with tilted (45°) features, and trees deeper than stumps:
        ("astronaut.pgm", "haarcascade_smile.xml", 1.1, 0, 0),
        ("lfw-mosaic.pgm", "haarcascade_eye_tree_eyeglasses.xml", 1.05, 0, 0),
        ("lfw-mosaic.pgm", "haarcascade_frontalcatface_extended.xml", 1.05, 0, 0),
    ]
    cases = []
    for image, cascade, scale, neighbours, min_size in runs:
        detector = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, cascade))
        # detectMultiScale2 also returns each box's number of raw hits.
        found, counts = detector.detectMultiScale2(
            images[image], scaleFactor=scale, minNeighbors=neighbours, minSize=(min_size, min_size))
        found = sorted([list(map(int, r)) + [int(n)] for r, n in zip(found, counts)])
        cases.append({"image": image, "cascade": cascade, "scaleFactor": scale, "minNeighbors": neighbours,
                      "minSize": min_size, "detections": found})
        print(f"{image} {cascade} scale {scale} neighbours {neighbours} minSize {min_size}: {len(found)} boxes")

    mosaic = images["lfw-mosaic.pgm"]
    resizes = []
    for w, h in [(175, 131), (61, 47), (96, 72), (230, 170)]:
        name = f"lfw-mosaic-{w}x{h}.pgm"
        write_pgm(os.path.join(OUT, name), cv2.resize(mosaic, (w, h), interpolation=cv2.INTER_LINEAR_EXACT))
        resizes.append({"source": "lfw-mosaic.pgm", "width": w, "height": h, "expected": name})

    rng = np.random.default_rng(20240601)
    patch = rng.integers(0, 256, (16, 24, 3), dtype=np.uint8)
    write_ppm(os.path.join(OUT, "patch.ppm"), patch)
    write_pgm(os.path.join(OUT, "patch-gray.pgm"), gray(patch))

    # One case per line keeps the file small and its diffs readable.
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        f.write('{"opencv": %s,\n"detections": [\n' % json.dumps(cv2.__version__))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write('],\n"resizes": [\n' + ",\n".join(json.dumps(r) for r in resizes))
        f.write('],\n"gray": %s}\n' % json.dumps({"rgb": "patch.ppm", "gray": "patch-gray.pgm"}))


if __name__ == "__main__":
    main()
