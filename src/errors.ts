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
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
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

/** An options argument: undefined, or a plain object (not null, not an array or typed array) whose keys are
 *  among `known` when given. */
export function checkOptions(value: unknown, what: string, known?: readonly string[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    fail(`${what} must be an options object or left out, got ${value === null ? 'null' : Array.isArray(value) || ArrayBuffer.isView(value) ? 'an array' : typeof value}`);
  }
  if (known) {
    for (const key of Object.keys(value as object)) {
      if (!known.includes(key)) fail(`${what} has an unknown option '${key}'; known: ${known.join(', ')}`);
    }
  }
}

/** A required object argument (not null, not an array). */
export function checkObject(value: unknown, what: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${what} must be an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
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

/** A worker thread of a threaded engine failed (or could not start); the engine is unusable afterwards. */
export class EngineThreadError extends Error {
  override name = 'EngineThreadError';
}
