#!/usr/bin/env bash
# Runs the training jobs behind the README's MuJoCo results table, WORKERS at a time (default 2: one per core),
# each an ordinary `ddpg-wasm train` run folder under runs/results/. Started again with the same arguments it
# skips finished runs (eval.json present) and resumes interrupted ones exactly (checkpoint.ddpg present).
#   scripts/results-queue.sh JOBFILE [WORKERS]      JOBFILE: lines "ENV ALGO SEED [extra flags…]"
set -uo pipefail
cd "$(dirname "$0")/.."
jobs_file=$1; workers=${2:-2}
mkdir -p runs/results
run_one() {
  local env=$1 algo=$2 seed=$3; shift 3
  local dir="runs/results/${env}-${algo}-seed${seed}"
  if [ -f "$dir/eval.json" ]; then echo "done    $dir"; return; fi
  if [ -f "$dir/checkpoint.ddpg" ]; then
    echo "resume  $dir"; node dist/cli/main.js train --resume "$dir" --quiet >> "$dir.log" 2>&1
  else
    echo "start   $dir"; node dist/cli/main.js train --env "$env" --algo "$algo" --seed "$seed" --out "$dir" --quiet "$@" > "$dir.log" 2>&1
  fi
  echo "exit $?  $dir: $(tail -1 "$dir.log")"
}
export -f run_one
grep -v '^\s*#' "$jobs_file" | grep -v '^\s*$' | xargs -P "$workers" -L 1 bash -c 'run_one "$@"' _
