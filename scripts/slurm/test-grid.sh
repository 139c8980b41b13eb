#!/usr/bin/env bash
# make test-slurm: a grid on a real Slurm cluster of one node, started here.
#
# A tiny skip grid (4 rows × 2 folds × 2 seeds = 16 cells: preset tiny on the rgb
# stream, 1 epoch, synthetic small) runs three ways: sequentially in one process,
# with --engine local --jobs 2, and as a Slurm job array. One array task is
# cancelled with scancel while it runs; collect must then list that cell as
# failed with its job, task and log, and --resume must resubmit that cell alone.
# Every way must print the same notebook, byte for byte, and record the same
# events. Last, a cv on a few synthetic videos: one job prepares the cache, and
# the array, which depends on it, only reads it. Every daemon started here is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

ferlab=$(realpath "${FERLAB:-.build/release/ferlab}")
[ -x "$ferlab" ] || { echo "test-slurm: $ferlab is not built"; exit 1; }
. scripts/slurm/single-node-cluster.sh

work=$(mktemp -d /tmp/ferlab-slurm.XXXXXX)
started_at=$SECONDS
finish() {
  local status=$?
  set +e
  if [ -n "${SLURM_CONF:-}" ]; then
    jobs=$(squeue --noheader --format=%A 2>/dev/null | sort -u)
    [ -z "$jobs" ] || scancel $jobs
    for _ in $(seq 50); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  cluster_stop
  # Workers of this test's folders that outlived their jobs (there should be none).
  for p in /proc/[0-9]*; do
    if tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q -- "$work"; then
      echo "test-slurm: stopping leftover process ${p#/proc/}"; kill -KILL "${p#/proc/}" 2>/dev/null
    fi
  done
  if [ "$status" != 0 ]; then
    echo "test-slurm: FAILED (status $status); daemon and worker logs:"
    tail -n 30 "$work"/cluster/*.log "$work"/slurm/logs/*.log 2>/dev/null
  fi
  rm -rf "$work"
  echo "test-slurm: $((SECONDS - started_at)) s"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

fail() { echo "test-slurm: $*"; exit 1; }
grid=(ablate --grid skips --preset tiny --streams rgb --epochs 1 --folds 2 --seeds 2)
# A session's command records without their wall-clock seconds: what must match.
records() { grep -v '"type":"header"' "$1" | sed -E 's/"seconds":[^,}]*,?//'; }
seconds() { echo "$(( $(date +%s%N) / 1000000 - $1 ))"; }
now() { echo "$(( $(date +%s%N) / 1000000 ))"; }

echo "== the grid in one process"
t=$(now)
"$ferlab" "${grid[@]}" --session "$work/sequential.jsonl" > "$work/sequential.txt"
echo "sequential: $(seconds "$t") ms"

echo "== --engine local --jobs 2"
t=$(now)
"$ferlab" "${grid[@]}" --engine local --jobs 2 --results "$work/local" > "$work/local.txt"
echo "local, 2 jobs: $(seconds "$t") ms"
cmp "$work/sequential.txt" "$work/local.txt" || fail "the local engine printed another notebook"
[ "$(records "$work/sequential.jsonl")" = "$(records "$work/local/session.jsonl")" ] || fail "the local engine recorded other events"

echo "== a single-node cluster"
cluster_start "$work/cluster"

echo "== --engine slurm, a clean run"
t=$(now)
"$ferlab" "${grid[@]}" --engine slurm --results "$work/clean" --cpus-per-task 1 --mem 1G --time 10:00 --wait \
  > "$work/clean.txt"
echo "slurm, submission to table: $(seconds "$t") ms"
cmp "$work/sequential.txt" "$work/clean.txt" || fail "the Slurm run printed another notebook"
[ "$(records "$work/sequential.jsonl")" = "$(records "$work/clean/session.jsonl")" ] || fail "the Slurm run recorded other events"

echo "== --engine slurm, one task cancelled while it runs"
"$ferlab" "${grid[@]}" --engine slurm --results "$work/slurm" --cpus-per-task 1 --mem 1G --time 10:00 > /dev/null
job=$(sed -n 's/^ *"job" : "\([0-9]*\)".*/\1/p' "$work/slurm/submissions.json" | head -n 1)
[ -n "$job" ] || fail "no job id in submissions.json"
echo "job array $job"
# The first task whose worker has claimed its cell (its log names the cell) is cancelled.
victim=""
for _ in $(seq 600); do
  for task in $(squeue --noheader --array --jobs "$job" --states=RUNNING --format=%i 2>/dev/null); do
    if grep -qs "^cell ${task#*_}: " "$work/slurm/logs/$task.log"; then victim=$task; break 2; fi
  done
  sleep 0.05
done
[ -n "$victim" ] || fail "no task of job $job was seen running"
scancel "$victim"
echo "cancelled task $victim"
for _ in $(seq 600); do [ -z "$(squeue --noheader --jobs "$job" 2>/dev/null)" ] && break; sleep 0.5; done
[ -z "$(squeue --noheader --jobs "$job" 2>/dev/null)" ] || fail "job $job did not end"

if "$ferlab" collect "$work/slurm" > "$work/incomplete.txt" 2>&1; then fail "collect merged a grid with a cancelled cell"; fi
cat "$work/incomplete.txt"
index=${victim#*_}
grep -q "^  failed  .* (cell $index), slurm job $job task $index, log $work/slurm/logs/${victim}.log: stopped by SIGTERM" \
  "$work/incomplete.txt" || fail "collect did not list cell $index as failed with its job, task and log"
grep -q -- "--resume $work/slurm" "$work/incomplete.txt" || fail "collect did not say how to resume"

echo "== --resume"
"$ferlab" "${grid[@]}" --resume "$work/slurm" --wait > "$work/resumed.txt"
grep -q '"cells" : \[' "$work/slurm/submissions.json"
resubmitted=$(tr -d ' \n' < "$work/slurm/submissions.json" | sed -E 's/.*"cells":\[([0-9,]*)\].*"number":2.*/\1/')
[ "$resubmitted" = "$index" ] || fail "the resume submitted cells [$resubmitted], not [$index] alone"
cmp "$work/sequential.txt" "$work/resumed.txt" || fail "the resumed grid printed another notebook"
"$ferlab" collect "$work/slurm" > "$work/collected.txt"
cmp "$work/sequential.txt" "$work/collected.txt" || fail "collect printed another notebook"
[ "$(records "$work/sequential.jsonl")" = "$(records "$work/slurm/session.jsonl")" ] || fail "the resumed grid recorded other events"

echo "== a video dataset: one job prepares the cache, the array's tasks read it"
"$ferlab" synth --out "$work/videos" --preset small --subjects 4 --clips-per-class 1 --frames 8 --size 32 > /dev/null 2>&1
video=(cv --data "enterface:$work/videos" --preset tiny --streams rgb --epochs 1 --folds 2)
"$ferlab" "${video[@]}" --engine slurm --results "$work/video" --cache "$work/cache" --wait > "$work/video.txt"
grep -q '"prepareJob"' "$work/video/submissions.json" || fail "the array was submitted without a preparing job"
grep -qs "(0 from cache, 24 decoded)" "$work/video/logs/"prepare-*.log || fail "the preparing job did not decode the videos"
for log in "$work/video/logs/"*_*.log; do
  grep -q "(24 from cache, 0 decoded)" "$log" || fail "$log: a task did not read every clip from the cache"
done
FERLAB_CACHE="$work/cache" "$ferlab" "${video[@]}" > "$work/video-sequential.txt" 2> /dev/null
cmp "$work/video-sequential.txt" "$work/video.txt" || fail "the video grid printed another notebook than the sequential run"

echo "test-slurm: OK: the sequential run, --engine local and Slurm (cancelled task resumed; video data prepared once) print the same table"
tail -n 8 "$work/sequential.txt"
