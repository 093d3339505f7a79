/** zod schemas for data read back from storage or files: a record must look like one before use. */
import { z } from 'zod';
import type { TokenRecord } from '../engine/chain/record.js';

const kinds = ['run', 'token', 'incident', 'variables', 'intent'] as const;
const statuses = ['started', 'waiting', 'completed', 'failed', 'cancelled', 'merged', 'ended', 'opened', 'resolved'] as const;

export const tokenRecordSchema = z.strictObject({
  v: z.literal(1),
  runId: z.string(),
  seq: z.number().int().nonnegative(),
  id: z.string(),
  kind: z.enum(kinds),
  token: z.string(),
  previousToken: z.string().nullable(),
  node: z.string(),
  instance: z.string(),
  flow: z.string().optional(),
  status: z.enum(statuses),
  owner: z.string(),
  at: z.number(),
  data: z.unknown().optional(),
  prevHash: z.string(),
  hash: z.string()
});

/** Parses one record; throws a ZodError naming the bad field. */
export function parseRecord(value: unknown): TokenRecord {
  return tokenRecordSchema.parse(value) as TokenRecord;
}

/** Why `value` is not a record (one line), or null when it is one. */
export function recordShapeProblem(value: unknown): string | null {
  const result = tokenRecordSchema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'not a record';
}
