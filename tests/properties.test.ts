import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from './helpers/cleanup.js';
import { launchBrowser, viewports, type LaunchedBrowser } from './helpers/launchBrowser.js';
import { waitForEditor, waitSaved } from './helpers/modelerPage.js';
import { repoRoot, startRelay, type RunningRelay } from './helpers/startRelay.js';

const shots = `${repoRoot}tmp/properties`;

/**
 * A diagram skeleton: elements with DI and no properties. The panel fills in everything the
 * engine needs; the tests then export, check and run what it made.
 */
interface Node {
  id: string;
  tag: string;
  x: number;
  y: number;
  inner?: string;
  attachedTo?: string;
}

function skeleton(processId: string, nodes: Node[], flows: [string, string, string][], extra = ''): string {
  const size = (node: Node) => (/Event$/.test(node.tag) ? { w: 36, h: 36 } : /Gateway$/.test(node.tag) ? { w: 50, h: 50 } : { w: 100, h: 80 });
  const mid = (id: string) => {
    const node = nodes.find((candidate) => candidate.id === id)!;
    const { w, h } = size(node);
    return { x: node.x + w / 2, y: node.y + h / 2, w, h };
  };
  // From a shape's centre to its border, towards an axis-aligned neighbour point.
  const border = (from: { x: number; y: number; w: number; h: number }, to: { x: number; y: number }) =>
    from.y === to.y ? { x: from.x + Math.sign(to.x - from.x) * (from.w / 2), y: from.y } : { x: from.x, y: from.y + Math.sign(to.y - from.y) * (from.h / 2) };
  const semantic = nodes.map((node) => {
    const outgoing = flows.filter(([, from]) => from === node.id).map(([id]) => `<bpmn:outgoing>${id}</bpmn:outgoing>`);
    const incoming = flows.filter(([, , to]) => to === node.id).map(([id]) => `<bpmn:incoming>${id}</bpmn:incoming>`);
    const attached = node.attachedTo ? ` attachedToRef="${node.attachedTo}"` : '';
    return `<bpmn:${node.tag} id="${node.id}" name="${node.id}"${attached}>${incoming.join('')}${outgoing.join('')}${node.inner ?? ''}</bpmn:${node.tag}>`;
  });
  const sequence = flows.map(([id, from, to]) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`);
  const shapes = nodes.map((node) => {
    const { w, h } = size(node);
    return `<bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}"><dc:Bounds x="${node.x}" y="${node.y}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
  });
  const edges = flows.map(([id, from, to]) => {
    const a = mid(from);
    const b = mid(to);
    const bend = { x: a.x, y: b.y };
    const points = a.y === b.y || a.x === b.x ? [border(a, b), border(b, a)] : [border(a, bend), bend, border(b, bend)];
    return `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map((p) => `<di:waypoint x="${p.x}" y="${p.y}" />`).join('')}</bpmndi:BPMNEdge>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs_${processId}" targetNamespace="urn:tessera:test">
<bpmn:process id="${processId}" isExecutable="true">${semantic.join('')}${sequence.join('')}</bpmn:process>${extra}
<bpmndi:BPMNDiagram id="D_${processId}"><bpmndi:BPMNPlane id="P_${processId}" bpmnElement="${processId}">${shapes.join('')}${edges.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

const timer = '<bpmn:timerEventDefinition />';
/** Service task → FEEL script → JavaScript → multi-instance → user task (timer boundary) → XOR; an error boundary on the service task. */
const taskDiagram = skeleton(
  'PanelTasks',
  [
    { id: 'Start', tag: 'startEvent', x: 100, y: 222 },
    { id: 'Build', tag: 'serviceTask', x: 180, y: 200 },
    { id: 'Answer', tag: 'scriptTask', x: 330, y: 200 },
    { id: 'Double', tag: 'scriptTask', x: 480, y: 200 },
    { id: 'Items', tag: 'task', x: 630, y: 200 },
    { id: 'Review', tag: 'userTask', x: 780, y: 200 },
    { id: 'Decide', tag: 'exclusiveGateway', x: 930, y: 215 },
    { id: 'Approved', tag: 'endEvent', x: 1030, y: 222 },
    { id: 'Rejected', tag: 'endEvent', x: 1030, y: 352 },
    { id: 'Late', tag: 'boundaryEvent', x: 842, y: 262, attachedTo: 'Review', inner: timer },
    { id: 'TimedOut', tag: 'endEvent', x: 842, y: 352 },
    { id: 'BuildFailed', tag: 'boundaryEvent', x: 242, y: 262, attachedTo: 'Build', inner: '<bpmn:errorEventDefinition />' },
    { id: 'Failed', tag: 'endEvent', x: 242, y: 352 }
  ],
  [
    ['F1', 'Start', 'Build'],
    ['F2', 'Build', 'Answer'],
    ['F3', 'Answer', 'Double'],
    ['F4', 'Double', 'Items'],
    ['F5', 'Items', 'Review'],
    ['F6', 'Review', 'Decide'],
    ['Yes', 'Decide', 'Approved'],
    ['No', 'Decide', 'Rejected'],
    ['F7', 'Late', 'TimedOut'],
    ['F8', 'BuildFailed', 'Failed']
  ]
);
/** Waits for a message, then a signal, throws an escalation, calls another process and ends. */
const eventDiagram = skeleton(
  'PanelEvents',
  [
    { id: 'Start', tag: 'startEvent', x: 100, y: 222 },
    { id: 'Paid', tag: 'intermediateCatchEvent', x: 200, y: 222, inner: '<bpmn:messageEventDefinition />' },
    { id: 'Go', tag: 'intermediateCatchEvent', x: 300, y: 222, inner: '<bpmn:signalEventDefinition />' },
    { id: 'Escalate', tag: 'intermediateThrowEvent', x: 400, y: 222, inner: '<bpmn:escalationEventDefinition />' },
    { id: 'Call', tag: 'callActivity', x: 500, y: 200 },
    { id: 'End', tag: 'endEvent', x: 700, y: 222 }
  ],
  [
    ['E1', 'Start', 'Paid'],
    ['E2', 'Paid', 'Go'],
    ['E3', 'Go', 'Escalate'],
    ['E4', 'Escalate', 'Call'],
    ['E5', 'Call', 'End']
  ],
  // The called process (no diagram of its own: the engine needs only its semantics).
  `<bpmn:process id="Child" isExecutable="true"><bpmn:startEvent id="ChildStart" name="Child start"><bpmn:outgoing>C1</bpmn:outgoing></bpmn:startEvent><bpmn:task id="ChildWork" name="Child work"><bpmn:incoming>C1</bpmn:incoming><bpmn:outgoing>C2</bpmn:outgoing></bpmn:task><bpmn:endEvent id="ChildEnd" name="Child end"><bpmn:incoming>C2</bpmn:incoming></bpmn:endEvent><bpmn:sequenceFlow id="C1" sourceRef="ChildStart" targetRef="ChildWork" /><bpmn:sequenceFlow id="C2" sourceRef="ChildWork" targetRef="ChildEnd" /></bpmn:process>`
);

function tessera(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tessera', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stderr: result.stderr, json: JSON.parse(result.stdout || '{}') as Record<string, unknown> };
}

describe('tests/properties: every field group of the properties panel, through the real UI, into a run', () => {
  const cleanup = new Cleanup();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    dir = await realpath(await mkdtemp(join(tmpdir(), 'tessera-properties-')));
    cleanup.add(() => rm(dir, { recursive: true, force: true }));
    relay = await startRelay();
    cleanup.add(() => relay.stop());
    browser = await launchBrowser(viewports.laptop);
    cleanup.add(() => browser.close());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  afterAll(() => cleanup.run());

  const panel = () => page.locator('.editor-shell .panel-body');
  /** The panel's field with this label (exact, so "Name" is not "Error name"). */
  const field = (label: string) => panel().getByLabel(label, { exact: true });

  /** A new diagram holding `xml`, opened through the editor's Open… file input. */
  async function openSkeleton(xml: string, name: string): Promise<void> {
    await page.goto(relay.url);
    await page.getByRole('button', { name: 'New diagram' }).click();
    await page.waitForURL(/\/diagrams\/d_/);
    await waitForEditor(page);
    await page.locator('.editor-shell input[type="file"]').setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.getByRole('status').filter({ hasText: `Opened ${name}` }).waitFor();
    await waitSaved(page);
  }

  /** Where to click an element: a flow halfway along its first segment, a shape above its centre (flows run through centres). */
  function clickPoint(id: string): Promise<{ x: number; y: number }> {
    return page.evaluate((elementId) => {
      const modeler = window.tesseraModeler!;
      const element = (modeler.get('elementRegistry') as { get(id: string): { x: number; y: number; width: number; height: number; waypoints?: { x: number; y: number }[] } }).get(elementId);
      const canvas = modeler.get('canvas') as { viewbox(): { x: number; y: number; scale: number }; getContainer(): HTMLElement };
      const box = canvas.viewbox();
      const origin = canvas.getContainer().getBoundingClientRect();
      const [a, b] = element.waypoints ?? [];
      const point = a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : { x: element.x + element.width / 2, y: element.y + element.height * 0.25 };
      return { x: origin.left + (point.x - box.x) * box.scale, y: origin.top + (point.y - box.y) * box.scale };
    }, id);
  }

  /** Clicks an element on the canvas, as a person would, and waits for the panel to show it. */
  async function pick(id: string): Promise<void> {
    // First a click on empty canvas (the top margin right of the palette): the context pad of the
    // selected element may cover the next one.
    const empty = (await page.locator('.editor-shell .canvas').boundingBox())!;
    await page.mouse.click(empty.x + 140, empty.y + 12);
    const at = await clickPoint(id);
    if (process.env.DEBUG_PICK) await page.screenshot({ path: `${shots}/pick-${id}.png` });
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => panel().locator('header code').textContent()).toBe(id);
  }

  /** Types into a field and commits it like a person leaving it (Tab). */
  async function type(target: Locator, text: string): Promise<void> {
    await target.fill(text);
    await target.press('Tab');
  }

  /** Types an invalid value, expects the inline problem, then types the valid one. */
  async function typeChecked(target: Locator, invalid: string, problem: RegExp, valid: string): Promise<void> {
    await target.fill(invalid);
    await expect.poll(() => target.getAttribute('aria-invalid')).toBe('true');
    const note = panel().locator(`[id="${await target.getAttribute('id')}-note"]`);
    await expect.poll(() => note.textContent()).toMatch(problem);
    expect(await note.getAttribute('role')).toBe('alert');
    await type(target, valid);
    await expect.poll(() => target.getAttribute('aria-invalid')).toBe(null);
  }

  async function exportBpmn(file: string): Promise<string> {
    await waitSaved(page);
    await page.locator('summary', { hasText: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'BPMN (.bpmn)' }).click()]);
    const path = join(dir, file);
    await download.saveAs(path);
    const xml = await readFile(path, 'utf8');
    await writeFile(`${shots}/${file}`, xml);
    return xml;
  }

  /** Waits until the in-app engine has compiled the saved diagram and Run is offered (no blockers). */
  async function expectRunnable(): Promise<void> {
    await waitSaved(page);
    const run = page.getByRole('button', { name: '▶ Run' });
    await expect.poll(() => run.getAttribute('title'), { timeout: 15_000 }).toBe('Start a run of this diagram');
    expect(await run.isEnabled()).toBe(true);
    // and the red markers the skeleton had on the canvas are gone (lint hints may stay, amber)
    const marked = () => page.locator('.djs-element.tessera-problem').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-element-id')));
    await expect.poll(marked).toEqual([]);
  }

  it('tasks: names, documentation, command (argv, cwd, timeout, retries), scripts, form, assignment, timer, multi-instance, I/O, conditions — exported, compiled and run', async () => {
    await openSkeleton(taskDiagram, 'panel-tasks.bpmn');
    // the skeleton cannot run yet: its problems are marked red on the canvas
    await expect.poll(() => page.locator('.djs-element.tessera-problem').count()).toBeGreaterThan(0);

    // names and documentation
    await pick('Build');
    await type(field('Name'), 'Build the app');
    await type(field('Documentation'), 'Compiles and packages.');

    // service task: a command with argv (a FEEL line checked live), working directory, timeout, retries, result
    await panel().getByLabel('How this task runs').selectOption('tessera:Command');
    const args = field('Arguments, one per line');
    await typeChecked(args, 'node\n-e\n=1 +', /FEEL does not parse/, 'node\n-e\nprocess.stdout.write(process.cwd())');
    await type(field('Working directory'), '.');
    await typeChecked(field('Timeout'), '5 minutes', /ISO 8601 duration/, 'PT30S');
    await typeChecked(field('Retries'), 'two', /whole number/, '2');
    await type(field('Result variable'), 'build');
    await page.screenshot({ path: `${shots}/service-task.png` });

    // error boundary: a new error with its code
    await pick('BuildFailed');
    await panel().getByRole('combobox', { name: 'Error', exact: true }).selectOption('__new');
    await type(field('Error name'), 'Build failed');
    await type(field('Error code'), 'BUILD_FAILED');

    // script task in FEEL, live-checked
    await pick('Answer');
    await typeChecked(field('Expression'), '=build.exitCode +', /FEEL does not parse/, '=build.exitCode + 41');
    await type(field('Result variable'), 'answer');

    // script task in JavaScript
    await pick('Double');
    await panel().getByLabel('Language').selectOption('javascript');
    await type(panel().getByRole('textbox', { name: 'Script', exact: true }), 'return variables.answer * 2;');
    await type(field('Result variable'), 'doubled');

    // multi-instance: collection, element variable, output, completion condition
    await pick('Items');
    await panel().getByRole('button', { name: 'Make parallel multi-instance' }).click();
    await typeChecked(field('Input collection (FEEL)'), '=[1, 2,', /FEEL does not parse/, '=[1, 2, 3]');
    await type(field('Element variable'), 'item');
    await type(field('Output collection'), 'results');
    await type(field('Output element (FEEL)'), '=item * 10');
    await typeChecked(field('Completion condition (FEEL)'), '=numberOfCompletedInstances >=', /FEEL does not parse/, '=numberOfCompletedInstances >= 3');

    // user task: assignee, candidate groups, a form, an output mapping
    await pick('Review');
    await type(field('Assignee'), 'demo');
    await type(field('Candidate groups'), 'managers, leads');
    await panel().getByRole('button', { name: 'Add field' }).click();
    const first = panel().getByRole('group', { name: 'Field 1' });
    await type(first.getByLabel('Key'), 'approved');
    await type(first.getByLabel('Label'), 'Approve?');
    await first.getByLabel('Type').selectOption('boolean');
    await first.getByLabel('Required').check();
    await panel().getByRole('button', { name: 'Add field' }).click();
    const second = panel().getByRole('group', { name: 'Field 2' });
    await type(second.getByLabel('Key'), 'comment');
    await type(second.getByLabel('Label'), 'Comment');
    await type(second.getByLabel('Default'), 'none');
    await typeChecked(field('Outputs'), 'decision = =approved and', /FEEL does not parse/, 'decision = =approved\nnote = =comment');
    await page.screenshot({ path: `${shots}/user-task.png`, fullPage: true });

    // timer boundary: ISO 8601, validated
    await pick('Late');
    await panel().getByLabel('Timer type').selectOption('timeDuration');
    await typeChecked(field('Value (ISO 8601)'), 'PT1X', /ISO 8601 duration/, 'PT1H');

    // a FEEL condition (live-checked) and a default flow
    await pick('Yes');
    await typeChecked(field('Condition (FEEL)'), '=decision =', /FEEL does not parse/, '=decision = true');
    await pick('No');
    await panel().getByLabel('Default flow').check();

    // then the in-app engine finds nothing to object to
    await expectRunnable();

    // and the exported XML carries every value
    const xml = await exportBpmn('panel-tasks.bpmn');
    expect(xml).toContain('name="Build the app"');
    expect(xml).toMatch(/<bpmn:documentation>Compiles and packages\.<\/bpmn:documentation>/);
    expect(xml).toMatch(/<tessera:command [^>]*cwd="[^"]+"/);
    expect(xml).toMatch(/timeout="PT30S"/);
    expect(xml).toMatch(/retries="2"/);
    expect(xml).toMatch(/<tessera:arg>node<\/tessera:arg>\s*<tessera:arg>-e<\/tessera:arg>\s*<tessera:arg>process.stdout.write\(process.cwd\(\)\)<\/tessera:arg>/);
    expect(xml).toMatch(/<bpmn:error id="[^"]+" name="Build failed" errorCode="BUILD_FAILED" \/>/);
    expect(xml).toMatch(/<zeebe:script expression="=build.exitCode \+ 41" resultVariable="answer" \/>/);
    expect(xml).toMatch(/scriptFormat="javascript"/);
    expect(xml).toMatch(/<zeebe:loopCharacteristics inputCollection="=\[1, 2, 3\]" inputElement="item" outputCollection="results" outputElement="=item \* 10" \/>/);
    expect(xml).toMatch(/<bpmn:completionCondition[^>]*>=numberOfCompletedInstances &gt;= 3<\/bpmn:completionCondition>/);
    expect(xml).toMatch(/<zeebe:assignmentDefinition assignee="demo" candidateGroups="managers, leads" \/>/);
    expect(xml).toMatch(/<tessera:field key="approved" label="Approve\?" type="boolean" required="true" \/>/);
    expect(xml).toMatch(/<tessera:field key="comment" label="Comment" type="string" default="none" \/>/);
    expect(xml).toMatch(/<zeebe:output source="=approved" target="decision" \/>/);
    expect(xml).toMatch(/<bpmn:timeDuration[^>]*>PT1H<\/bpmn:timeDuration>/);
    expect(xml).toMatch(/<bpmn:conditionExpression[^>]*>=decision = true<\/bpmn:conditionExpression>/);
    expect(xml).toMatch(/<bpmn:exclusiveGateway id="Decide" name="Decide" default="No">/);

    // and the engine runs it: the command ran, the scripts computed,
    // the multi-instance collected, the form's answer was mapped and the condition chose the way
    const file = join(dir, 'panel-tasks.bpmn');
    const check = tessera('check', file, '--json');
    expect(check.json).toMatchObject({ files: [{ ok: true, problems: [] }] });
    const run = tessera('run', file, '--allow', 'node', '--allow-scripts', '--answer', 'Review={"approved":true,"comment":"fine"}', '--json');
    expect(run.stderr).toBe('');
    expect([run.json.status, run.json.error]).toEqual(['completed', undefined]);
    expect((run.json.visited as string[]).at(-1)).toBe('Approved');
    const variables = run.json.variables as Record<string, unknown>;
    expect(variables).toMatchObject({ build: { exitCode: 0 }, answer: 41, doubled: 82, results: [10, 20, 30], decision: true, note: 'fine' });
    // the command ran in its job directory ('.'), a fresh temporary one, not where tessera was started
    const stdout = (variables.build as { stdout: string }).stdout;
    expect(stdout.startsWith(await realpath(tmpdir()))).toBe(true);
    expect(stdout).not.toBe(repoRoot.replace(/\/$/, ''));
    const rejected = tessera('run', file, '--allow', 'node', '--allow-scripts', '--answer', 'Review={"approved":false,"comment":"no"}', '--json');
    expect(rejected.json.visited, rejected.stderr).toBeDefined();
    expect((rejected.json.visited as string[]).at(-1)).toBe('Rejected');
  });

  it('events and calls: message (correlation key), signal and escalation references with names and codes, a called process — exported and run', async () => {
    await openSkeleton(eventDiagram, 'panel-events.bpmn');

    await pick('Paid');
    await panel().getByRole('combobox', { name: 'Message', exact: true }).selectOption('__new');
    await type(field('Message name'), 'payment');
    await type(field('Correlation key (FEEL)'), '=orderId');

    await pick('Go');
    await panel().getByRole('combobox', { name: 'Signal', exact: true }).selectOption('__new');
    await type(field('Signal name'), 'go');

    await pick('Escalate');
    await panel().getByRole('combobox', { name: 'Escalation', exact: true }).selectOption('__new');
    await type(field('Escalation name'), 'Late');
    await type(field('Escalation code'), 'LATE');

    // call activity: the called process id (zeebe:calledElement)
    await pick('Call');
    await typeChecked(field('Process id'), '=childId', /not supported/, 'Child');

    await expectRunnable();
    const xml = await exportBpmn('panel-events.bpmn');
    expect(xml).toMatch(/<bpmn:message id="([^"]+)" name="payment">\s*<bpmn:extensionElements>\s*<zeebe:subscription correlationKey="=orderId" \/>/);
    expect(xml).toMatch(/<bpmn:signal id="[^"]+" name="go" \/>/);
    expect(xml).toMatch(/<bpmn:escalation id="[^"]+" name="Late" escalationCode="LATE" \/>/);
    expect(xml).toMatch(/<zeebe:calledElement processId="Child" \/>/);

    // the run waits for the message (correlated by orderId), then the signal, and completes
    const store = join(dir, 'events.db');
    const file = join(dir, 'panel-events.bpmn');
    const started = tessera('run', file, '--var', 'orderId="A1"', '--store', store, '--json');
    expect(started.json).toMatchObject({ status: 'waiting', waiting: ['Paid'] });
    const runId = started.json.runId as string;
    const other = tessera('message', runId, 'payment', '--key', 'B2', '--store', store, '--json');
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain('with key "B2"');
    const paid = tessera('message', runId, 'payment', '--key', 'A1', '--store', store, '--json');
    expect(paid.json).toMatchObject({ status: 'waiting', waiting: ['Go'] });
    const signalled = tessera('signal', 'go', '--store', store, '--json');
    expect(signalled.json).toMatchObject({ runs: [{ runId, status: 'completed' }] });
    expect((signalled.json.runs as { visited: string[] }[])[0]!.visited).toEqual(expect.arrayContaining(['Escalate', 'Call', 'End']));
  });

  it('the panel of a service task and a user task at tablet width: labelled fields in reading order', async () => {
    await page.setViewportSize(viewports.tablet);
    await openSkeleton(taskDiagram, 'panel-tablet.bpmn');
    await pick('Build');
    await panel().getByLabel('How this task runs').selectOption('tessera:Command');
    await panel().screenshot({ path: `${shots}/service-task-tablet.png` });
    await pick('Review');
    await page.screenshot({ path: `${shots}/user-task-tablet.png`, fullPage: true });
    await panel().screenshot({ path: `${shots}/user-task-panel-tablet.png` });
    // every form control in the panel has an accessible name
    const unnamed = await panel().evaluate((root) =>
      [...root.querySelectorAll('input, select, textarea, button')]
        .filter((control) => {
          const element = control as HTMLInputElement;
          const labelled = element.labels?.length || element.getAttribute('aria-label') || element.getAttribute('aria-labelledby') || (element.tagName === 'BUTTON' && element.textContent?.trim());
          return !labelled;
        })
        .map((control) => control.outerHTML.slice(0, 80))
    );
    expect(unnamed).toEqual([]);
    // Tab walks the panel top to bottom: name, documentation, assignee, candidate groups, …
    await field('Name').focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''));
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['Name', 'Documentation', 'Assignee', 'Candidate groups']);
    await page.setViewportSize(viewports.laptop);
  });
});
