// Seeded parameter initialisation (the DDPG paper's, §7):
//   hidden layers: W, b ~ U(−1/√fan_in, 1/√fan_in)      final layer: W, b ~ U(−finalScale, finalScale)
// Values are drawn in layout order (W row-major, then b, layer by layer) from seedrandom(String(seed)),
// so one seed gives the same bits everywhere.
import seedrandom from 'seedrandom';
import type { LayerLayout } from './layout.js';

export function initParams(params: Float32Array, layers: readonly LayerLayout[], seed: number, finalScale: number): void {
  const rng = seedrandom(String(seed));
  layers.forEach((layer, l) => {
    const bound = l === layers.length - 1 ? finalScale : 1 / Math.sqrt(layer.in);
    const end = layer.bOffset + layer.out;
    for (let i = layer.wOffset; i < end; i++) params[i] = (2 * rng() - 1) * bound;
  });
}
