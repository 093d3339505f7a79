/** Registers the app's service worker (SvelteKit builds src/service-worker.ts to /service-worker.js). */
export async function registerServiceWorker(dev: boolean): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  try {
    // In dev, vite serves the worker as an ES module; the production build is a classic script.
    return await navigator.serviceWorker.register('/service-worker.js', { type: dev ? 'module' : 'classic' });
  } catch (error) {
    console.warn('Tessera: service worker registration failed; the app will not work offline.', error);
    return null;
  }
}
