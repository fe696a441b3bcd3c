#!/usr/bin/env node
// A tiny static file server for the browser demo (web/dist/, built by scripts/build-web.mjs). Serves
// .wasm as application/wasm so browsers can compile it while it downloads (instantiateStreaming).
// As a script: node scripts/demo-server.mjs [--port 8080] [--host 127.0.0.1]; prints the URL.
// As a module: startDemoServer({ port: 0 }) → { url, close } (the end-to-end test uses it).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream', '.ddpg': 'application/octet-stream',
};

export function startDemoServer({ root = DIST, port = 8080, host = '127.0.0.1' } = {}) {
  try {
    statSync(join(root, 'index.html'));
  } catch {
    throw new Error(`${join(root, 'index.html')} is missing: build the demo first (npm run build:web)`);
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET and HEAD');
    let size;
    try {
      const st = statSync(file);
      if (!st.isFile()) return send(res, 404, 'not found');
      size = st.size;
    } catch {
      return send(res, 404, 'not found');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(e.code === 'EADDRINUSE'
      ? new Error(`port ${port} on ${host} is in use; pick another with --port N`) : e));
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ url: `http://${host}:${actual}/`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${status} ${text}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port expects an integer in [0, 65535], got '${values.port ?? process.env.PORT}'`);
    process.exit(2);
  }
  try {
    const { url } = await startDemoServer({ port, host: values.host ?? '127.0.0.1' });
    console.log(`ddpg-wasm demo: ${url}  (Ctrl-C to stop)`);
  } catch (e) {
    console.error(`demo server: ${e.message}`);
    process.exit(1);
  }
}
