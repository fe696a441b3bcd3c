// Builds the browser demo into web/dist/: bundles web/src/main.ts and web/src/worker.ts with esbuild (ES
// modules, the worker is a module worker) and copies the page, its stylesheet, the engine .wasm and the
// shipped policy beside them. Needs build/engine.wasm (npm run build:wasm).
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
  entryPoints: { main: join(web, 'src', 'main.ts'), worker: join(web, 'src', 'worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync(join(web, 'index.html'), join(out, 'index.html'));
copyFileSync(join(web, 'style.css'), join(out, 'style.css'));
copyFileSync(wasm, join(out, 'engine.wasm'));
cpSync(join(web, 'assets'), join(out, 'assets'), { recursive: true });
const size = (f) => `${(statSync(join(out, f)).size / 1024).toFixed(1)} KiB`;
console.log(`web/dist: main.js ${size('main.js')}, worker.js ${size('worker.js')}, engine.wasm ${size('engine.wasm')}`);
