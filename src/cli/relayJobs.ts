/** `tessera run --relay URL --token T`: the run's jobs go to a relay's runners over `/jobs`. */
import WebSocket from 'ws';
import { JobLimits } from '../lib/protocol/jobs.js';
import { RemoteJobs } from '../lib/runtime/jobs/RemoteJobs.js';

export interface RelayJobs {
  jobs: RemoteJobs;
  close(): void;
}

/**
 * Connects (resolving once the relay accepted the token, rejecting with a clear message when it
 * did not), then keeps the channel up: jobs wait through a drop and are resubmitted on reconnect.
 * Live output is written to stderr, each line prefixed with the task's node id.
 */
export function connectRelayJobs(relay: string, token: string, write: (text: string) => void): Promise<RelayJobs> {
  const url = new URL('/jobs', relay.replace(/^http/, 'ws'));
  const nodes = new Map<string, string>();
  // Chunks end anywhere, also mid-line: a prefix goes only where a line starts (per job and stream).
  const midLine = new Set<string>();
  const jobs = new RemoteJobs({
    onOutput: (_runId, key, stream, chunk) => {
      const id = `${stream}:${key}`;
      const prefix = `[${nodes.get(key) ?? key}] `;
      const continues = midLine.has(id);
      write(chunk.replace(/^(?=.)/gm, (_match: string, offset: number) => (offset === 0 && continues ? '' : prefix)));
      if (chunk.endsWith('\n')) midLine.delete(id);
      else midLine.add(id);
    },
    onError: (message) => write(`relay: ${message}\n`)
  });
  const dispatch = jobs.dispatch.bind(jobs);
  jobs.dispatch = (job, done) => {
    nodes.set(job.key, job.node);
    dispatch(job, done);
  };
  let closed = false;
  let delay = 250;
  return new Promise((resolve, reject) => {
    let first = true;
    const connect = () => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, maxPayload: JobLimits.messageBytes });
      ws.on('open', () => {
        delay = 250;
        jobs.connected((frame) => ws.send(frame));
        if (first) {
          first = false;
          resolve({ jobs, close: () => ((closed = true), ws.close()) });
        }
      });
      ws.on('message', (data) => jobs.receive(String(data)));
      ws.on('unexpected-response', (_req, res) => {
        ws.terminate();
        if (first) {
          closed = true;
          reject(new Error(`the relay refused the job channel: HTTP ${res.statusCode} (a token with role run for run:* is needed)`));
        }
      });
      ws.on('error', (error) => {
        if (first && !closed) {
          closed = true;
          reject(new Error(`cannot reach the relay at ${url.origin}: ${error.message}`));
        }
      });
      ws.on('close', () => {
        jobs.disconnected();
        if (closed) return;
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 5000);
      });
    };
    connect();
  });
}
