// A single-page app: adapter-static writes one index.html fallback and the relay serves it for every route.
export const ssr = false;
export const prerender = false;
