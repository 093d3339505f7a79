import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sealRecord } from '../engine/chain/sealRecord.js';
import { canonicalJson, type TokenRecord } from '../engine/index.js';
import { prng, type Rand } from '../engine/testing/prng.js';
import { elementsOf, metaOf, readElement, rootsOf } from './doc.js';
import { generateXml } from './generateXml.js';
import { addLane, addPool, addShape, connect, move, remove, rename, renameId, setCondition } from './modelOps.js';
import { appendRecords, readReplica, runRecordsOf } from './runDoc.js';
import { seedFromXml } from './seedFromXml.js';

// R14. Replay a failure: TESSERA_SEED=<printed seed> npx vitest run src/lib/sync/convergence
const seed = Number(process.env.TESSERA_SEED ?? Date.now() % 2 ** 31);
console.log(`sync convergence fuzz: seed ${seed}`);

const CLIENTS = 5;
const ROUNDS = 12;
const STEPS = 80;
const NET = Symbol('net');

const BLANK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="urn:tessera:diagrams">
  <bpmn:process id="Process_1" isExecutable="true"><bpmn:startEvent id="StartEvent_1" name="Start" /></bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">
    <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** Peers over an in-memory network: random delivery order, drops while offline, state sync on reconnect. */
class Network {
  readonly peers: { doc: Y.Doc; online: boolean; inbox: Uint8Array[] }[] = [];
  constructor(docs: Y.Doc[]) {
    for (const doc of docs) {
      const peer = { doc, online: true, inbox: [] as Uint8Array[] };
      this.peers.push(peer);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === NET || !peer.online) return;
        for (const other of this.peers) if (other !== peer && other.online) other.inbox.push(update);
      });
    }
  }
  deliverOne(rand: Rand): void {
    const busy = this.peers.filter((p) => p.online && p.inbox.length > 0);
    if (busy.length === 0) return;
    const peer = busy[Math.floor(rand() * busy.length)]!;
    const [update] = peer.inbox.splice(Math.floor(rand() * peer.inbox.length), 1);
    Y.applyUpdate(peer.doc, update!, NET);
  }
  setOnline(index: number, online: boolean): void {
    const peer = this.peers[index]!;
    if (peer.online === online) return;
    peer.online = online;
    if (!online) {
      peer.inbox = [];
      return;
    }
    for (const other of this.peers) {
      if (other === peer || !other.online) continue;
      Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(peer.doc)), NET);
      Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(peer.doc, Y.encodeStateVector(other.doc)), NET);
    }
  }
  settle(rand: Rand): void {
    this.peers.forEach((_, i) => this.setOnline(i, true));
    while (this.peers.some((p) => p.inbox.length > 0)) this.deliverOne(rand);
  }
}

const TYPES = ['bpmn:Task', 'bpmn:UserTask', 'bpmn:ExclusiveGateway', 'bpmn:EndEvent', 'bpmn:SubProcess'];

function randomOp(rand: Rand, doc: Y.Doc, client: number, counter: number): void {
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(rand() * items.length)];
  const all = [...elementsOf(doc).entries()].map(([id, e]) => ({ id, ...readElement(e) }));
  const shapes = all.filter((e) => e.bounds && !['bpmn:Lane', 'bpmn:Participant'].includes(e.type));
  const flows = all.filter((e) => e.type === 'bpmn:SequenceFlow');
  const r = rand();
  if (r < 0.3 || shapes.length < 2) {
    const type = pick(TYPES)!;
    const container = pick(shapes.filter((s) => s.type === 'bpmn:SubProcess'));
    const parent = container && rand() < 0.4 ? container.id : 'Process_1';
    const size = type === 'bpmn:SubProcess' ? { width: 350, height: 200 } : { width: 100, height: 80 };
    addShape(doc, `Node_${client}_${counter}`, { type, parent, bounds: { x: Math.floor(rand() * 900), y: Math.floor(rand() * 600), ...size }, name: `n${counter}` });
  } else if (r < 0.45) {
    const s = pick(shapes)!;
    move(doc, s.id, Math.floor(rand() * 200) - 100, Math.floor(rand() * 200) - 100);
  } else if (r < 0.65) {
    const a = pick(shapes)!;
    const b = pick(shapes.filter((s) => s.id !== a.id && s.parent === a.parent));
    if (b) connect(doc, `Flow_${client}_${counter}`, a.id, b.id);
  } else if (r < 0.75) {
    const victim = pick(all.filter((e) => e.id !== 'Process_1'));
    if (victim) remove(doc, victim.id);
  } else if (r < 0.78) {
    // an id edit: the element moves to a new key and everything pointing at it follows
    const target = pick(all.filter((e) => e.bounds && e.id !== 'Process_1'));
    if (target) renameId(doc, target.id, `Renamed_${client}_${counter}`);
  } else if (r < 0.85) {
    const target = pick(all.filter((e) => e.id !== 'Process_1'));
    if (target) rename(doc, target.id, `c${client}-${counter}`, { id: `u${client}`, name: `User ${client}` });
  } else if (r < 0.9) {
    // pools and lanes: concurrent first pools make concurrent collaborations; lanes share or race for a lane set
    if (rand() < 0.5) addPool(doc, `Pool_${client}_${counter}`, 'Process_1', { x: 100, y: 50 + 300 * client, width: 900, height: 280 });
    else addLane(doc, `Lane_${client}_${counter}`, 'Process_1', { x: 130, y: 50 + 120 * (counter % 5), width: 870, height: 120 }, `lane ${counter}`);
  } else {
    const flow = pick(flows);
    if (flow) setCondition(doc, flow.id, `=x > ${counter}`);
  }
}

describe('sync/convergence (R14)', () => {
  it(`${CLIENTS} clients, random modeler ops, disconnects and delivery order converge to one doc and one XML`, async () => {
    const rand = prng(seed);
    const covered = { lanes: 0, pools: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // given five replicas of one seeded diagram
      const docs = Array.from({ length: CLIENTS }, () => new Y.Doc());
      await seedFromXml(docs[0]!, BLANK);
      const net = new Network(docs);
      for (const doc of docs.slice(1)) Y.applyUpdate(doc, Y.encodeStateAsUpdate(docs[0]!), NET);
      // when each edits at random while the network reorders, drops and reconnects
      for (let step = 0; step < STEPS; step++) {
        const r = rand();
        const client = Math.floor(rand() * CLIENTS);
        if (r < 0.5) randomOp(rand, docs[client]!, client, step);
        else if (r < 0.6) net.setOnline(client, !net.peers[client]!.online);
        else for (let k = 0; k < 3; k++) net.deliverOne(rand);
      }
      net.settle(rand);
      // then every replica holds the identical doc and exports the identical BPMN
      const json = docs.map((d) => canonicalJson({ meta: metaOf(d).toJSON(), elements: elementsOf(d).toJSON(), roots: rootsOf(d).toJSON() }));
      const xml = await Promise.all(docs.map(generateXml));
      for (let i = 1; i < CLIENTS; i++) {
        expect(json[i], `round ${round} seed ${seed}: doc of client ${i}`).toBe(json[0]);
        expect(xml[i], `round ${round} seed ${seed}: XML of client ${i}`).toBe(xml[0]);
      }
      expect(xml[0]).toContain('id="Process_1"');
      // the collaboration pools make, when any, is the main plane's element on every client
      const main = (d: Y.Doc) => (metaOf(d).get('planes') as { element: string }[])[0]?.element;
      expect(new Set(docs.map(main)).size).toBe(1);
      if (xml[0]!.includes('<bpmn:lane ')) covered.lanes++;
      if (xml[0]!.includes('<bpmn:participant ')) covered.pools++;
    }
    // the fuzz really exercised pools and lanes (12 rounds of 80 steps make both near certain)
    expect(covered.lanes, `seed ${seed}`).toBeGreaterThan(0);
    expect(covered.pools, `seed ${seed}`).toBeGreaterThan(0);
  });

  it('chain appends from one executor replicate in order and verify on every replica; a forged append shows as tampered', () => {
    const rand = prng(seed + 1);
    const docs = Array.from({ length: CLIENTS }, () => new Y.Doc());
    const net = new Network(docs);
    const chain: TokenRecord[] = [];
    for (let step = 0; step < 300; step++) {
      const r = rand();
      if (r < 0.3) {
        const seq = chain.length;
        const record = sealRecord(
          { v: 1, runId: 'run-1', id: `r${seq}`, kind: seq === 0 ? 'run' : 'token', token: `t${seq}`, previousToken: null, node: 'Task_1', instance: 'i1', status: 'started', owner: 'alice', at: 1_700_000_000_000 + seq },
          seq,
          chain.at(-1)?.hash ?? ''
        );
        chain.push(record);
        appendRecords(docs[0]!, [record]);
      } else if (r < 0.4) net.setOnline(1 + Math.floor(rand() * (CLIENTS - 1)), rand() < 0.5);
      else net.deliverOne(rand);
    }
    net.settle(rand);
    for (const doc of docs) {
      const view = readReplica(doc);
      expect(view.verify).toEqual({ ok: true, count: chain.length, head: chain.at(-1)!.hash });
    }
    // a replica forging a record (not the executor): everyone keeps the verified prefix only
    const forged = { ...chain.at(-1)!, seq: chain.length, status: 'completed' as const };
    runRecordsOf(docs[3]!).push([forged]);
    net.settle(rand);
    for (const doc of docs) {
      const view = readReplica(doc);
      expect(view.records).toHaveLength(chain.length);
      expect(view.tampered?.seq).toBe(chain.length);
    }
  });
});
