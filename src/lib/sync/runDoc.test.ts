import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { handleIntents, postIntent, type RunIntent } from './runDoc.js';

describe('sync/runDoc', () => {
  it('the executor applies each collaborator intent exactly once, in order, across replicas', () => {
    // given an executor's run doc and a collaborator's replica, linked both ways
    const executor = new Y.Doc();
    const collaborator = new Y.Doc();
    executor.on('update', (u: Uint8Array) => Y.applyUpdate(collaborator, u));
    collaborator.on('update', (u: Uint8Array) => Y.applyUpdate(executor, u));
    const seen: string[] = [];
    handleIntents(executor, (intent) => seen.push(intent.id), new Set(['old']));
    // when the collaborator completes a user task twice (a double click) and retries an incident
    const intent = (id: string, kind: RunIntent['kind']): RunIntent => ({ id, kind, node: 'Review', instance: 'inst1', by: 'bob', at: 1 });
    postIntent(collaborator, intent('old', 'task.complete'));
    postIntent(collaborator, intent('i1', 'task.complete'));
    postIntent(collaborator, intent('i1', 'task.complete'));
    postIntent(collaborator, intent('i2', 'incident.retry'));
    // then the executor applied i1 and i2 once each, and nothing it had already handled
    expect(seen).toEqual(['i1', 'i2']);
  });
});
