#!/usr/bin/env bash
# Predicting on a video: write synthetic clips as real .avi files, train a small
# model on the built-in starter set (the defaults), save it, and run `ferlab predict` on
# one of the videos (decode, face crop, the model; probabilities and a timeline).
# Usage: Examples/predict-on-a-video.sh [WORK_DIR]   (after `make build`)
set -euo pipefail
ferlab=${FERLAB:-.build/release/ferlab}
work=${1:-$(mktemp -d)}
"$ferlab" synth --out "$work/videos" --preset starter --subjects 1 --clips-per-class 1 >/dev/null
"$ferlab" train --out "$work/model.safetensors"
"$ferlab" predict "$work/videos/subject 1/happiness/sentence 1/s1_ha_1.avi" --checkpoint "$work/model.safetensors"
