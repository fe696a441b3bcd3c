#!/usr/bin/env node
// The static file server of the browser demos (web/dist/, built by scripts/build-web.mjs). What it guarantees,
// whatever a client sends:
// - It binds 127.0.0.1 unless told otherwise, and no request crashes or stalls it: bad escapes, NUL and control
//   bytes, overlong URLs (> 8 KiB: 414; a head over Node's 16 KiB: 431), methods other than GET and HEAD (405, with
//   Allow), malformed request lines and headers (400) get a short text/plain answer; idle and half-sent connections
//   are closed by the timeouts below (408), and connections past 256 at once on arrival. It goes on serving.
// - It serves only regular files whose real path (symlinks resolved) lies inside the root: `..` in any encoding
//   is refused (403; `%2f` decodes to `/`, a backslash is a 400), so is a symlink leading out (403); dotfiles,
//   directories and the rest are 404. .wasm is application/wasm, so instantiateStreaming compiles it as it downloads.
// - Every response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp
//   (the page is then crossOriginIsolated, which the threaded engine needs), unless --no-isolation / isolation: false.
// As a script: node scripts/demo-server.mjs [--port 8080] [--host 127.0.0.1] [--no-isolation]; prints the URL.
// As a module: startDemoServer({ root, port, host, isolation }) → { url, close } (the end-to-end tests use it).
//
// Why not a static-file library: tried against the same hostile requests, sirv 3.0.2 dies on `Range: bytes=5-2`
// (an uncaught ERR_OUT_OF_RANGE from createReadStream) and serves symlinks leading out of the root, in dev and in
// production mode; serve-handler 6.1.8 serves files through a symlinked directory leading out, answers 416 with the
// whole file and answers errors in HTML; send 1.2.1 gets ranges right but follows symlinks out. Each would need the
// checks below in front of it anyway (and would parse the URL a second time), so the serving itself is the few lines
// of `serve`: open, fstat, stream. Range is not supported (the whole file, 200; RFC 9110 lets a server ignore it).
import { constants, realpathSync, statSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { STATUS_CODES, createServer } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');
const MAX_URL = 8192; // request targets longer than this get 414 (the demo's are < 100 characters)

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream', '.ddpg': 'application/octet-stream',
};

/** isolation: send COOP/COEP (default true). headersTimeout (ms; the tests shorten it): the time a client has to send
 *  a request's line and headers; the whole request must be in 5 s later. */
export function startDemoServer({ root = DIST, port = 8080, host = '127.0.0.1', isolation = true, headersTimeout = 10_000 } = {}) {
  let top;
  try {
    top = realpathSync(root);
    statSync(join(top, 'index.html'));
  } catch {
    throw new Error(`${join(root, 'index.html')} is missing: build the demo first (npm run build:web)`);
  }
  const inside = top.endsWith(sep) ? top : top + sep;
  const always = { 'x-content-type-options': 'nosniff',
    ...(isolation && { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }) };

  // The real path of the file a request target names, or the [status, text] refusing it.
  async function lookup(target) {
    if (!target.startsWith('/')) return [400, 'the request target must be a path']; // absolute-form, '*'
    let path;
    try {
      path = decodeURIComponent(target.split(/[?#]/, 1)[0]);
    } catch {
      return [400, 'malformed percent-escape'];
    }
    if (/[\0-\x1f\x7f\\]/.test(path)) return [400, 'control character or backslash in the path'];
    const parts = path.split('/');
    if (parts.includes('..')) return [403, 'forbidden'];
    if (parts.some((p) => p.startsWith('.'))) return [404, 'not found'];
    if (path.endsWith('/')) parts[parts.length - 1] = 'index.html';
    try {
      const real = await realpath(join(top, ...parts));
      return real.startsWith(inside) ? real : [403, 'forbidden']; // a symlink leading out of the root
    } catch {
      return [404, 'not found'];
    }
  }

  async function serve(req, res) {
    if (req.url.length > MAX_URL) return reply(res, 414, 'URL too long');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'only GET and HEAD', { allow: 'GET, HEAD' });
    if (req.httpVersion === '1.1' && req.headers.host === undefined) return reply(res, 400, 'no Host header');
    const file = await lookup(req.url);
    if (Array.isArray(file)) return reply(res, ...file);
    // O_NONBLOCK: a FIFO in the root cannot block the open; fstat of the opened file then refuses it.
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
    if (!fh) return reply(res, 404, 'not found');
    const st = await fh.stat().catch(() => null);
    if (!st?.isFile()) {
      await fh.close();
      return reply(res, 404, 'not found');
    }
    res.writeHead(200, { ...always, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') {
      await fh.close();
      return res.end();
    }
    pipeline(fh.createReadStream(), res, () => {}); // a read error or a client gone: both ends closed, nothing thrown
  }

  function reply(res, status, text, extra = {}) {
    const body = `${status} ${text}\n`;
    res.writeHead(status, { ...always, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body),
      connection: 'close', ...extra });
    res.end(body); // Node itself leaves out the body of an answer to HEAD
  }

  // For requests Node's parser refuses (and CONNECT), there is only the socket to answer on.
  function replyRaw(socket, status, text, extra = {}) {
    const body = `${status} ${text}\n`;
    const headers = { ...always, 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, connection: 'close', ...extra };
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
    socket.destroySoon();
  }

  function onRequest(req, res) {
    serve(req, res).catch(() => (res.headersSent ? res.destroy() : reply(res, 500, 'internal error')));
  }

  const server = createServer({
    headersTimeout, requestTimeout: headersTimeout + 5000, keepAliveTimeout: 5000,
    connectionsCheckingInterval: Math.min(1000, headersTimeout / 2), requireHostHeader: false, // checked in serve, to answer in text
  }, onRequest);
  server.on('checkExpectation', onRequest); // an Expect other than 100-continue: served as if it were absent
  server.setTimeout(30_000); // a socket idle this long (say, a client that stopped reading) is destroyed
  server.maxConnections = 256; // more at once are closed on arrival, so a flood cannot run the server out of files
  server.on('clientError', (err, socket) => {
    // As Node's default handler does: answer only if no answer has begun on this socket.
    if (!socket.writable || socket._httpMessage?.headersSent) return socket.destroy();
    // Bytes after a request that asked to close: ignored; the answer to that request goes out, then the socket closes.
    if (err.code === 'HPE_CLOSED_CONNECTION' && socket._httpMessage) return;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return replyRaw(socket, 408, 'request timeout');
    if (err.code === 'HPE_HEADER_OVERFLOW') return replyRaw(socket, 431, 'request line and headers over 16 KiB');
    replyRaw(socket, 400, `malformed request (${err.code})`);
  });
  server.on('connect', (req, socket) => replyRaw(socket, 405, 'only GET and HEAD', { allow: 'GET, HEAD' }));

  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(e.code === 'EADDRINUSE'
      ? new Error(`port ${port} on ${host} is in use; pick another with --port N`) : e));
    server.listen(port, host, () => {
      server.on('error', (e) => console.error(`demo server: ${e.message}`)); // e.g. EMFILE on accept: keep serving
      const { port: actual } = server.address();
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`,
        close: () => new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let values;
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, 'no-isolation': { type: 'boolean' } } }));
  } catch (e) {
    console.error(`demo server: ${e.message}`);
    process.exit(2);
  }
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port expects an integer in [0, 65535], got '${values.port ?? process.env.PORT}'`);
    process.exit(2);
  }
  try {
    const isolation = !values['no-isolation'];
    const { url } = await startDemoServer({ port, host: values.host ?? '127.0.0.1', isolation });
    console.log(`ddpg-wasm demo: ${url}  (Ctrl-C to stop)${isolation ? '' : '  [no cross-origin isolation]'}`);
  } catch (e) {
    console.error(`demo server: ${e.message}`);
    process.exit(1);
  }
}
