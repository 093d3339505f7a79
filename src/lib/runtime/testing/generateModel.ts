/**
 * Seeded random BPMN for runtime property tests: block-structured processes of tasks, user tasks,
 * job tasks, timers, exclusive and parallel splits with their joins, and embedded sub-processes.
 */

import { prng, type Rand } from '../../engine/testing/prng.js';

export { prng, type Rand };

interface Fragment {
  xml: string;
  entry: string;
  exit: string;
}

/** A random executable process (id "P") as BPMN XML, built from `rand`. */
export function generateModel(rand: Rand, maxDepth = 2): string {
  let n = 0;
  const id = (prefix: string): string => `${prefix}${n++}`;
  const flow = (from: string, to: string, condition?: string): string => {
    const cond = condition
      ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression>`
      : '';
    return `<bpmn:sequenceFlow id="${id('F')}" sourceRef="${from}" targetRef="${to}">${cond}</bpmn:sequenceFlow>`;
  };

  const sequence = (depth: number, length: number): Fragment => {
    const parts = Array.from({ length }, () => block(depth));
    let xml = parts.map((p) => p.xml).join('');
    for (let i = 1; i < parts.length; i++) xml += flow(parts[i - 1]!.exit, parts[i]!.entry);
    return { xml, entry: parts[0]!.entry, exit: parts.at(-1)!.exit };
  };

  const block = (depth: number): Fragment => {
    const r = rand();
    if (depth > 0 && r < 0.15) return split(depth, 'exclusive');
    if (depth > 0 && r < 0.3) return split(depth, 'parallel');
    if (depth > 0 && r < 0.38) return subProcess(depth);
    return task();
  };

  const task = (): Fragment => {
    const r = rand();
    const t = id('T');
    let xml: string;
    if (r < 0.3) xml = `<bpmn:userTask id="${t}"/>`;
    else if (r < 0.6) xml = `<bpmn:serviceTask id="${t}"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>`;
    else if (r < 0.75) xml = `<bpmn:intermediateCatchEvent id="${t}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT${1 + Math.floor(rand() * 59)}M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    else xml = `<bpmn:task id="${t}"/>`;
    return { xml, entry: t, exit: t };
  };

  const split = (depth: number, kind: 'exclusive' | 'parallel'): Fragment => {
    const fork = id('G');
    const join = id('G');
    const branches = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => sequence(depth - 1, 1 + Math.floor(rand() * 2)));
    let xml = `<bpmn:${kind}Gateway id="${fork}"/><bpmn:${kind}Gateway id="${join}"/>`;
    // Exclusive: branch i is taken when pick = i (the last branch is the default-like `>=`).
    branches.forEach((branch, i) => {
      const condition = kind === 'exclusive' ? (i === branches.length - 1 ? `=pick &gt;= ${i}` : `=pick = ${i}`) : undefined;
      xml += branch.xml + flow(fork, branch.entry, condition) + flow(branch.exit, join);
    });
    return { xml, entry: fork, exit: join };
  };

  const subProcess = (depth: number): Fragment => {
    const sub = id('S');
    const start = id('E');
    const end = id('E');
    const body = sequence(depth - 1, 1 + Math.floor(rand() * 2));
    const xml = `<bpmn:subProcess id="${sub}"><bpmn:startEvent id="${start}"/>${body.xml}<bpmn:endEvent id="${end}"/>` +
      `${flow(start, body.entry)}${flow(body.exit, end)}</bpmn:subProcess>`;
    return { xml, entry: sub, exit: sub };
  };

  const body = sequence(maxDepth, 2 + Math.floor(rand() * 3));
  const process = `<bpmn:startEvent id="Start"/><bpmn:endEvent id="End"/>${body.xml}${flow('Start', body.entry)}${flow(body.exit, 'End')}`;
  return `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ` +
    `xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="urn:t">` +
    `<bpmn:process id="P" isExecutable="true">${process}</bpmn:process></bpmn:definitions>`;
}
