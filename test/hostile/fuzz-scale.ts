// How far the hostile suites go: 1 in `npm test` (inside its time budget), larger under `npm run fuzz`
// (FUZZ_SCALE=10): more random truncations, flips and kills, more replacement values, every array index.
const raw = process.env.FUZZ_SCALE ?? '1';
export const FUZZ_SCALE = Number(raw);
if (!Number.isInteger(FUZZ_SCALE) || FUZZ_SCALE < 1) throw new Error(`FUZZ_SCALE must be a positive integer, got '${raw}'`);

/** `n` inputs in `npm test`, n × FUZZ_SCALE under `npm run fuzz`. */
export const scaled = (n: number): number => n * FUZZ_SCALE;
