import type { ResolvedHttp } from '../../engine/effects.js';
import type { TaskType } from './TaskTypeRegistry.js';

export interface HttpTaskOptions {
  /** Hosts (`name` or `name:port`) requests may go to; empty refuses every request. */
  allowHosts: readonly string[];
  defaultTimeoutMs?: number;
  /** Response bodies beyond this are refused. */
  maxResponseBytes?: number;
}

/** `tessera:http`: fetch to an allow-listed host, with a time limit; JSON in and out. */
export function httpTaskType(options: HttpTaskOptions): TaskType {
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  return {
    name: 'http',
    description: 'Calls an allow-listed HTTP endpoint (JSON in/out)',
    fields: [
      { name: 'method', label: 'Method', type: 'string', required: true },
      { name: 'url', label: 'URL', type: 'string', required: true },
      { name: 'body', label: 'Body (JSON)', type: 'json' }
    ],
    async run(job, ctx) {
      if (job.payload.kind !== 'http') return { status: 'failed', error: { message: 'not an http job' } };
      const spec = job.payload.http as ResolvedHttp;
      let url: URL;
      try {
        url = new URL(spec.url);
      } catch {
        return { status: 'failed', error: { message: `invalid URL "${spec.url}"` } };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { status: 'failed', error: { message: `refused: ${url.protocol} URLs are not allowed` } };
      }
      if (!options.allowHosts.includes(url.host) && !options.allowHosts.includes(url.hostname)) {
        return { status: 'failed', error: { message: `refused: host ${url.host} is not in the HTTP allow-list (${options.allowHosts.join(', ') || 'empty'})` } };
      }
      const timeoutMs = job.timeoutMs ?? options.defaultTimeoutMs ?? 30_000;
      const json = spec.body !== undefined && typeof spec.body !== 'string';
      let response: Response;
      try {
        response = await fetch(url, {
          method: spec.method,
          headers: { ...(json ? { 'content-type': 'application/json' } : {}), accept: 'application/json', ...spec.headers },
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
          redirect: 'error',
          ...(spec.body === undefined ? {} : { body: json ? JSON.stringify(spec.body) : String(spec.body) })
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        const message = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
        return { status: 'failed', error: { message: `HTTP ${spec.method} ${url.host}: ${message}` } };
      }
      const text = await response.text();
      if (text.length > maxBytes) return { status: 'failed', error: { message: `response of ${text.length} characters exceeds ${maxBytes}` } };
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      if (!response.ok) return { status: 'failed', error: { message: `HTTP ${response.status}`, code: String(response.status) } };
      return { status: 'completed', result: { status: response.status, body } };
    }
  };
}
