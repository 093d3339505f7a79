/**
 * The peer: bpmn-engine. Parsed once (its serialised "source context", the analogue of our compiled
 * model), then one `new Engine` + `execute` per instance, run until the engine's `end` event.
 */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { PEER_SERVICES } from './processes.js';

/** bpmn-engine's serialised model (moddle-context-serializer output); opaque here. */
export type PeerSource = unknown;

/** Parses `xml` once and returns the serialised context that later engines reuse. */
export async function peerCompile(xml: string): Promise<PeerSource> {
  const [definition] = await new Engine({ name: 'compile', source: xml }).getDefinitions();
  // The serialised context the engine loaded the definition from (what its own getState() saves).
  const source = (definition as unknown as { environment: { options: { source?: PeerSource } } }).environment.options.source;
  if (!source) throw new Error('bpmn-engine: no serialised source context on the loaded definition');
  return source;
}

/** Runs one instance to completion; with `trace`, returns the ids of the activities that ended, in order. */
export async function peerRun(source: PeerSource, variables: Record<string, unknown>, trace = false): Promise<string[]> {
  const engine = new Engine({ name: 'bench', sourceContext: source as never, services: PEER_SERVICES });
  const ended: string[] = [];
  let listener: EventEmitter | undefined;
  if (trace) {
    listener = new EventEmitter();
    listener.on('activity.end', (api: { id: string }) => ended.push(api.id));
  }
  const done = engine.waitFor('end');
  await engine.execute({ variables, ...(listener ? { listener } : {}) });
  await done;
  return ended;
}
