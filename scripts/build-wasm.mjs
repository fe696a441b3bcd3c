// Compiles every WebAssembly module of the project with the AssemblyScript compiler (npm run build:wasm).
// One row per module: the entry file, its asconfig.json target (output file and optimisation), and the
// features it is built with. The engine is built twice — with SIMD (what runs wherever SIMD is available) and
// without (the fallback loadEngine() picks when WebAssembly.validate says the host lacks SIMD).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');

const MODULES = [
  // entry                     target             features
  ['assembly/index.ts',        'release',         ['simd']],
  ['assembly/kernels.ts',      'kernels',         ['simd']],
  ['assembly/index.ts',        'release-scalar',  []],
  ['assembly/index-threads.ts', 'release-threads', ['simd', 'threads']],
  ['assembly/kernels.ts',      'kernels-scalar',  []],
  ['assembly/policy-module.ts', 'policy-module',  []],
];

for (const [entry, target, features] of MODULES) {
  const args = [asc, entry, '--config', 'asconfig.json', '--target', target, ...features.flatMap((f) => ['--enable', f])];
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}
