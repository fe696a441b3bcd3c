/** np.clip(x, lo, hi) for one number. */
export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
