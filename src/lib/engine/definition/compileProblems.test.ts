import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { CompileError } from './CompileError.js';
import type { Problem } from './model.js';

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:tessera="urn:tessera:bpmn:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const definitions = (content: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="D">\n${content}\n</bpmn:definitions>`;
const processXml = (body: string, roots = ''): string =>
  definitions(`${roots}<bpmn:process id="P" isExecutable="true">\n${body}\n</bpmn:process>`);
const start = '<bpmn:startEvent id="S" />';
const flow = (id: string, source: string, target: string, condition = ''): string =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${condition}</bpmn:sequenceFlow>`;
const condition = (feel: string): string =>
  `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${feel}</bpmn:conditionExpression>`;
const catchEvent = (id: string, definition: string): string =>
  `<bpmn:intermediateCatchEvent id="${id}">${definition}</bpmn:intermediateCatchEvent>`;
const timer = (kind: string, text: string): string =>
  `<bpmn:timerEventDefinition><bpmn:time${kind}>${text}</bpmn:time${kind}></bpmn:timerEventDefinition>`;
const extensions = (content: string): string => `<bpmn:extensionElements>${content}</bpmn:extensionElements>`;

/** The problems compile reports, or [] when it compiles. Any other exception fails the test. */
async function problemsOf(xml: string): Promise<Problem[]> {
  try {
    await compile(xml);
    return [];
  } catch (error) {
    if (error instanceof CompileError) return [...error.problems];
    throw error;
  }
}

describe('engine/definition/compile (problems)', () => {
  it.each<[string, string, string, RegExp]>([
    ['empty input', '  ', '', /empty input/],
    ['not well-formed XML', definitions('<bpmn:process id="P">'), '', /not well-formed XML at line \d+/],
    ['another root element', '<?xml version="1.0"?><foo xmlns="urn:x"/>', '', /root element is <foo>, expected bpmn:definitions/],
    [
      'the pre-release BPMN namespace',
      '<definitions xmlns="http://schema.omg.org/spec/BPMN/2.0" id="D"><process id="P"/></definitions>',
      '',
      /namespace "http:\/\/schema.omg.org\/spec\/BPMN\/2.0", expected BPMN 2.0/
    ],
    ['an unknown BPMN element', processXml(`${start}<bpmn:fooBar id="X" />`), 'X', /unknown element <bpmn:fooBar>/],
    ['a flow to a missing node', processXml(`${start}${flow('F', 'S', 'Nope')}`), 'F', /targetRef refers to 'Nope', which does not exist/],
    [
      'a flow crossing into a sub-process',
      processXml(`${start}${flow('F', 'S', 'Inner')}<bpmn:subProcess id="Sub"><bpmn:startEvent id="Inner" /></bpmn:subProcess>`),
      'F',
      /crosses a scope boundary/
    ],
    ['a complex gateway', processXml(`${start}<bpmn:complexGateway id="G" />`), 'G', /complex gateways are not supported/],
    ['a transaction', processXml(`${start}<bpmn:transaction id="T" />`), 'T', /transaction sub-processes are not supported/],
    ['an ad-hoc sub-process', processXml(`${start}<bpmn:adHocSubProcess id="A" />`), 'A', /ad-hoc sub-processes are not supported/],
    [
      'a compensation boundary event',
      processXml(`${start}<bpmn:task id="T" /><bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>`),
      'B',
      /compensation events are not supported/
    ],
    [
      'a conditional catch event',
      processXml(`${start}${catchEvent('C', `<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=x</bpmn:condition></bpmn:conditionalEventDefinition>`)}`),
      'C',
      /conditional events are not supported/
    ],
    ['a cancel end event', processXml(`${start}<bpmn:endEvent id="E"><bpmn:cancelEventDefinition /></bpmn:endEvent>`), 'E', /cancel events are not supported/],
    [
      'two event definitions on one event',
      processXml(`<bpmn:startEvent id="S2">${timer('Duration', 'PT1M')}<bpmn:signalEventDefinition signalRef="Sig" /></bpmn:startEvent>`, '<bpmn:signal id="Sig" name="s" />'),
      'S2',
      /multiple event definitions/
    ],
    ['a gateway without a way out', processXml(`${start}${flow('F', 'S', 'G')}<bpmn:parallelGateway id="G" />`), 'G', /gateway has no outgoing sequence flow/],
    ['a condition that is not FEEL', processXml(`${start}${flow('F', 'S', 'T', condition('${approved}'))}<bpmn:task id="T" />`), 'F', /FEEL expression "\$\{approved\}" does not parse/],
    ['a timer duration that is not ISO 8601', processXml(`${start}${catchEvent('W', timer('Duration', 'five minutes'))}`), 'W', /timeDuration "five minutes" is not ISO 8601/],
    ['a timer date that is not ISO 8601', processXml(`${start}${catchEvent('W', timer('Date', '01/02/2026'))}`), 'W', /timeDate "01\/02\/2026" is not ISO 8601/],
    ['a timer cycle that is not ISO 8601', processXml(`${start}${catchEvent('W', timer('Cycle', '0 0 9 * * MON'))}`), 'W', /timeCycle .* is not ISO 8601/],
    ['an empty timer', processXml(`${start}${catchEvent('W', timer('Duration', ''))}`), 'W', /timeDuration is empty/],
    ['a call to a process not in the file', processXml(`${start}<bpmn:callActivity id="C" calledElement="Elsewhere" />`), 'C', /'Elsewhere', which is not a process in this file/],
    [
      'a call to a non-executable process',
      definitions(`<bpmn:process id="P">${start}<bpmn:callActivity id="C" calledElement="Q" /></bpmn:process><bpmn:process id="Q" isExecutable="false" />`),
      'C',
      /'Q', which is not executable/
    ],
    [
      'a boundary event on a gateway',
      processXml(`${start}${flow('F', 'S', 'G')}<bpmn:exclusiveGateway id="G" /><bpmn:boundaryEvent id="B" attachedToRef="G">${timer('Duration', 'PT1M')}</bpmn:boundaryEvent>`),
      'B',
      /attached to 'G', which is not an activity/
    ],
    ['a message catch without a message', processXml(`${start}${catchEvent('M', '<bpmn:messageEventDefinition />')}`), 'M', /needs a messageRef/],
    ['a signal catch without a signal', processXml(`${start}${catchEvent('G', '<bpmn:signalEventDefinition />')}`), 'G', /needs a signalRef/],
    ['an error end event without a code', processXml(`${start}<bpmn:endEvent id="E"><bpmn:errorEventDefinition /></bpmn:endEvent>`), 'E', /errorRef with an errorCode/],
    ['a link throw with no catch', processXml(`${start}<bpmn:intermediateThrowEvent id="L"><bpmn:linkEventDefinition name="next" /></bpmn:intermediateThrowEvent>`), 'L', /no link catch event named 'next'/],
    [
      'a DMN business rule task',
      processXml(`${start}<bpmn:businessRuleTask id="R">${extensions('<zeebe:calledDecision decisionId="d" resultVariable="r" />')}</bpmn:businessRuleTask>`),
      'R',
      /DMN decisions \(zeebe:calledDecision\) are not supported/
    ],
    ['only non-executable processes', definitions('<bpmn:process id="P" isExecutable="false" />'), 'D', /no executable process/],
    ['no process at all', definitions('<bpmn:message id="M" name="m" />'), 'D', /no executable process/],
    [
      'a default flow that does not leave the gateway',
      processXml(`${start}${flow('F', 'S', 'G')}<bpmn:exclusiveGateway id="G" default="F" />${flow('F2', 'G', 'T')}<bpmn:task id="T" />`),
      'G',
      /default flow 'F' is not one of its outgoing sequence flows/
    ],
    ['a script in an unknown language', processXml(`${start}<bpmn:scriptTask id="T" scriptFormat="groovy"><bpmn:script>1</bpmn:script></bpmn:scriptTask>`), 'T', /scriptFormat "groovy" is not supported/],
    ['a script task without a script', processXml(`${start}<bpmn:scriptTask id="T" />`), 'T', /script task needs a script/],
    ['a command without arguments', processXml(`${start}<bpmn:serviceTask id="T">${extensions('<tessera:command />')}</bpmn:serviceTask>`), 'T', /at least one tessera:arg/],
    [
      'a command timeout that is not a duration',
      processXml(`${start}<bpmn:serviceTask id="T">${extensions('<tessera:command timeout="5m"><tessera:arg>ls</tessera:arg></tessera:command>')}</bpmn:serviceTask>`),
      'T',
      /timeout "5m" is not an ISO 8601 duration/
    ],
    [
      'two implementations on one task',
      processXml(`${start}<bpmn:serviceTask id="T">${extensions('<tessera:command><tessera:arg>ls</tessera:arg></tessera:command><zeebe:taskDefinition type="x" />')}</bpmn:serviceTask>`),
      'T',
      /more than one implementation/
    ],
    ['a job without a type', processXml(`${start}<bpmn:serviceTask id="T">${extensions('<zeebe:taskDefinition />')}</bpmn:serviceTask>`), 'T', /zeebe:taskDefinition needs a type/],
    ['a multi-instance over nothing', processXml(`${start}<bpmn:task id="T"><bpmn:multiInstanceLoopCharacteristics /></bpmn:task>`), 'T', /multi-instance needs an inputCollection/],
    [
      'an event sub-process with a plain start',
      processXml(`${start}<bpmn:subProcess id="E" triggeredByEvent="true"><bpmn:startEvent id="ES" /></bpmn:subProcess>`),
      'ES',
      /event sub-process start event needs a trigger/
    ],
    ['a sub-process without a start event', processXml(`${start}<bpmn:subProcess id="Sub"><bpmn:task id="T" /></bpmn:subProcess>`), 'Sub', /needs exactly one none start event, found 0/],
    ['an error start event at process level', processXml(`<bpmn:startEvent id="S"><bpmn:errorEventDefinition /></bpmn:startEvent>`), 'S', /only allowed in event sub-processes/],
    ['a flow into a start event', processXml(`${start}<bpmn:task id="T" />${flow('F', 'T', 'S')}`), 'S', /cannot have incoming sequence flows/],
    [
      'an event gateway leading to a task',
      processXml(`${start}${flow('F', 'S', 'G')}<bpmn:eventBasedGateway id="G" />${flow('F2', 'G', 'T')}<bpmn:task id="T" />`),
      'G',
      /must lead to message, timer or signal catch events/
    ],
    [
      'a FEEL-computed called element',
      processXml(`${start}<bpmn:callActivity id="C">${extensions('<zeebe:calledElement processId="=target" />')}</bpmn:callActivity>`),
      'C',
      /FEEL-computed process id is not supported/
    ],
    ['an enum field without values', processXml(`<bpmn:startEvent id="S">${extensions('<tessera:form><tessera:field key="k" type="enum" /></tessera:form>')}</bpmn:startEvent>`), 'S', /needs values/],
    [
      'an embedded form that is missing',
      processXml(`${start}<bpmn:userTask id="U">${extensions('<zeebe:formDefinition formKey="camunda-forms:bpmn:Nope" />')}</bpmn:userTask>`),
      'U',
      /form 'Nope', which the process does not define/
    ]
  ])('given %s then a problem names %j', async (_title, xml, element, message) => {
    const problems = await problemsOf(xml);
    expect(problems).toContainEqual({ element, message: expect.stringMatching(message) });
  });

  it('given several problems then all are reported at once, each in the error message', async () => {
    const xml = processXml(`${start}<bpmn:complexGateway id="G" />${flow('F', 'S', 'Nope')}${catchEvent('W', timer('Duration', 'soon'))}`);
    const error = await compile(xml).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CompileError);
    const problems = (error as CompileError).problems;
    expect(problems.map((problem) => problem.element).sort()).toEqual(['F', 'G', 'W']);
    for (const problem of problems) expect((error as CompileError).message).toContain(`${problem.element}: ${problem.message}`);
  });

  it.each<[string, string, string, RegExp]>([
    ['a message catch', processXml(`${start}${catchEvent('M', '<bpmn:messageEventDefinition messageRef="Nope" />')}`), 'M', /messageRef refers to 'Nope'/],
    ['a boundary event', processXml(`${start}<bpmn:boundaryEvent id="B" attachedToRef="Nope">${timer('Duration', 'PT1M')}</bpmn:boundaryEvent>`), 'B', /attachedToRef refers to 'Nope'/],
    ['a sequence flow', processXml(`${start}${flow('F', 'Nope', 'S')}`), 'F', /sourceRef refers to 'Nope'/]
  ])('given %s with a dangling reference then it is reported once, naming the element', async (_title, xml, element, message) => {
    expect(await problemsOf(xml)).toEqual([{ element, message: expect.stringMatching(message) }]);
  });

  it.each<[string, string]>([
    ['an activity with no way out (implicit end)', processXml(`${start}${flow('F', 'S', 'T')}<bpmn:task id="T" />`)],
    [
      'an exclusive gateway with conditions on every flow and no default',
      processXml(`${start}${flow('F', 'S', 'G')}<bpmn:exclusiveGateway id="G" />${flow('A', 'G', 'T', condition('=x == 1'))}${flow('B', 'G', 'T', condition('x = 2'))}<bpmn:task id="T" />`)
    ],
    ['a FEEL timer', processXml(`${start}${catchEvent('W', timer('Date', '=dueDate'))}`)],
    ['a message without a correlation key', processXml(`${start}${catchEvent('M', '<bpmn:messageEventDefinition messageRef="Msg" />')}`, '<bpmn:message id="Msg" name="go" />')],
    ['a service task with no implementation', processXml(`${start}<bpmn:serviceTask id="T" /><bpmn:sendTask id="T2" />`)],
    [
      'data stores, data objects and message flows',
      definitions(
        '<bpmn:collaboration id="C"><bpmn:participant id="Pa" processRef="P" /><bpmn:participant id="Pb" /><bpmn:messageFlow id="MF" sourceRef="T" targetRef="Pb" /></bpmn:collaboration>' +
          `<bpmn:process id="P">${start}<bpmn:task id="T"><bpmn:dataOutputAssociation id="DA"><bpmn:targetRef>DS</bpmn:targetRef></bpmn:dataOutputAssociation></bpmn:task>` +
          '<bpmn:dataStoreReference id="DS" /><bpmn:dataObject id="DO" /><bpmn:group id="Gr" /></bpmn:process>'
      )
    ],
    ['a catch-all error boundary event', processXml(`${start}<bpmn:task id="T" /><bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`)]
  ])('given %s then it compiles', async (_title, xml) => {
    expect(await problemsOf(xml)).toEqual([]);
  });
});
