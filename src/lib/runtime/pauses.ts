/**
 * Where a step-mode run pauses: before the first record of each element instance the chain has
 * not entered yet (in step mode), or only of those on a breakpoint. Pure: the executor commits
 * `prefix` at once and holds each group until it is stepped.
 */
import type { TokenRecord } from '../engine/chain/record.js';

export interface PauseRule {
  stepMode: boolean;
  breakpoints: ReadonlySet<string>;
}

/** Splits a step's records before each pause; `entered` holds the instances already committed. */
export function splitAtPauses(
  records: readonly TokenRecord[],
  entered: ReadonlySet<string>,
  rule: PauseRule
): { prefix: TokenRecord[]; groups: TokenRecord[][] } {
  const prefix: TokenRecord[] = [];
  const groups: TokenRecord[][] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const enters = record.kind === 'token' && !entered.has(record.instance) && !seen.has(record.instance);
    seen.add(record.instance);
    if (enters && (rule.stepMode || rule.breakpoints.has(record.node))) groups.push([record]);
    else (groups.at(-1) ?? prefix).push(record);
  }
  return { prefix, groups };
}
