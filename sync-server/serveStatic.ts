import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.bpmn': 'application/xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8'
};

/** Content type for a file name; unknown extensions are served as opaque bytes. */
export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside `root`, or null when it would escape `root` or is malformed.
 * Decoding happens once, here, so `%2e%2e%2f` cannot slip past the containment check.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return target === base || target.startsWith(base + sep) ? target : null;
}

/** Serves the built SPA from `root`: files as they are, unknown extension-less paths as index.html. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed\n');
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://relay').pathname;
  const target = resolveInside(root, pathname);
  if (target === null) {
    sendText(res, 400, 'Bad path\n');
    return;
  }
  const file = (await fileAt(target)) ?? (await fileAt(resolve(target, 'index.html')));
  if (file) {
    sendFile(req, res, file.path, file.stats, pathname);
    return;
  }
  // A path with an extension names a file that is not there; anything else is a client-side route.
  if (extname(pathname) !== '') {
    sendText(res, 404, 'Not found\n');
    return;
  }
  const index = await fileAt(resolve(root, 'index.html'));
  if (!index) {
    sendText(res, 503, 'The app is not built yet: run `npm run build` (or `npm start`).\n');
    return;
  }
  sendFile(req, res, index.path, index.stats, '/index.html');
}

function sendFile(req: IncomingMessage, res: ServerResponse, path: string, stats: Stats, pathname: string): void {
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': contentTypeFor(path),
    'cache-control': cacheControlFor(pathname),
    etag,
    'x-content-type-options': 'nosniff'
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Hashed build output never changes; everything else (index.html, the service worker) revalidates. */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

async function fileAt(path: string): Promise<{ path: string; stats: Stats } | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? { path, stats } : null;
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
