// The demo's static server (scripts/demo-server.mjs) against hostile clients: a few thousand requests generated
// from a seeded RNG and written to raw sockets, so malformed request lines really are sent — bad escapes, `..` in
// every encoding, NUL and control bytes, URLs around and past the limits, odd methods, huge, duplicate and broken
// headers, truncated and pipelined requests, bursts of connections, and half-open ones left dangling. Every answer
// must be an allowed status with COOP/COEP; a 200 must be byte for byte a file of the root, anything else a short
// text/plain body; a secret planted beside the root (and in a dotfile inside it, and reachable through symlinks
// inside it) never comes back; the dangling connections are closed by the server; afterwards GET / still works.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { METHODS } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without type declarations
import { startDemoServer } from '../../scripts/demo-server.mjs';
import { scaled } from './fuzz-scale.js';

type Server = { url: string; close: () => Promise<void> };
const HEADERS_TIMEOUT = 2000; // ms, short so that the dangling connections are closed within the test

// The root: a few files, a dotfile holding the secret, symlinks leading out of it, a symlink loop and a FIFO.
// Beside it, the secret file.
const SECRET = `SECRET-${randomBytes(8).toString('hex')}`;
const PASSWD = readFileSync('/etc/passwd', 'latin1').split('\n')[0]; // 'root:x:0:0:…', never to be served
const base = mkdtempSync(join(tmpdir(), 'ddpg-demo-server-'));
const root = join(base, 'root');
const FILES: Record<string, Buffer> = {
  '/index.html': Buffer.from('<!doctype html><title>demo</title><p>the fuzzed root\n'),
  '/engine.wasm': Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
  '/sub/index.html': Buffer.from('<!doctype html><p>sub\n'),
  '/sub/page.html': Buffer.from('<!doctype html><p>page\n'),
};
mkdirSync(join(root, 'sub'), { recursive: true });
for (const [name, bytes] of Object.entries(FILES)) writeFileSync(join(root, name), bytes);
writeFileSync(join(base, 'secret.txt'), `${SECRET}\n`);
writeFileSync(join(root, '.env'), `TOKEN=${SECRET}\n`);
symlinkSync('../secret.txt', join(root, 'link.txt'));
symlinkSync('..', join(root, 'linkdir'));
symlinkSync('/', join(root, 'abs'));
symlinkSync('loop', join(root, 'loop'));
execFileSync('mkfifo', [join(root, 'pipe')]);

// ---- raw HTTP over a socket ----
interface Answer { status: number; headers: Record<string, string>; body: Buffer }
interface Exchange { answers: Answer[]; rest: Buffer; raw: Buffer; bad?: string; timedOut: boolean; ms: number }

/** Parses the answers in `buf`; `heads[i]` says the i-th request was a HEAD (no body). Skips 1xx interim answers. */
function parseAnswers(buf: Buffer, heads: boolean[]): Pick<Exchange, 'answers' | 'rest' | 'bad'> {
  const answers: Answer[] = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const [first, ...lines] = buf.toString('latin1', at, end).split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(first);
    if (!m) return { answers, rest: buf.subarray(at), bad: first };
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const status = Number(m[1]);
    if (status < 200) { at = end + 4; continue; }
    if (headers['transfer-encoding'] || headers['content-length'] === undefined) return { answers, rest: buf.subarray(at), bad: 'no content-length' };
    const length = heads[answers.length] ? 0 : Number(headers['content-length']);
    if (buf.length < end + 4 + length) break;
    answers.push({ status, headers, body: buf.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return { answers, rest: buf.subarray(at) };
}

interface SendOptions { heads?: boolean[]; fin?: boolean; dripMs?: number; timeoutMs?: number }
/** Writes `bytes` on a fresh connection (all at once, or a byte every dripMs), then reads until the server closes,
 *  heads.length answers have come, or the timeout. */
function exchange(port: number, bytes: Buffer, { heads = [false], fin = false, dripMs = 0, timeoutMs = 5000 }: SendOptions = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const filesBefore = openFiles();
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    let drip: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      resolve({ ...parseAnswers(raw, heads), raw, timedOut, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('error', () => {}); // a reset shows as a close
    socket.on('close', () => finish(false));
    socket.on('data', (d) => {
      chunks.push(d);
      if (parseAnswers(Buffer.concat(chunks), heads).answers.length >= heads.length) finish(false);
    });
    socket.on('connect', () => {
      if (dripMs > 0) {
        let i = 0;
        drip = setInterval(() => { if (i < bytes.length && !socket.destroyed) socket.write(bytes.subarray(i, ++i)); }, dripMs);
      } else {
        if (bytes.length) socket.write(bytes);
        if (fin) socket.end();
      }
    });
  });
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const request = (method: string, target: string, headers = ['Host: x', 'Connection: close'], version = 'HTTP/1.1') =>
  `${method} ${target} ${version}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;

// ---- generated cases ----
/** One connection's worth: the bytes, the statuses allowed for each request on it, whether it may close unanswered. */
interface Case { cls: string; bytes: Buffer; allowed: number[][]; heads: boolean[]; fin?: boolean; mayClose?: boolean; dripMs?: number }
const one = (cls: string, method: string, target: string, allowed: number[], headers?: string[], version?: string): Case =>
  ({ cls, bytes: latin1(request(method, target, headers, version)), allowed: [allowed], heads: [method === 'HEAD'] });

const rng = seedrandom('demo-server-fuzz');
const int = (a: number, b: number) => a + Math.floor(rng() * (b - a + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const chance = (p: number) => rng() < p;
const insert = (s: string, piece: string, from = 1) => { const i = int(from, s.length); return s.slice(0, i) + piece + s.slice(i); };
const pct = (ch: string) => { const h = ch.charCodeAt(0).toString(16).padStart(2, '0'); return `%${chance(0.5) ? h : h.toUpperCase()}`; };

const GOOD = ['/', '/index.html', '/engine.wasm', '/sub/', '/sub/page.html', '/sub/index.html', '/missing.html', '/sub/nope.js',
  '/sub', '/index.html?v=1', '/engine.wasm?x=%zz&y=../..', '/index.html#top', '//index.html', '/pipe', '/loop', '/loop/x'];
const ASKED = GOOD.map((t) => (t === '/pipe' || t.startsWith('/loop') ? 404 : oracle(t)));

/** The rules restated, for targets naming no dotfile or symlink: the status the server must give. */
function oracle(target: string): number {
  let path: string;
  try {
    path = decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return 400;
  }
  if (/[\0-\x1f\x7f\\]/.test(path)) return 400;
  if (path.split('/').includes('..')) return 403;
  return path.replace(/\/+/g, '/').replace(/\/$/, '/index.html') in FILES ? 200 : 404;
}

const BAD_ESCAPES = ['%', '%%', '%2', '%G0', '%zz', '%E0%A4%A', '%E0%A4', '%ff', '%FE', '%c3%28', '%80', '%bf', '%ed%a0%80',
  '%f8%88%80%80%80', '%c0%80', '%c1%bf', '%f4%90%80%80', '%u0041', '%%32%65', '%e2%82%ac', '%20', '%2e', '%2F', '%25'];
function escapeCase(): Case {
  let t = [...pick(GOOD.slice(0, 9))].map((ch, i) => (i > 0 && chance(0.15) ? pct(ch) : ch)).join(''); // the leading / stays
  for (let k = int(0, 3); k > 0; k--) t = insert(t, pick(BAD_ESCAPES));
  return one('escape', chance(0.3) ? 'HEAD' : 'GET', t, [oracle(t)]);
}

const DOTDOT = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.', '..%00', '%2e%2e%00', '%252e%252e', '%c0%ae%c0%ae',
  '%e0%80%ae%e0%80%ae', '%c0%2e%c0%2e', '..;', '...', '.%u002e', '%%32%65%%32%65', '%2e%2e%2f..', '..\\..'];
const SEPARATORS = ['/', '%2f', '%2F', '\\', '%5c', '%5C', '%252f', '%c0%af', '%e0%80%af', '%c1%9c', '//', '/./', '/%2e/', '%00/'];
const TARGETS = ['secret.txt', 'etc/passwd', 'etc%2fpasswd', '.env', 'root/.env', 'index.html', 'root/index.html%00.wasm'];
const PREFIXES = ['/', '/sub/', '/sub/x/', '/linkdir/', '/abs/', '//', '/./', '/%2e/', '/sub%2f'];
const DIRECT = ['/link.txt', '/linkdir/secret.txt', '/linkdir/linkdir/secret.txt', '/abs/etc/passwd', '/%6cink.txt', '/linkdir%2fsecret.txt',
  '/.env', '/%2eenv', '/sub/../.env', 'http://127.0.0.1/../secret.txt', 'file:///etc/passwd', '*', 'x:443', '/abs%2fetc%2fpasswd'];
function traversalCase(): Case {
  const method = chance(0.3) ? 'HEAD' : 'GET';
  if (chance(0.2)) return one('traversal', 'GET', pick(DIRECT), [400, 403, 404]); // GET: the parser refuses some of these
  let t = pick(PREFIXES);
  for (let k = int(1, 6); k > 0; k--) t += pick(DOTDOT) + pick(SEPARATORS);
  t += pick(TARGETS) + (chance(0.2) ? pick(['?../../secret.txt', '#/../..', '?%zz']) : '');
  return one('traversal', method, t, [400, 403, 404]);
}

const CONTROL = ['\0', '\x01', '\x08', '\x1b', '\x7f', '\t', '\r', '%00', '%0a', '%0d%0a', '%0D%0ASet-Cookie:%20x=1', '%01', '%1f', '%7f', '%09', '%5c'];
const nulCase = (): Case => one('nul', 'GET', insert(pick(GOOD.slice(0, 8)), pick(CONTROL)), [400]);

/** A path of exactly `n` characters (n ≥ 2): segments of up to 300 characters, some percent-escaped. */
function longPath(n: number): string {
  let p = '';
  while (p.length < n) p += `/${'abcdefghijklmnopqrstuvwxyz0123456789-'.slice(0, int(1, 36)).repeat(int(1, 8))}${chance(0.3) ? '%41' : ''}`;
  return p.slice(0, n).replace(/%.?$/, (m) => 'x'.repeat(m.length));
}
function longCase(): Case {
  const region = rng();
  const n = region < 0.15 ? int(1000, 8192) : region < 0.4 ? 8192 + int(-50, 50) : region < 0.65 ? int(8193, 16000)
    : region < 0.85 ? int(16000, 16600) : int(16600, 70000);
  const allowed = n <= 8192 ? [404] : n <= 16000 ? [414] : n < 16400 ? [414, 431] : [431];
  return one('long', 'GET', longPath(n), allowed);
}

function methodCase(): Case {
  const r = rng();
  const method = r < 0.6 ? pick(METHODS) : r < 0.75 ? pick(METHODS).toLowerCase() : r < 0.9
    ? Array.from({ length: int(1, 10) }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_'])).join('')
    : Array.from({ length: int(1, 8) }, () => String.fromCharCode(int(0x21, 0x7e))).join('');
  const target = chance(0.1) ? pick(['*', 'x:443', 'http://x/']) : pick(GOOD.slice(0, 8));
  const headers = ['Host: x', 'Connection: close'];
  let body = '';
  if (chance(0.4)) {
    body = 'x'.repeat(int(0, 2000));
    headers.push(chance(0.5) ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked');
    if (headers.at(-1)!.startsWith('Transfer')) body = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  }
  const known = METHODS.includes(method);
  const allowed = !known ? [400] : method === 'CONNECT' ? [400, 405] : target === 'x:443' ? [400] // the parser's 400: authority-form is for CONNECT
    : method !== 'GET' && method !== 'HEAD' ? [405] : target.startsWith('/') ? [oracle(target)] : [400];
  const c = one('method', method, target, allowed, headers);
  // A HEAD the parser refuses is answered with a body: past the parser, the server cannot know it was a HEAD.
  return { ...c, bytes: Buffer.concat([c.bytes, latin1(body)]), heads: [method === 'HEAD' && target !== 'x:443'] };
}

const H = ['Host: x', 'Connection: close'];
// Node's limit of 16 KiB counts the bytes of the header names and values (not the ': ' and CRLFs between them).
const headLimit = (headers: string[]) => { const n = headers.join('').length - 2 * headers.length; return n <= 16000 ? [200] : n < 16800 ? [200, 431] : [431]; };
function headersCase(): Case {
  const v = int(0, 9);
  const hc = (headers: string[], allowed: number[], version?: string) => one('headers', 'GET', '/', allowed, headers, version);
  if (v === 0) { const h = [...H, `X-Big: ${'a'.repeat(pick([int(100, 16000), int(16000, 16800), int(16800, 40000)]))}`]; return hc(h, headLimit(h)); }
  if (v === 1) { const h = [...H, ...Array.from({ length: int(1, 4000) }, (_, i) => `X-H${i}: ${'v'.repeat(int(0, 6))}`)]; return hc(h, headLimit(h)); }
  if (v === 2) return hc([...H, ...Array.from({ length: int(2, 5) }, (_, i) => `${pick(['Host', 'Accept', 'Cookie', 'Range', 'Connection'])}: v${i}`)], [200]);
  if (v === 3) return hc([...H, ...pick([['Content-Length: 0', 'Content-Length: 0'], ['Content-Length: 1', 'Content-Length: 2'],
    ['Content-Length: 3', 'Transfer-Encoding: chunked'], ['Content-Length: -1'], ['Content-Length: abc'], ['Content-Length: 1 2'],
    ['Content-Length: 99999999999999999999'], ['Transfer-Encoding: gzip, chunked, identity'], ['Transfer-Encoding: chunked, gzip']])], [400]);
  if (v === 4) return hc([...H, pick(['X Y: z', 'X\x01: z', ': v', 'NoColon', 'X: a\x00b', 'X: a\rb', 'X-\x7f: a', '\xff: a', 'X:\x1b[31m', ' folded: x', '\tfolded'])], [400]);
  if (v === 5) return hc([...H, `Range: ${pick(['bytes=5-2', 'bytes=-0', 'bytes=99999999999999999999-', 'bytes=abc', `bytes=${'0-0,'.repeat(int(1, 2000))}0-1`, 'items=1-2'])}`,
    pick(['If-None-Match: *', 'If-Modified-Since: garbage', 'Accept-Encoding: gzip, br', 'If-Range: x', 'Cookie: a=\xff'])], [200]);
  if (v === 6) return hc([...H, `Expect: ${pick(['100-continue', 'garbage', '200-ok'])}`], [200]);
  if (v === 7) return hc([...H, 'Upgrade: ' + pick(['websocket', 'h2c', 'TLS/1.0']), 'Connection: Upgrade'], [200]);
  if (v === 8) return hc(pick([['Connection: close'], []]), [400]); // HTTP/1.1 without Host
  return pick([hc(['Connection: close'], [200], 'HTTP/1.0'), hc(H, [200], pick(['HTTP/2.0', 'HTTP/0.9'])), // versions the parser takes (the answer is HTTP/1.1)
    hc(H, [400], pick(['HTTP/1.1 ', 'http/1.1', 'HTTP/1', 'HTTP/11.1', 'HTTP/1.1\0', 'HTTP/3.0', 'HTTP/1.2']))]);
}

function truncatedCase(): Case {
  const full = request('GET', pick(GOOD.slice(0, 8)), [...H, 'Accept: */*', 'User-Agent: fuzz']);
  return { cls: 'truncated', bytes: latin1(full.slice(0, int(0, full.length - 1))), allowed: [[400]], heads: [false], fin: true, mayClose: true };
}

const garbageCase = (): Case => ({ cls: 'garbage', fin: true, mayClose: true, heads: [false], allowed: [[400]],
  bytes: Buffer.concat([latin1(chance(0.5) ? pick(['GET ', 'GET /', 'HEAD /', 'POST / HTTP/1.1\r\n', '\r\n', 'PRI * HTTP/2.0\r\n\r\n']) : ''), randomBytesFrom(int(1, 300))]) });
function randomBytesFrom(n: number): Buffer { return Buffer.from(Array.from({ length: n }, () => int(0, 255))); }

/** 2–5 requests in one write: good keep-alive ones, maybe bad ones (after the first of which the server closes).
 *  A request the parser refuses (400) and a CONNECT (405) are answered on the socket at once, before the answers
 *  to the good ones before them have begun: so their status may come in any earlier place, and as it has a body
 *  the requests are then never HEADs. With a FIN after the requests, Node closes without answering the good ones. */
function pipelinedCase(): Case {
  const parts: Case[] = Array.from({ length: int(2, 5) }, () => {
    if (chance(0.7)) { const i = int(0, GOOD.length - 1); return one('', chance(0.3) ? 'HEAD' : 'GET', GOOD[i], [ASKED[i]], ['Host: x']); }
    for (;;) { const c = pick([escapeCase, traversalCase, nulCase, methodCase])(); if (!c.heads[0]) return c; }
  });
  const isBad = (p: Case) => p.cls !== '';
  if (parts.some(isBad)) for (const p of parts) p.heads[0] = false, p.bytes = latin1(p.bytes.toString('latin1').replace(/^HEAD /, 'GET '));
  const fin = chance(0.5);
  return { cls: 'pipelined', bytes: Buffer.concat(parts.map((p) => p.bytes)), heads: parts.map((p) => p.heads[0]), fin, mayClose: fin,
    allowed: parts.map((p, i) => [...p.allowed[0], ...parts.slice(i + 1).filter(isBad).flatMap((q) => q.allowed[0])]) };
}

/** A connection left open in the middle of a request (or before one, or dripping a byte every 150 ms). */
function danglingCase(i: number): Case {
  const full = request('GET', '/index.html', [...H, 'Accept: */*']);
  const bytes = latin1(i % 3 === 0 ? '' : i % 3 === 1 ? full.slice(0, int(1, 20)) : full.slice(0, full.length - 2));
  return { cls: 'dangling', bytes: i < 5 ? latin1(full) : bytes, dripMs: i < 5 ? 150 : 0, allowed: [[408]], heads: [false] };
}

// ---- checks and counts ----
const counts = new Map<string, Map<string, number>>();
const failures: string[] = [];
const count = (cls: string, what: string) => { const m = counts.get(cls) ?? new Map(); counts.set(cls, m.set(what, (m.get(what) ?? 0) + 1)); };

function check(c: Case, x: Exchange, cls = c.cls): void {
  const where = `${c.cls} ${JSON.stringify(c.bytes.toString('latin1', 0, 160))}`;
  const fail = (m: string) => failures.push(`${where}: ${m}`);
  if (x.raw.includes(SECRET) || x.raw.includes(PASSWD)) fail('an answer holds bytes of a file outside the root');
  if (x.bad) fail(`not an HTTP answer: ${JSON.stringify(x.bad)}`);
  if (x.timedOut && x.answers.length < c.heads.length) fail(`neither answered nor closed within ${x.ms} ms`);
  if (x.rest.length) fail(`${x.rest.length} bytes after the last answer: ${JSON.stringify(x.rest.toString('latin1', 0, 80))}`);
  if (x.answers.length === 0) {
    count(cls, 'none');
    if (!c.mayClose) fail('closed without an answer');
  }
  x.answers.forEach((a, i) => {
    count(cls, String(a.status));
    const allowed = c.allowed[i];
    if (!allowed) return fail(`answer ${i + 1} to ${c.allowed.length} requests`);
    if (!allowed.includes(a.status)) fail(`answer ${i + 1}: ${a.status}, expected ${allowed.join('/')} (${a.body.toString('latin1').trim()})`);
    if (a.headers['cross-origin-opener-policy'] !== 'same-origin' || a.headers['cross-origin-embedder-policy'] !== 'require-corp') fail(`answer ${i + 1} without COOP/COEP`);
    if (i < x.answers.length - 1 && a.status !== 200) fail(`an answer after a ${a.status}, which closes the connection`);
    if (a.status === 200) {
      const name = Object.keys(FILES).find((f) => (c.heads[i] ? FILES[f].length === Number(a.headers['content-length']) : FILES[f].equals(a.body)));
      if (!name) fail(`a 200 that is not a file of the root: ${JSON.stringify(a.body.toString('latin1', 0, 80))}`);
      else if (name.endsWith('.wasm') !== (a.headers['content-type'] === 'application/wasm')) fail(`${name} served as ${a.headers['content-type']}`);
    } else {
      if (a.headers['content-type'] !== 'text/plain; charset=utf-8') fail(`a ${a.status} as ${a.headers['content-type']}`);
      if (!c.heads[i] && !new RegExp(`^${a.status} [ -~]{1,80}\n$`).test(a.body.toString('latin1'))) fail(`a ${a.status} whose body is not a short text: ${JSON.stringify(a.body.toString('latin1', 0, 80))}`);
      if (a.status === 405 && a.headers.allow !== 'GET, HEAD') fail(`a 405 with Allow: ${a.headers.allow}`);
    }
  });
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < items.length) await work(items[next++]); }));
}

let server: Server;
let port: number;
beforeAll(async () => {
  server = await startDemoServer({ root, port: 0, headersTimeout: HEADERS_TIMEOUT });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

const send = (c: Case, timeoutMs?: number) => exchange(port, c.bytes, { heads: c.heads, fin: c.fin, dripMs: c.dripMs, timeoutMs });
const get = async (target: string, extra: string[] = [], method = 'GET') => (await send(one('unit', method, target, [], [...H, ...extra]))).answers[0];

describe('the demo server, fuzzed', () => {
  it('answers thousands of generated hostile requests with allowed statuses, serves nothing from outside its root, and keeps serving', async () => {
    const t0 = Date.now();
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const filesBefore = openFiles();
    // Half-open connections first, left dangling all through the rest: the server must close each with a 408.
    const dangling = Array.from({ length: 30 }, (_, i) => danglingCase(i));
    const danglingDone = Promise.all(dangling.map(async (c) => ({ c, x: await send(c, HEADERS_TIMEOUT + 6000) })));
    const gen: [() => Case, number][] = [[escapeCase, 500], [traversalCase, 600], [nulCase, 250], [longCase, 160], [methodCase, 300],
      [headersCase, 300], [truncatedCase, 250], [garbageCase, 150], [pipelinedCase, 150]];
    const cases = gen.flatMap(([make, n]) => Array.from({ length: scaled(n) }, make));
    let requests = cases.reduce((s, c) => s + c.heads.length, 0) + dangling.length;
    await inParallel(cases, 16, async (c) => check(c, await send(c)));
    // Bursts: 100, 100 and 200 connections at once, each with a request of any kind but the big ones.
    const small = [escapeCase, traversalCase, nulCase, methodCase, truncatedCase, garbageCase, () => { const i = int(0, GOOD.length - 1); return one('', 'GET', GOOD[i], [ASKED[i]]); }];
    const bursts = Array.from({ length: scaled(1) }, () => [100, 100, 200]).flat();
    for (const size of bursts) {
      const burst = Array.from({ length: size }, () => pick(small)());
      requests += burst.length;
      const answers = await Promise.all(burst.map((c) => send(c, 10_000)));
      burst.forEach((c, i) => check(c, answers[i], 'burst'));
    }
    // The dangling ones: closed by the server, with a 408, each within its headers timeout (+ the check interval).
    for (const { c, x } of await danglingDone) {
      check(c, x);
      if (x.ms > HEADERS_TIMEOUT + 3000) failures.push(`dangling ${JSON.stringify(c.bytes.toString('latin1'))}: closed after ${x.ms} ms`);
    }
    const after = await get('/');
    const seconds = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 200));
    const filesAfter = openFiles(); // every file the server opened is closed again, however its request ended

    const statuses = [...new Set([...counts.values()].flatMap((m) => [...m.keys()]))].sort();
    const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(i ? 6 : 10)).join('');
    console.log([`demo server fuzz: ${requests} requests on ${cases.length + dangling.length + bursts.reduce((a, b) => a + b)} connections in ${seconds.toFixed(1)} s`,
      row(['class', 'n', ...statuses]),
      ...[...counts].map(([cls, m]) => row([cls, [...m.values()].reduce((a, b) => a + b, 0), ...statuses.map((s) => m.get(s) ?? '.')]))].join('\n'));
    expect(failures.slice(0, 30)).toEqual([]);
    expect(after.status).toBe(200);
    expect(after.body.equals(FILES['/index.html'])).toBe(true);
    expect(filesAfter).toBeLessThanOrEqual(filesBefore + 3);
  });

  it('a flood of idle connections past maxConnections (256): the extra ones are closed at once, the rest by the headers timeout, then it serves again', async () => {
    const t0 = Date.now();
    const idle = Array.from({ length: 300 }, () => exchange(port, Buffer.alloc(0), { timeoutMs: HEADERS_TIMEOUT + 6000 }));
    await new Promise((r) => setTimeout(r, 300));
    const during = await exchange(port, latin1(request('GET', '/')), { timeoutMs: HEADERS_TIMEOUT + 6000 });
    const ends = await Promise.all(idle);
    const after = await get('/');
    const dropped = ends.filter((x) => x.answers.length === 0 && x.ms < HEADERS_TIMEOUT).length;
    const timedOut = ends.filter((x) => x.answers.length === 1 && x.answers[0].status === 408).length;
    console.log(`idle flood: 300 connections, ${dropped} closed at once, ${timedOut} closed with a 408 (last after ${Math.max(...ends.map((x) => x.ms))} ms); ` +
      `a GET during it: ${during.answers[0]?.status ?? 'closed unanswered'}; after it: ${after.status}; ${Date.now() - t0} ms`);
    expect(dropped + timedOut).toBe(300);
    expect(dropped).toBeGreaterThanOrEqual(300 - 256);
    expect(ends.every((x) => !x.timedOut && x.rest.length === 0)).toBe(true);
    expect(during.timedOut).toBe(false); // answered or closed, never left waiting
    expect(after.status).toBe(200);
  });
});

describe('the demo server, case by case', () => {
  it('a malformed escape (issue 17: /%E0%A4%A) is a 400, and the server goes on serving', async () => {
    const a = await get('/%E0%A4%A');
    expect([a.status, a.headers['content-type'], a.body.toString()]).toEqual([400, 'text/plain; charset=utf-8', '400 malformed percent-escape\n']);
    expect((await get('/')).status).toBe(200);
  });

  it('refuses traversal and symlinks leading out, and serves no dotfile', async () => {
    for (const t of ['/..%2f..%2fetc/passwd', '/../secret.txt', '/sub/%2e%2e/%2e%2e/secret.txt', '/link.txt', '/linkdir/secret.txt', '/abs/etc/passwd']) {
      const a = await get(t);
      expect(a.status, t).toBe(403);
      expect(a.body.toString()).not.toContain(SECRET);
    }
    expect((await get('/..\\secret.txt')).status).toBe(400);
    expect((await get('/%c0%ae%c0%ae/secret.txt')).status).toBe(400); // overlong UTF-8 is no valid escape
    expect((await get('/%252e%252e/secret.txt')).status).toBe(404); // decoded once: a file named '%2e%2e'
    expect((await get('/.env')).status).toBe(404);
    expect((await get('/loop')).status).toBe(404);
    expect((await get('/pipe')).status).toBe(404); // a FIFO: neither blocks nor is served
  });

  it('NUL: %00 and a raw NUL byte are 400s', async () => {
    expect((await get('/%00')).status).toBe(400);
    expect((await get('/index.html%00.wasm')).status).toBe(400);
    const raw = await get('/index\0.html');
    expect([raw.status, raw.body.toString()]).toEqual([400, '400 malformed request (HPE_INVALID_URL)\n']);
  });

  it('POST is a 405 with Allow, so is CONNECT; an unknown method is a 400', async () => {
    const a = await get('/', ['Content-Length: 3'], 'POST');
    expect([a.status, a.headers.allow, a.body.toString()]).toEqual([405, 'GET, HEAD', '405 only GET and HEAD\n']);
    const c = await get('x:443', [], 'CONNECT');
    expect([c.status, c.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect((await get('/', [], 'BREW')).status).toBe(400);
  });

  it('a URL over 8 KiB is a 414; a request head over 16 KiB a 431', async () => {
    expect((await get(`/${'a'.repeat(8191)}`)).status).toBe(404);
    const a = await get(`/${'a'.repeat(8192)}`);
    expect([a.status, a.body.toString()]).toEqual([414, '414 URL too long\n']);
    expect((await get(`/${'a'.repeat(20_000)}`)).status).toBe(431);
    expect((await get('/', [`X-Big: ${'b'.repeat(20_000)}`])).status).toBe(431);
  });

  it('HEAD has the headers of GET and no body; .wasm is application/wasm; COOP/COEP on every answer', async () => {
    for (const [name, type] of [['/index.html', 'text/html; charset=utf-8'], ['/engine.wasm', 'application/wasm']]) {
      // HEAD then GET on one connection: had the HEAD answer a body, the GET's answer would not parse.
      const x = await exchange(port, latin1(request('HEAD', name, ['Host: x']) + request('GET', name)), { heads: [true, false] });
      expect(x.answers.map((a) => [a.status, a.headers['content-type'], a.headers['content-length']])).toEqual([[200, type, String(FILES[name].length)], [200, type, String(FILES[name].length)]]);
      expect([x.answers[0].body.length, x.answers[1].body.equals(FILES[name]), x.rest.length]).toEqual([0, true, 0]);
    }
    for (const a of [await get('/'), await get('/nope'), await get('/%zz'), await get('/a\x01')]) {
      expect([a.headers['cross-origin-opener-policy'], a.headers['cross-origin-embedder-policy']]).toEqual(['same-origin', 'require-corp']);
    }
  });

  it('isolation: false drops COOP/COEP; close() returns even with a connection left half-open', async () => {
    const s: Server = await startDemoServer({ root, port: 0, isolation: false });
    const p = Number(new URL(s.url).port);
    const x = await exchange(p, latin1(request('GET', '/engine.wasm')));
    expect([x.answers[0].status, x.answers[0].headers['content-type']]).toEqual([200, 'application/wasm']);
    expect([x.answers[0].headers['cross-origin-opener-policy'], x.answers[0].headers['cross-origin-embedder-policy']]).toEqual([undefined, undefined]);
    const half = exchange(p, latin1('GET /index.html HTTP/1.1\r\nHost'), { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const filesBefore = openFiles();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await half).timedOut).toBe(false);
  });
});
