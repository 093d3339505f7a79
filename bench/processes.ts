/**
 * The benchmark processes, each written twice: in the BPMN our engine runs (FEEL conditions) and in
 * the BPMN bpmn-engine runs (its `${environment.variables.…}` expressions). Same shape, same ids.
 */

const NS = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

function definitions(processId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="defs_${processId}" targetNamespace="urn:tessera:bench">
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

function flow(id: string, source: string, target: string): string {
  return `    <bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** (a) start → 10 tasks → end. No expressions: identical XML for both engines. */
export function linearXml(tasks = 10): string {
  const lines: string[] = ['    <bpmn:startEvent id="Start"/>'];
  for (let i = 1; i <= tasks; i++) lines.push(`    <bpmn:task id="T${i}"/>`);
  lines.push('    <bpmn:endEvent id="End"/>');
  const chain = ['Start', ...Array.from({ length: tasks }, (_, i) => `T${i + 1}`), 'End'];
  for (let i = 0; i < chain.length - 1; i++) lines.push(flow(`f${i}`, chain[i]!, chain[i + 1]!));
  return definitions('Linear', lines.join('\n'));
}

/**
 * How each engine writes the XOR condition `x > 5`:
 * - `feel`: ours, FEEL `=x > 5`.
 * - `peer-expression`: bpmn-engine's expression syntax. Its expressions are property paths and
 *   function calls only — `${environment.variables.x > 5}` is NOT a comparison there: it looks up
 *   a property named "x > 5", gets undefined, and the flow is silently never taken. A comparison
 *   needs a function from `environment.services` (see PEER_SERVICES), so that is what we use.
 * - `peer-script`: the same condition as a JavaScript script condition (bpmn-engine runs it with
 *   node:vm `runInNewContext`, one fresh context per evaluation).
 */
export type ConditionDialect = 'feel' | 'peer-expression' | 'peer-script';

/** Services the peer's expression condition calls. */
export const PEER_SERVICES = { greaterThan: (a: unknown, b: unknown): boolean => (a as number) > (b as number) };

function xorCondition(dialect: ConditionDialect): { body: string; language?: string } {
  switch (dialect) {
    case 'feel':
      return { body: '=x > 5' };
    case 'peer-expression':
      return { body: '${environment.services.greaterThan(environment.variables.x, 5)}' };
    case 'peer-script':
      return { body: 'next(null, environment.variables.x > 5)', language: 'javascript' };
  }
}

/**
 * (b) start → XOR (a real condition on `x`, plus a default) → AND split of 3 → AND join → end.
 * `Big` is taken when x > 5, `Small` by default; an XOR merge joins them before the AND split (an
 * AND gateway with both XOR branches coming in would wait for a token that never comes).
 */
export function gatewaysXml(dialect: ConditionDialect): string {
  const { body: condition, language } = xorCondition(dialect);
  const conditionXml = `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language ? ` language="${language}"` : ''}>${escapeXml(condition)}</bpmn:conditionExpression>`;
  const body = [
    '    <bpmn:startEvent id="Start"/>',
    '    <bpmn:exclusiveGateway id="Xor" default="f_Xor_Small"/>',
    '    <bpmn:task id="Big"/>',
    '    <bpmn:task id="Small"/>',
    '    <bpmn:exclusiveGateway id="Merge"/>',
    '    <bpmn:parallelGateway id="Split"/>',
    '    <bpmn:task id="A"/>',
    '    <bpmn:task id="B"/>',
    '    <bpmn:task id="C"/>',
    '    <bpmn:parallelGateway id="Join"/>',
    '    <bpmn:endEvent id="End"/>',
    flow('f_Start_Xor', 'Start', 'Xor'),
    `    <bpmn:sequenceFlow id="f_Xor_Big" sourceRef="Xor" targetRef="Big">${conditionXml}</bpmn:sequenceFlow>`,
    flow('f_Xor_Small', 'Xor', 'Small'),
    flow('f_Big_Merge', 'Big', 'Merge'),
    flow('f_Small_Merge', 'Small', 'Merge'),
    flow('f_Merge_Split', 'Merge', 'Split'),
    flow('f_Split_A', 'Split', 'A'),
    flow('f_Split_B', 'Split', 'B'),
    flow('f_Split_C', 'Split', 'C'),
    flow('f_A_Join', 'A', 'Join'),
    flow('f_B_Join', 'B', 'Join'),
    flow('f_C_Join', 'C', 'Join'),
    flow('f_Join_End', 'Join', 'End')
  ];
  return definitions('Gateways', body.join('\n'));
}

/** start → userTask → end: a run that waits for a person (memory and event-time measurements). */
export function userTaskXml(): string {
  return definitions(
    'Approval',
    [
      '    <bpmn:startEvent id="Start"/>',
      '    <bpmn:userTask id="Review"/>',
      '    <bpmn:endEvent id="End"/>',
      flow('f_Start_Review', 'Start', 'Review'),
      flow('f_Review_End', 'Review', 'End')
    ].join('\n')
  );
}
