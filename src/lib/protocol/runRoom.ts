import { z } from 'zod';

/**
 * The shape of a run's Y.Doc ("run:<id>"), shared by the app and the relay's RunRoomPolicy:
 * which top-level types exist, who may write each, and the zod schemas the relay checks
 * collaborators' entries against.
 *
 * | type      | Y type  | written by                         |
 * |-----------|---------|------------------------------------|
 * | records   | Array   | the lease holder only, append-only, contiguous seq and prevHash |
 * | info      | Map     | the lease holder (runId, processId, xmlSha256, xml, name)        |
 * | outcomes  | Map     | the lease holder: intent id → what applying it gave              |
 * | intents   | Array   | any writer, append-only, `by` = the writer's token `sub`         |
 * | claims    | Array   | any writer asks for the lease; the relay consumes each claim     |
 * | lease     | Map     | the relay only: key `current` → {@link RunLease}                 |
 */
export const RunRoomType = {
  records: 'records',
  info: 'info',
  outcomes: 'outcomes',
  intents: 'intents',
  claims: 'claims',
  lease: 'lease'
} as const;
export type RunRoomType = (typeof RunRoomType)[keyof typeof RunRoomType];

/** The key of the lease map's one entry. */
export const LEASE_KEY = 'current';

const id = z.string().min(1).max(200);
const variables = z.record(z.string().max(200), z.unknown());

/** A collaborator's request that the executor do something to the run. */
export const runIntentSchema = z.object({
  id,
  kind: z.enum(['task.complete', 'incident.retry']),
  node: id,
  /** The user task's element instance, or the incident's id: a stale intent names an old one. */
  instance: id,
  variables: variables.optional(),
  by: id,
  at: z.number()
});
export type RunIntent = z.infer<typeof runIntentSchema>;

/** What applying an intent gave (written by the executor; the collaborator shows it). */
export const intentOutcomeSchema = z.object({ ok: z.boolean(), error: z.string().max(2000).optional(), at: z.number() });
export type IntentOutcome = z.infer<typeof intentOutcomeSchema>;

/** A client asking to execute the run: its Y.Doc client id and its token `sub`. */
export const leaseClaimSchema = z.object({ client: z.number().int().nonnegative(), by: id, at: z.number() });
export type LeaseClaim = z.infer<typeof leaseClaimSchema>;

/** The executor lease the relay grants: only `client` (of user `holder`) may append records. */
export const runLeaseSchema = z.object({
  holder: id,
  client: z.number().int().nonnegative(),
  /** Grows by one with every change of holder: an executor that sees a higher epoch stops. */
  epoch: z.number().int().positive(),
  /** Relay clock (ms) when it was granted. */
  at: z.number()
});
export type RunLease = z.infer<typeof runLeaseSchema>;

/** Run info the executor publishes so viewers can draw and check the run. */
export const runInfoSchema = z.object({
  runId: id,
  processId: id,
  xmlSha256: z.string().regex(/^[0-9a-f]{64}$/),
  xml: z.string().max(4 * 1024 * 1024),
  name: z.string().max(500).optional()
});
export type RunInfoEntry = z.infer<typeof runInfoSchema>;

/** The run id of a run room, or undefined for any other room. */
export function runIdOfRoom(room: string): string | undefined {
  return room.startsWith('run:') ? room.slice('run:'.length) : undefined;
}
