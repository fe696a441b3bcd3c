// Builds the browser demos into web/dist/: bundles the Pendulum page (web/src/main.ts, worker.ts) and the
// MuJoCo page (web/src/mujoco-main.ts, mujoco-worker.ts) with esbuild (ES modules, the workers are module
// workers) and copies the pages, their stylesheet, the engine .wasm and the shipped policies beside them,
// and MuJoCo's single-threaded build (@mujoco/mujoco's mujoco.js + mujoco.wasm) to web/dist/mujoco/, which
// only the MuJoCo page's worker imports, at run time. Needs build/engine.wasm (npm run build:wasm).
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const out = join(web, 'dist');
const wasm = join(root, 'build', 'engine.wasm');
if (!existsSync(wasm)) {
  console.error(`build-web: ${wasm} is missing; run npm run build:wasm first`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: {
    main: join(web, 'src', 'main.ts'), worker: join(web, 'src', 'worker.ts'),
    'mujoco-main': join(web, 'src', 'mujoco-main.ts'), 'mujoco-worker': join(web, 'src', 'mujoco-worker.ts'),
  },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
for (const page of ['index.html', 'mujoco.html', 'style.css']) copyFileSync(join(web, page), join(out, page));
copyFileSync(wasm, join(out, 'engine.wasm'));
copyFileSync(join(root, 'build', 'engine-scalar.wasm'), join(out, 'engine-scalar.wasm'));
copyFileSync(join(root, 'build', 'engine-threads.wasm'), join(out, 'engine-threads.wasm'));
cpSync(join(web, 'assets'), join(out, 'assets'), { recursive: true });
const mujoco = join(root, 'node_modules', '@mujoco', 'mujoco');
mkdirSync(join(out, 'mujoco'));
for (const f of ['mujoco.js', 'mujoco.wasm']) copyFileSync(join(mujoco, f), join(out, 'mujoco', f));
const size = (f) => `${(statSync(join(out, f)).size / 1024).toFixed(1)} KiB`;
console.log(`web/dist: main.js ${size('main.js')}, worker.js ${size('worker.js')}, engine.wasm ${size('engine.wasm')}; ` +
  `mujoco-main.js ${size('mujoco-main.js')}, mujoco-worker.js ${size('mujoco-worker.js')}, mujoco/mujoco.js ${size('mujoco/mujoco.js')}, mujoco/mujoco.wasm ${size('mujoco/mujoco.wasm')}`);
