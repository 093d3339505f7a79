/**
 * Keeps a browser's RemoteJobs connected to the relay's `/jobs` websocket: reconnects with
 * backoff, fetching a fresh token each time (e.g. GET /api/token?room=run:*&role=run on loopback).
 */
import type { RemoteJobs } from '../runtime/jobs/RemoteJobs.js';

export interface RelayJobsOptions {
  /** The relay's origin, e.g. "http://127.0.0.1:8787". */
  relay: string;
  getToken: () => Promise<string>;
  onState?: (state: 'connecting' | 'open' | 'closed') => void;
}

export function connectRelayJobs(remote: RemoteJobs, opts: RelayJobsOptions): { close(): void } {
  let closed = false;
  let socket: WebSocket | undefined;
  let delay = 500;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    opts.onState?.('connecting');
    let token: string;
    try {
      token = await opts.getToken();
    } catch {
      return schedule();
    }
    if (closed) return;
    const url = new URL('/jobs', opts.relay.replace(/^http/, 'ws'));
    url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = 500;
      opts.onState?.('open');
      remote.connected((frame) => ws.send(frame));
    };
    ws.onmessage = (event) => remote.receive(String(event.data));
    ws.onclose = () => {
      remote.disconnected();
      opts.onState?.('closed');
      if (socket === ws) schedule();
    };
  };
  const schedule = () => {
    if (closed) return;
    retry = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 10_000);
  };
  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      socket?.close();
      socket = undefined;
    }
  };
}
