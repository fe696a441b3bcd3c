// Where the workers load the engine from: the SIMD build, or the build without SIMD (same results bit for
// bit) on a browser whose WebAssembly lacks SIMD. Both are copied beside the bundles by scripts/build-web.mjs.
import { hostHasSimd } from '../../src/index.js';

export const ENGINE_URL = new URL(hostHasSimd() ? './engine.wasm' : './engine-scalar.wasm', import.meta.url);
