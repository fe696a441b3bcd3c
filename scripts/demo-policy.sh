#!/usr/bin/env bash
# Re-makes web/assets/pendulum-policy.bin, the trained Pendulum-v1 policy the browser demo ships, with our
# own CLI: train 20k steps with seed 1 (the Pendulum-v1 preset), then export the actor.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node dist/cli/main.js train --seed 1 --out "$tmp/run" --quiet
node dist/cli/main.js export --checkpoint "$tmp/run" --out "${1:-web/assets/pendulum-policy.bin}"
