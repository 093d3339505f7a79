import { describe, expect, it } from 'vitest';
import { cacheControlFor, contentTypeFor, resolveInside } from './serveStatic.js';

describe('sync-server/serveStatic', () => {
  it.each([
    ['/index.html', '/srv/app/index.html'],
    ['/_app/x.js', '/srv/app/_app/x.js'],
    ['/a%20b.png', '/srv/app/a b.png'],
    ['/../etc/passwd', null],
    ['/%2e%2e/etc/passwd', null],
    ['/x/..%2f..%2fetc', null],
    ['/a%5c..%5cb', null],
    ['/a%00.html', null],
    ['/%E0%A4%A', null]
  ])('resolveInside(/srv/app, %s) is %s', (path, expected) => {
    expect(resolveInside('/srv/app', path)).toBe(expected);
  });

  it('knows the types the app needs', () => {
    expect(contentTypeFor('m.webmanifest')).toBe('application/manifest+json; charset=utf-8');
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('blob')).toBe('application/octet-stream');
  });

  it('caches only hashed build output for long', () => {
    expect(cacheControlFor('/_app/immutable/chunks/a.js')).toContain('immutable');
    expect(cacheControlFor('/service-worker.js')).toBe('no-cache');
  });
});
