#!/usr/bin/env bash
# Re-makes web/assets/idp-policy.bin, the trained InvertedDoublePendulum-v5 policy the MuJoCo page ships,
# with our own CLI: TD3 with the task's preset (the TD3 paper's: lr 1e-3, batch 100, 1000 random steps) but
# 64/64 networks, 30k steps, seed 1 (≈ 15 s on one core; it balances from ~18k steps on), then the
# deterministic evaluation of the run (10 episodes; it reached 9359.7 ± 0.1) and the actor export (≈ 20 KB).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node dist/cli/main.js train --env InvertedDoublePendulum-v5 --algo td3 --actor-hidden 64,64 --critic-hidden 64,64 \
  --steps 30000 --seed 1 --out "$tmp/run" --quiet
node dist/cli/main.js eval --checkpoint "$tmp/run" --episodes 10
node dist/cli/main.js export --checkpoint "$tmp/run" --out "${1:-web/assets/idp-policy.bin}"
