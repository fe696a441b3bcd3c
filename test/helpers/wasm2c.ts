// A standalone policy module (export --format wasm) compiled to a native program: wasm2c turns the module into C,
// the system C compiler builds it with test/c/policy-harness.c. Used by test/export-wasm.test.ts (actions) and
// bench/cases/edge.ts (latency).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const HARNESS = join(import.meta.dirname, '..', 'c', 'policy-harness.c');

export interface Toolchain { wasm2c: string; cc: string; rtDir: string }

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** wasm2c, a C compiler and the directory of wabt's wasm-rt-impl.c — or why the native build cannot run. */
export function findToolchain(): Toolchain | string {
  const wasm2c = which('wasm2c');
  if (!wasm2c) return 'wasm2c (Debian package wabt) is not installed';
  const cc = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c && which(c));
  if (!cc) return 'no C compiler (cc, gcc or clang) found';
  // wasm2c's runtime: Debian ships it in /usr/share/wabt/wasm2c (wasm-rt.h in /usr/include); a wabt build
  // from source has it in wasm2c/ of the source tree, next to bin/.
  const prefix = dirname(dirname(realpathSync(wasm2c)));
  const rtDir = [join(prefix, 'share', 'wabt', 'wasm2c'), join(prefix, 'wasm2c'), '/usr/share/wabt/wasm2c', '/usr/src/wasm2c']
    .find((d) => existsSync(join(d, 'wasm-rt-impl.c')));
  if (!rtDir) return `wasm2c's runtime (wasm-rt-impl.c) was not found beside ${wasm2c}`;
  return { wasm2c, cc, rtDir };
}

/** Builds `wasm` into DIR/policy-harness (DIR is created) and returns its path:
 *    wasm2c policy.wasm -n policy -o policy.c
 *    cc -O2 -c wasm-rt-impl.c;  cc -O2 -ffp-contract=off policy-harness.c policy.c wasm-rt-impl.o -lm
 *  -ffp-contract=off: no fused multiply-add, which would round differently from WebAssembly. */
export function buildNativePolicy(wasm: Uint8Array, dir: string, { wasm2c, cc, rtDir }: Toolchain): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'policy.wasm'), wasm);
  execFileSync(cc, ['-O2', '-c', join(rtDir, 'wasm-rt-impl.c'), '-I', rtDir, '-o', 'wasm-rt-impl.o'], { cwd: dir });
  execFileSync(wasm2c, ['policy.wasm', '-n', 'policy', '-o', 'policy.c'], { cwd: dir });
  execFileSync(cc, ['-O2', '-ffp-contract=off', '-I', '.', '-I', rtDir, HARNESS, 'policy.c', 'wasm-rt-impl.o', '-lm', '-o', 'policy-harness'], { cwd: dir });
  return join(dir, 'policy-harness');
}
