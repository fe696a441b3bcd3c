// Docs that run: every TypeScript snippet in the README is executed as it is written (with `from 'ddpg-wasm'`
// pointing at this checkout's src/), in a fresh process from the repository root, and must exit cleanly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const INDEX = join(ROOT, 'src', 'index.ts');
const EXPORT_INDEX = join(ROOT, 'src', 'export', 'index.ts');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** The ```ts blocks of a markdown file, with the line each starts on. */
function snippets(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    while (++i < lines.length && lines[i].trim() !== '```');
    out.push({ line: start + 1, code: lines.slice(start, i).join('\n') });
  }
  return out;
}

const readme = snippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));

describe('README snippets run', () => {
  it('there are snippets to run (the Library API, the reference kernels, gradcheck, the policy runtime)', () => {
    expect(readme.length).toBeGreaterThanOrEqual(4);
    expect(readme.map((s) => s.code).join('\n')).toMatch(/new TD3\(/);
  });

  // Inside the checkout (node_modules/.cache), so that packages a snippet imports besides ddpg-wasm resolve.
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'readme-snippets-'));
  for (const { line, code } of readme) {
    it(`README.md line ${line}`, () => {
      const file = join(dir, `snippet-${line}.mts`);
      writeFileSync(file, code.replaceAll("from 'ddpg-wasm'", `from ${JSON.stringify(INDEX)}`)
        .replaceAll("from 'ddpg-wasm/export'", `from ${JSON.stringify(EXPORT_INDEX)}`));
      const r = spawnSync(process.execPath, [TSX, file], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr, `README.md line ${line} failed:\n${r.stderr}`).not.toMatch(/Error/);
      expect(r.status, r.stderr).toBe(0);
    });
  }
});
