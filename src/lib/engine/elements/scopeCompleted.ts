/** The end of a scope instance: its host element (sub-process, call activity, event sub-process) completes. */
import type { FlowNode } from '../definition/model.js';
import type { Move, Stepper } from '../Stepper.js';
import { finishActivity } from './activity.js';

/** A scope instance has no lineage left: its host element completes. */
export function scopeCompleted(s: Stepper, host: Move, node: FlowNode, scope: string): void {
  if (node.type === 'callActivity') {
    const childVars = s.state.scopes[scope]?.vars ?? {};
    const result = node.propagateAllChildVariables === false ? {} : childVars;
    // The child's variables are results; the call activity has no local variables of its own left.
    finishActivity(s, host, node, scope, undefined, result);
    return;
  }
  finishActivity(s, host, node, scope, s.state.scopes[scope]?.vars, undefined);
}
