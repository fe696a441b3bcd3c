// Error types and small input checks shared by every public entry point.
// Messages say what was given and what was expected.

/** Bad argument, config value or array passed to a public API. */
export class DdpgInputError extends Error {
  override name = 'DdpgInputError';
}

export function fail(message: string): never {
  throw new DdpgInputError(message);
}

export function checkPositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function checkLength(array: ArrayLike<number>, expected: number, what: string, shape: string): void {
  if (!array || typeof array.length !== 'number') fail(`${what} must be an array of ${expected} numbers (${shape}), got ${String(array)}`);
  if (array.length !== expected) {
    fail(`${what} has length ${array.length}, expected ${expected} (${shape})`);
  }
}

/** Throws naming the first NaN/Infinity entry (row and column when cols is given). */
export function checkFinite(array: ArrayLike<number>, what: string, cols = 0): void {
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (!Number.isFinite(v)) {
      const where = cols > 0 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      fail(`${what} contains ${v} at ${where} (flat index ${i}); all values must be finite`);
    }
  }
}

/** Training produced NaN/Infinity; `network` names where it was first seen, `update` when. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(readonly network: string, readonly update: number, message: string) {
    super(message);
  }
}
