#!/usr/bin/env bash
# Retrains the side cameras' depth model from scratch (one command: `npm run train-depth`):
# renders the training and held-out views with the project's renderer into a temporary folder,
# trains on CPU with Debian's torch, exports models/mono_depth_side.onnx and evaluates it on the
# held-out views through the pipeline's own adapter and ground-plane scale recovery.
# About 15 min on 2 cores. TRAIN_VIEWS, EVAL_VIEWS, EPOCHS and KEEP_DATA=1 override the recipe.
set -euo pipefail
cd "$(dirname "$0")/.."
TRAIN_VIEWS=${TRAIN_VIEWS:-3200}
EVAL_VIEWS=${EVAL_VIEWS:-300}
EPOCHS=${EPOCHS:-6}
MODEL=${MODEL:-models/mono_depth_side.onnx}
DATA=$(mktemp -d "${TMPDIR:-/tmp}/mono_depth_data.XXXXXX")
[ "${KEEP_DATA:-0}" = 1 ] || trap 'rm -rf "$DATA"' EXIT
half=$((TRAIN_VIEWS / 2))
echo "train-depth: rendering $TRAIN_VIEWS training views into $DATA"
npx tsx training/render_depth_dataset.ts --split train --start 0 --count "$half" --out "$DATA/train_0" &
first=$!
npx tsx training/render_depth_dataset.ts --split train --start "$half" --count "$((TRAIN_VIEWS - half))" --out "$DATA/train_1"
wait "$first"
npx tsx training/render_depth_dataset.ts --split eval --start 0 --count "$EVAL_VIEWS" --out "$DATA/eval_0"
/usr/bin/python3 training/train_mono_depth.py --data "$DATA" --out "$MODEL" --epochs "$EPOCHS"
npx tsx training/evaluate_mono_depth.ts --model "$MODEL" --count "$EVAL_VIEWS"
