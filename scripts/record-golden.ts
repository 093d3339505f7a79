/**
 * Records the R5 golden chains: runs each scenario below through today's engine with a fixed
 * script of events, deterministic ids (`id1`, `id2`, …) and a fixed clock, and writes
 * tests/fixtures/golden/<name>.bpmn (the exact XML the run is pinned to) and <name>.json
 * ({ events, records }: the concrete events as sent, with the clock of each, and the chain).
 *
 *   npx tsx scripts/record-golden.ts            # (re)write every fixture
 *   npx tsx scripts/record-golden.ts --check    # compare with the stored fixtures, write nothing
 *
 * Re-recording changes history on purpose: only do it for an intended change of the chain
 * format or semantics, and say so in the commit. src/lib/engine/golden.test.ts replays them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonicalJson,
  compile,
  start,
  step,
  verifyChain,
  type Effect,
  type EngineEvent,
  type ProcessModel,
  type RunState,
  type TokenRecord
} from '../src/lib/engine/index.js';

type Vars = Record<string, unknown>;

/** One line of a scenario's script, resolved against the live run into a concrete engine event. */
type Step =
  | { complete: string; vars?: Vars; owner?: string; nth?: number }
  | { job: string; complete?: { vars?: Vars; result?: unknown }; fail?: string; error?: { code: string; message: string; vars?: Vars }; owner?: string }
  | { advance: number }
  | { message: string; key?: string; vars?: Vars }
  | { signal: string; vars?: Vars }
  | { set: Vars }
  | { resolve: string }
  | { cancel: true; owner?: string };

interface Scenario {
  name: string;
  description: string;
  xml: string;
  variables?: Vars;
  script: Step[];
}

/** What golden.test.ts reads back. */
interface GoldenFile {
  name: string;
  description: string;
  /** How ctx ids are made: `id` + a counter from 1, across start and every step. */
  ids: 'id<n>';
  events: ({ at: number; start: { runId: string; variables: Vars } } | { at: number; event: EngineEvent })[];
  records: TokenRecord[];
  status: RunState['status'];
  head: string;
}

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
const STEP_MS = 1000;

const defs = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:tessera="urn:tessera:bpmn:1"
  id="Golden" targetNamespace="urn:tessera:golden">
${body.trim()}
</bpmn:definitions>
`;

/** `a>b` or `a>b:condition` → sequence flows named f_a_b. */
const flows = (...specs: string[]) =>
  specs
    .map((spec) => {
      const [path, condition] = spec.split(/:(.*)/s);
      const [source, target] = path!.split('>');
      const body = condition
        ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression>`
        : '';
      return `    <bpmn:sequenceFlow id="f_${source}_${target}" sourceRef="${source}" targetRef="${target}">${body}</bpmn:sequenceFlow>`;
    })
    .join('\n');

const job = (type: string, retries?: number) =>
  `<bpmn:extensionElements><zeebe:taskDefinition type="${type}"${retries !== undefined ? ` retries="${retries}"` : ''}/></bpmn:extensionElements>`;
const timer = (iso: string, kind = 'timeDuration') => `<bpmn:timerEventDefinition><bpmn:${kind}>${iso}</bpmn:${kind}></bpmn:timerEventDefinition>`;
const mi = (sequential: boolean, collection: string, output: string, extra = '') =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=${collection}" inputElement="item" outputCollection="${output}" outputElement="=result"/></bpmn:extensionElements>${extra}</bpmn:multiInstanceLoopCharacteristics>`;

const scenarios: Scenario[] = [
  {
    name: 'exclusive',
    description: 'a reviewed amount picks a branch of an exclusive gateway (FEEL, == accepted, default flow)',
    xml: defs(`
  <bpmn:process id="Expense" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review"/>
    <bpmn:exclusiveGateway id="Amount" default="f_Amount_Small"/>
    <bpmn:task id="Big"/><bpmn:task id="Small"/><bpmn:task id="Approved"/>
    <bpmn:endEvent id="EndBig"/><bpmn:endEvent id="EndSmall"/><bpmn:endEvent id="EndApproved"/>
${flows('Start>Review', 'Review>Amount', 'Amount>Approved:approval == true', 'Amount>Big:=amount > 100', 'Amount>Small', 'Big>EndBig', 'Small>EndSmall', 'Approved>EndApproved')}
  </bpmn:process>`),
    variables: { requester: 'carol' },
    script: [{ complete: 'Review', vars: { amount: 500, approval: false }, owner: 'alice' }]
  },
  {
    name: 'parallel',
    description: 'fork to a user task, a job and a FEEL script; the join merges the tokens',
    xml: defs(`
  <bpmn:process id="Release" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:parallelGateway id="Fork"/>
    <bpmn:userTask id="Notes"/>
    <bpmn:serviceTask id="Build">${job('build')}</bpmn:serviceTask>
    <bpmn:scriptTask id="Version"><bpmn:extensionElements><zeebe:script expression="=major + &quot;.&quot; + string(minor + 1)" resultVariable="version"/></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:parallelGateway id="Join"/>
    <bpmn:endEvent id="End"/>
${flows('Start>Fork', 'Fork>Notes', 'Fork>Build', 'Fork>Version', 'Notes>Join', 'Build>Join', 'Version>Join', 'Join>End')}
  </bpmn:process>`),
    variables: { major: '2', minor: 4 },
    script: [
      { job: 'Build', complete: { vars: { artifact: 'app.tgz' } }, owner: 'runner-1' },
      { complete: 'Notes', vars: { notes: 'fixes' }, owner: 'bob' }
    ]
  },
  {
    name: 'inclusive',
    description: 'inclusive split on two conditions and a default; the join waits for both; a bad condition is an incident, repaired and resolved',
    xml: defs(`
  <bpmn:process id="Checks" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:inclusiveGateway id="Split" default="f_Split_C"/>
    <bpmn:userTask id="A"/><bpmn:userTask id="B"/><bpmn:task id="C"/>
    <bpmn:inclusiveGateway id="Join"/>
    <bpmn:exclusiveGateway id="Score"/>
    <bpmn:endEvent id="High"/><bpmn:endEvent id="Low"/>
${flows('Start>Split', 'Split>A:=a', 'Split>B:=b', 'Split>C', 'A>Join', 'B>Join', 'C>Join', 'Join>Score', 'Score>High:=score >= 5', 'Score>Low:=score < 5')}
  </bpmn:process>`),
    variables: { a: true, b: true },
    script: [
      { complete: 'B', vars: { fromB: 1 } },
      { complete: 'A', vars: { fromA: 2 } },
      { set: { score: 7 } },
      { resolve: 'Score' }
    ]
  },
  {
    name: 'user-task-data',
    description: 'user tasks with assignment, form fields and io mappings; an outside variable edit in between',
    xml: defs(`
  <bpmn:process id="Onboarding" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Profile" name="Fill in your profile">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition assignee="=employee.login" candidateGroups="hr, it"/>
        <tessera:form>
          <tessera:field key="desk" label="Desk" type="string" required="true"/>
          <tessera:field key="laptop" label="Laptop" type="enum" values="mac, linux" default="linux"/>
        </tessera:form>
        <zeebe:ioMapping>
          <zeebe:input source="=employee.name" target="name"/>
          <zeebe:output source="=desk" target="employee.desk"/>
          <zeebe:output source="=laptop" target="hardware"/>
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="Welcome"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=manager"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End"/>
${flows('Start>Profile', 'Profile>Welcome', 'Welcome>End')}
  </bpmn:process>`),
    variables: { employee: { name: 'Dana', login: 'dana' } },
    script: [
      { complete: 'Profile', vars: { desk: 'B-12', laptop: 'mac', scratch: 'local only?' }, owner: 'dana' },
      { set: { manager: 'erin' } },
      { complete: 'Welcome', vars: { welcomed: true }, owner: 'erin' }
    ]
  },
  {
    name: 'timers',
    description: 'a timer catch event, a non-interrupting cycle boundary (R2) and an interrupting duration boundary',
    xml: defs(`
  <bpmn:process id="Reminders" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:intermediateCatchEvent id="Wait">${timer('PT10S')}</bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Sign"/>
    <bpmn:boundaryEvent id="Remind" attachedToRef="Sign" cancelActivity="false">${timer('R2/PT5S', 'timeCycle')}</bpmn:boundaryEvent>
    <bpmn:task id="SendReminder"/><bpmn:endEvent id="Reminded"/>
    <bpmn:userTask id="Countersign"/>
    <bpmn:boundaryEvent id="Expire" attachedToRef="Countersign">${timer('PT1M')}</bpmn:boundaryEvent>
    <bpmn:endEvent id="Done"/><bpmn:endEvent id="Expired"/>
${flows('Start>Wait', 'Wait>Sign', 'Remind>SendReminder', 'SendReminder>Reminded', 'Sign>Countersign', 'Countersign>Done', 'Expire>Expired')}
  </bpmn:process>`),
    script: [{ advance: 10_000 }, { advance: 12_000 }, { complete: 'Sign', vars: { signed: true } }, { advance: 60_000 }]
  },
  {
    name: 'boundary-error',
    description: 'a job fails and is retried, then throws a BPMN error caught by a boundary; an uncaught error is an incident, resolved by a new attempt',
    xml: defs(`
  <bpmn:error id="Err_Declined" errorCode="DECLINED"/>
  <bpmn:process id="Payment" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:serviceTask id="Charge">${job('charge', 3)}</bpmn:serviceTask>
    <bpmn:boundaryEvent id="Declined" attachedToRef="Charge"><bpmn:errorEventDefinition errorRef="Err_Declined"/></bpmn:boundaryEvent>
    <bpmn:task id="Refund"/>
    <bpmn:exclusiveGateway id="Merge"/>
    <bpmn:serviceTask id="Ship">${job('ship', 1)}</bpmn:serviceTask>
    <bpmn:endEvent id="End"/>
${flows('Start>Charge', 'Charge>Merge', 'Declined>Refund', 'Refund>Merge', 'Merge>Ship', 'Ship>End')}
  </bpmn:process>`),
    variables: { orderId: 'o-1' },
    script: [
      { job: 'Charge', fail: 'gateway timeout', owner: 'runner-1' },
      { job: 'Charge', error: { code: 'DECLINED', message: 'card declined', vars: { reason: 'card' } }, owner: 'runner-1' },
      { job: 'Ship', error: { code: 'NO_STOCK', message: 'out of stock' }, owner: 'runner-2' },
      { resolve: 'Ship' },
      { job: 'Ship', complete: { vars: { tracking: 'TR-9' } }, owner: 'runner-2' }
    ]
  },
  {
    name: 'sub-process',
    description: 'an embedded sub-process with a local input, a user task and a keyed message catch; a non-interrupting message boundary on it',
    xml: defs(`
  <bpmn:message id="Msg_Paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="Msg_Nudge" name="nudge"/>
  <bpmn:process id="Order" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:subProcess id="Checkout">
      <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="attempt"/></zeebe:ioMapping></bpmn:extensionElements>
      <bpmn:startEvent id="CheckoutStart"/>
      <bpmn:userTask id="Address"/>
      <bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="Msg_Paid"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="CheckoutEnd"/>
${flows('CheckoutStart>Address', 'Address>Paid', 'Paid>CheckoutEnd')}
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="Nudged" attachedToRef="Checkout" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Msg_Nudge"/></bpmn:boundaryEvent>
    <bpmn:task id="Remind"/><bpmn:endEvent id="Reminded"/>
    <bpmn:task id="Confirm"/>
    <bpmn:endEvent id="End"/>
${flows('Start>Checkout', 'Checkout>Confirm', 'Confirm>End', 'Nudged>Remind', 'Remind>Reminded')}
  </bpmn:process>`),
    variables: { orderId: 'o-42' },
    script: [
      { message: 'nudge', vars: { nudges: 1 } },
      { complete: 'Address', vars: { attempt: 2, street: 'Main St' } },
      { message: 'paid', key: 'o-42', vars: { paidAmount: 30 } }
    ]
  },
  {
    name: 'multi-instance',
    description: 'a parallel multi-instance user task completed out of order, then a sequential multi-instance script with a completion condition',
    xml: defs(`
  <bpmn:process id="Grading" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Grade">${mi(false, 'papers', 'grades')}</bpmn:userTask>
    <bpmn:scriptTask id="Scale"><bpmn:extensionElements><zeebe:script expression="=item * 10" resultVariable="result"/></bpmn:extensionElements>${mi(true, 'grades', 'scaled', '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>')}</bpmn:scriptTask>
    <bpmn:endEvent id="End"/>
${flows('Start>Grade', 'Grade>Scale', 'Scale>End')}
  </bpmn:process>`),
    variables: { papers: ['p1', 'p2', 'p3'] },
    script: [
      { complete: 'Grade', nth: 2, vars: { result: 3 } },
      { complete: 'Grade', nth: 0, vars: { result: 1 } },
      { complete: 'Grade', nth: 0, vars: { result: 2 } }
    ]
  },
  {
    name: 'event-sub-process',
    description: 'a non-interrupting message event sub-process runs twice beside the main flow; an interrupting timer one ends it',
    xml: defs(`
  <bpmn:message id="Msg_Ping" name="ping"/>
  <bpmn:process id="Watch" isExecutable="true">
    <bpmn:startEvent id="Start"/><bpmn:userTask id="Work"/><bpmn:endEvent id="End"/>
${flows('Start>Work', 'Work>End')}
    <bpmn:subProcess id="OnPing" triggeredByEvent="true">
      <bpmn:startEvent id="PingStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="Msg_Ping"/></bpmn:startEvent>
      <bpmn:task id="Pong"/><bpmn:endEvent id="PongEnd"/>
${flows('PingStart>Pong', 'Pong>PongEnd')}
    </bpmn:subProcess>
    <bpmn:subProcess id="OnTimeout" triggeredByEvent="true">
      <bpmn:startEvent id="TimeoutStart">${timer('PT1H')}</bpmn:startEvent>
      <bpmn:task id="Expire"/><bpmn:endEvent id="ExpireEnd"/>
${flows('TimeoutStart>Expire', 'Expire>ExpireEnd')}
    </bpmn:subProcess>
  </bpmn:process>`),
    script: [{ message: 'ping', vars: { pinged: 1 } }, { message: 'ping', vars: { pinged: 2 } }, { advance: 3_600_000 }]
  },
  {
    name: 'call-activity',
    description: 'a call activity runs a child process of the same file on copies of the variables and gets its results back',
    xml: defs(`
  <bpmn:process id="Parent" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:callActivity id="CallPricing"><bpmn:extensionElements><zeebe:calledElement processId="Pricing"/></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:userTask id="Accept"/>
    <bpmn:endEvent id="End"/>
${flows('Start>CallPricing', 'CallPricing>Accept', 'Accept>End')}
  </bpmn:process>
  <bpmn:process id="Pricing" isExecutable="true">
    <bpmn:startEvent id="PricingStart"/>
    <bpmn:scriptTask id="Total"><bpmn:extensionElements><zeebe:script expression="=qty * price" resultVariable="total"/></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:userTask id="Discount"/>
    <bpmn:endEvent id="PricingEnd"/>
${flows('PricingStart>Total', 'Total>Discount', 'Discount>PricingEnd')}
  </bpmn:process>`),
    variables: { qty: 3, price: 7 },
    script: [{ complete: 'Discount', vars: { discount: 0.1 } }, { complete: 'Accept', vars: { accepted: true } }]
  },
  {
    name: 'signal-cancel',
    description: 'a broadcast signal releases a catch event; the run is then cancelled with work still open',
    xml: defs(`
  <bpmn:signal id="Sig_Go" name="go"/>
  <bpmn:process id="Batch" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:parallelGateway id="Fork"/>
    <bpmn:intermediateCatchEvent id="Go"><bpmn:signalEventDefinition signalRef="Sig_Go"/></bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="Process">${job('process')}</bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="Deadline">${timer('PT30M')}</bpmn:intermediateCatchEvent>
    <bpmn:parallelGateway id="Join"/>
    <bpmn:endEvent id="End"/>
${flows('Start>Fork', 'Fork>Go', 'Go>Process', 'Process>Join', 'Fork>Deadline', 'Deadline>Join', 'Join>End')}
  </bpmn:process>`),
    script: [{ signal: 'go', vars: { batch: 7 } }, { cancel: true, owner: 'alice' }]
  }
];

/** Runs a scenario: start, then each step of its script resolved against the live run. */
async function record(scenario: Scenario): Promise<{ file: GoldenFile; model: ProcessModel; state: RunState }> {
  const model = await compile(scenario.xml);
  let n = 0;
  const clock = { now: T0 };
  const ctx = { now: () => clock.now, newId: () => `id${++n}` };
  const timers = new Map<string, number>();
  const jobs = new Map<string, Extract<Effect, { type: 'job.dispatch' }>>();
  const tasks = new Map<string, Extract<Effect, { type: 'userTask.open' }>>();
  const track = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.type === 'timer.schedule') timers.set(e.timerId, e.dueAt);
      if (e.type === 'timer.cancel') timers.delete(e.timerId);
      if (e.type === 'job.dispatch') jobs.set(e.instance, e);
      if (e.type === 'job.cancel') jobs.delete(e.instance);
      if (e.type === 'userTask.open') tasks.set(e.instance, e);
      if (e.type === 'userTask.close') tasks.delete(e.instance);
    }
  };
  const runId = `golden-${scenario.name}`;
  const variables = scenario.variables ?? {};
  const events: GoldenFile['events'] = [{ at: clock.now, start: { runId, variables } }];
  const first = start(model, { runId, variables }, ctx);
  let state = first.state;
  const records = [...first.records];
  track(first.effects);
  const send = (event: EngineEvent) => {
    events.push({ at: clock.now, event });
    const result = step(model, state, event, ctx);
    state = result.state;
    records.push(...result.records);
    if (event.type === 'timer.fired') timers.delete(event.timerId);
    if (event.type.startsWith('job.')) jobs.delete((event as { instance: string }).instance);
    track(result.effects);
  };
  const only = <T>(items: T[], what: string, nth = 0): T => {
    const item = items[nth];
    if (item === undefined) throw new Error(`${scenario.name}: no ${what} (have ${items.length})`);
    return item;
  };
  for (const line of scenario.script) {
    if ('advance' in line) {
      const until = clock.now + line.advance;
      for (;;) {
        const due = [...timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
        if (!due || state.status !== 'running') break;
        // A timer whose subscription has gone (the engine did not cancel it) is dropped, as a host would.
        if (!state.subs[due[0]] && !due[0].startsWith('retry:')) {
          timers.delete(due[0]);
          continue;
        }
        clock.now = Math.max(clock.now, due[1]);
        send({ type: 'timer.fired', timerId: due[0] });
      }
      clock.now = until;
      continue;
    }
    clock.now += STEP_MS;
    if ('job' in line) {
      const dispatched = only([...jobs.values()].filter((j) => j.node === line.job), `job at ${line.job}`);
      const owner = line.owner ? { owner: line.owner } : {};
      if (line.complete) {
        send({ type: 'job.completed', instance: dispatched.instance, ...(line.complete.vars ? { variables: line.complete.vars } : {}), ...(line.complete.result !== undefined ? { result: line.complete.result } : {}), ...owner });
      } else if (line.fail) {
        send({ type: 'job.failed', instance: dispatched.instance, error: { message: line.fail }, ...owner });
      } else if (line.error) {
        const { vars, ...error } = line.error;
        send({ type: 'job.errorThrown', instance: dispatched.instance, error, ...(vars ? { variables: vars } : {}), ...owner });
      }
    } else if ('complete' in line) {
      const task = only([...tasks.values()].filter((t) => t.node === line.complete), `open user task ${line.complete}`, line.nth);
      send({ type: 'userTask.completed', instance: task.instance, ...(line.vars ? { variables: line.vars } : {}), ...(line.owner ? { owner: line.owner } : {}) });
    } else if ('message' in line) {
      send({ type: 'message.correlated', name: line.message, ...(line.key !== undefined ? { correlationKey: line.key } : {}), ...(line.vars ? { variables: line.vars } : {}) });
    } else if ('signal' in line) {
      send({ type: 'signal.broadcast', name: line.signal, ...(line.vars ? { variables: line.vars } : {}) });
    } else if ('set' in line) {
      send({ type: 'variables.set', variables: line.set });
    } else if ('resolve' in line) {
      const incident = only(Object.values(state.incidents).filter((i) => i.node === line.resolve), `open incident at ${line.resolve}`);
      send({ type: 'incident.resolved', incident: incident.id });
    } else if ('cancel' in line) {
      send({ type: 'run.cancelled', ...(line.owner ? { owner: line.owner } : {}) });
    }
  }
  const verified = verifyChain(records);
  if (!verified.ok) throw new Error(`${scenario.name}: chain does not verify at seq ${verified.seq}: ${verified.reason}`);
  const file: GoldenFile = {
    name: scenario.name,
    description: scenario.description,
    ids: 'id<n>',
    events,
    records,
    status: state.status,
    head: verified.head
  };
  return { file, model, state };
}

/** Stable, diff-friendly text: one event or record a line, each in canonical JSON. */
function serialize(file: GoldenFile): string {
  const lines = (items: unknown[]) => items.map((item) => `    ${canonicalJson(item)}`).join(',\n');
  return `{
  "name": ${JSON.stringify(file.name)},
  "description": ${JSON.stringify(file.description)},
  "ids": ${JSON.stringify(file.ids)},
  "status": ${JSON.stringify(file.status)},
  "head": ${JSON.stringify(file.head)},
  "events": [
${lines(file.events)}
  ],
  "records": [
${lines(file.records)}
  ]
}
`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(root, 'tests', 'fixtures', 'golden');
  mkdirSync(dir, { recursive: true });
  let differing = 0;
  for (const scenario of scenarios) {
    const { file } = await record(scenario);
    const bpmnPath = join(dir, `${scenario.name}.bpmn`);
    const jsonPath = join(dir, `${scenario.name}.json`);
    const text = serialize(file);
    if (check) {
      const same = existsSync(jsonPath) && readFileSync(jsonPath, 'utf8') === text && readFileSync(bpmnPath, 'utf8') === scenario.xml;
      if (!same) differing++;
      console.log(`${same ? 'same' : 'DIFFERS'}  ${scenario.name}`);
      continue;
    }
    writeFileSync(bpmnPath, scenario.xml);
    writeFileSync(jsonPath, text);
    console.log(`${scenario.name}: ${file.records.length} records, ${file.events.length - 1} events, ${file.status}, head ${file.head.slice(0, 12)}`);
  }
  if (differing > 0) process.exitCode = 1;
}

await main();
