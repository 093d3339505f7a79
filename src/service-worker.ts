/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

// Offline-first shell: the built app and static files are precached per version; navigations try
// the network first so a running relay always serves the newest app, and fall back to the cache.
const sw = self as unknown as ServiceWorkerGlobalScope;
const prefix = 'tessera-app-';
const cacheName = `${prefix}${version}`;
const shell = '/';
const precached = new Set([...build, ...files, shell]);

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll([...precached]);
      // A new version takes over at once; the previous app's cache goes in `activate`.
      await sw.skipWaiting();
    })()
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(prefix) && key !== cacheName) await caches.delete(key);
      }
      await sw.clients.claim();
    })()
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.get('upgrade')) return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || isLive(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else if (precached.has(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});

/** Live endpoints must always reach the relay (or fail), never a stale copy. */
function isLive(pathname: string): boolean {
  return pathname === '/healthz' || pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/ws');
}

async function cacheFirst(request: Request, pathname: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(pathname);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(pathname, response.clone());
  return response;
}

/** Every route is the same SPA shell, so the latest index.html is kept under "/" and served offline. */
async function navigation(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
      await cache.put(shell, response.clone());
    }
    return response;
  } catch (error) {
    const fallback = await cache.match(shell);
    if (fallback) return fallback;
    throw error;
  }
}
