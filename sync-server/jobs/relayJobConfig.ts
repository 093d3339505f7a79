import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** `<data>/relay.json`: what the relay's runners may do. Flags override the file. */
export const relayJobConfigSchema = z
  .object({
    /** Executables commands may start; [] refuses every command. */
    allow: z.array(z.string().min(1)).optional(),
    /** Referenced from models as `secrets.NAME`; redacted from recorded output. */
    secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    /** Hosts (`name` or `name:port`) the `http` task type may call; default none. */
    httpHosts: z.array(z.string().min(1)).optional(),
    /** In-process runner workers (default 2; 0 leaves all work to `tessera runner` processes). */
    runners: z.number().int().min(0).max(64).optional(),
    /** Jobs each in-process runner runs at once (default 2). */
    concurrency: z.number().int().min(1).max(256).optional(),
    /** Task-type plugin modules (default export: a TaskType or an array), relative to the data dir. */
    taskTypes: z.array(z.string().min(1)).optional(),
    /** Lease time in ms: a silent runner's jobs go to another runner after this long. */
    leaseMs: z.number().int().min(100).optional()
  })
  .strict();
export type RelayJobConfig = z.infer<typeof relayJobConfigSchema>;

/** Reads `<dataDir>/relay.json`; no file is an empty config; a bad file throws a clear message. */
export function readRelayJobConfig(dataDir: string): RelayJobConfig {
  const file = path.join(dataDir, 'relay.json');
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = relayJobConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.message ?? 'invalid'}${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}`);
  }
  return parsed.data;
}

/**
 * The allow-list in force and where it came from: flags, then the config file, then (loopback
 * only) the starter templates' executables; off loopback without either, nothing runs.
 */
export function resolveAllowList(
  flags: string[] | undefined,
  config: RelayJobConfig,
  loopback: boolean,
  templateDefault: () => string[]
): { allow: string[]; source: 'flags' | 'relay.json' | 'loopback default' | 'none' } {
  if (flags !== undefined) return { allow: flags, source: 'flags' };
  if (config.allow !== undefined) return { allow: config.allow, source: 'relay.json' };
  if (loopback) return { allow: templateDefault(), source: 'loopback default' };
  return { allow: [], source: 'none' };
}
