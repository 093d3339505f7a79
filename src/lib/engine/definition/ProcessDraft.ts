/** The process compile pass's working state: mutable drafts, frozen into the model at the end. */
import type { ModdleNode } from './moddleNode.js';
import type { NodeDraft } from './compileNode.js';

/** A scope under construction. */
export type ScopeDraft = { id: string; parent?: string; nodes: string[]; startEvents: string[]; eventSubProcesses: string[] };

/** What the walk gathers before flows are wired. */
export interface ProcessDraft {
  readonly nodes: Map<string, NodeDraft>;
  readonly elements: Map<string, ModdleNode>;
  readonly scopes: Map<string, ScopeDraft>;
  /** Every flow element id seen, executable or not, so a flow to a refused one is not also "missing". */
  readonly seen: Set<string>;
  /** `elementId property` of references the parser already reported as dangling. */
  readonly dangling: ReadonlySet<string>;
}
