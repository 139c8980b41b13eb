"""Can a sequence model learn the synthetic set at all? The same check in PyTorch.

Trains the peer's CNN+LSTM or Enhanced ConvLSTM rgb stream (ferlab_torch.py, preset
small's sizes) on videos written by `ferlab synth` and prints train loss/accuracy and
test accuracy per epoch, on raw frames or on clips standardised over time (each clip
centred on its mean frame, unit variance: FERLab's `centreFrames`). The test subjects
are one subject group of the default synthetic set (fold 0 of `ferlab train`).

On raw frames the CNN+LSTM stays at chance (16.7 %); standardised, it learns. This is
why FERLab's RGB stream standardises its clips.

Usage:
  ferlab synth --out /tmp/syn24 --size 24 --frames 8
  python Benchmarks/peers/learnability_check.py /tmp/syn24 --backbone cnn_lstm --input centred
"""
import argparse
import re
import sys
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from ferlab_torch import FERModel  # noqa: E402

EMOTIONS = ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]
TEST_SUBJECTS = [5, 9, 10, 13, 14, 24, 26, 29, 36]  # fold 0's group, fold seed 1


def load(root):
    clips, labels, subjects = [], [], []
    for path in sorted(Path(root).rglob("*.avi")):
        capture, frames = cv2.VideoCapture(str(path)), []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB).transpose(2, 0, 1) / 255.0)
        clips.append(np.stack(frames))
        labels.append(EMOTIONS.index(path.parts[-3]))
        subjects.append(int(re.search(r"subject (\d+)", str(path)).group(1)))
    return torch.tensor(np.stack(clips), dtype=torch.float32), torch.tensor(labels), np.array(subjects)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("videos")
    parser.add_argument("--backbone", choices=["cnn_lstm", "convlstm"], default="cnn_lstm")
    parser.add_argument("--input", choices=["raw", "centred"], default="raw")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    x, y, subjects = load(args.videos)
    spec = {
        "inputSize": x.shape[-1], "streams": ["rgb"], "classes": 6, "backbone": args.backbone,
        "centreFrames": args.input == "centred",
        "convLSTM": {"channels": [8, 16, 16], "kernels": [5, 3, 3], "temporalSkip": True, "spatialSkip": True,
                     "groupNorm": True, "groups": 4, "outputPeephole": "previous"},
        "cnnLSTM": {"channels": [16, 32, 64], "hidden": 128},
        "resnet": {"depth": 10, "width": 8}, "head": {"hidden": [64, 32], "dropout": 0.0},
    }
    model = FERModel(spec)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    test = np.isin(subjects, TEST_SUBJECTS)
    x_train, y_train = x[~test], y[~test]
    for epoch in range(args.epochs):
        model.train()
        order, loss_sum, correct = torch.randperm(len(x_train)), 0.0, 0
        for start in range(0, len(order), 8):
            batch = order[start:start + 8]
            logits = model({"rgb": x_train[batch]})
            loss = F.cross_entropy(logits, y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == y_train[batch]).sum().item()
        model.eval()
        with torch.no_grad():
            accuracy = (model({"rgb": x[test]}).argmax(1) == y[test]).float().mean().item()
        print(f"epoch {epoch + 1}: loss {loss_sum / len(x_train):.4f} train acc {correct / len(x_train):.3f}"
              f" test acc {accuracy:.3f}", flush=True)


if __name__ == "__main__":
    main()
