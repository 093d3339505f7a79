import { describe, expect, it } from 'vitest';
import { bpmnModdle } from './parseBpmn.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tessera="urn:tessera:bpmn:1" id="D">
  <bpmn:process id="P">
    <bpmn:serviceTask id="Cmd">
      <bpmn:extensionElements>
        <tessera:command timeout="PT5M" retries="3" retryBackoff="PT10S" cwd="/src" resultVariable="build">
          <tessera:arg>npm</tessera:arg>
          <tessera:arg>--flag</tessera:arg>
          <tessera:env name="CI" value="true" />
        </tessera:command>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="Call">
      <bpmn:extensionElements>
        <tessera:http method="POST" url="=api" timeout="PT30S" resultVariable="resp">
          <tessera:header name="Accept" value="application/json" />
          <tessera:body>{"a":1}</tessera:body>
        </tessera:http>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="Ask">
      <bpmn:extensionElements>
        <tessera:form>
          <tessera:field key="ok" label="OK?" type="boolean" required="true" default="false" />
          <tessera:field key="tier" type="enum" values="a,b" />
        </tessera:form>
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`;

describe('engine/definition/tessera.json', () => {
  it('given tessera extensions when read then they are typed elements, not unknown ones', async () => {
    const { rootElement, warnings } = await bpmnModdle().fromXML(XML);
    expect(warnings).toEqual([]);
    const process = (rootElement as { rootElements: { flowElements: { extensionElements: { values: Record<string, unknown>[] } }[] }[] })
      .rootElements[0]!;
    const command = process.flowElements[0]!.extensionElements.values[0]!;
    expect(command).toMatchObject({ $type: 'tessera:Command', retries: 3, timeout: 'PT5M', cwd: '/src' });
    expect((command['args'] as { value: string }[]).map((arg) => arg.value)).toEqual(['npm', '--flag']);
    const field = (process.flowElements[2]!.extensionElements.values[0]!['fields'] as Record<string, unknown>[])[0];
    expect(field).toMatchObject({ $type: 'tessera:Field', key: 'ok', required: true, default: 'false' });
  });

  it('given tessera extensions when written back then every element and attribute survives', async () => {
    const { rootElement } = await bpmnModdle().fromXML(XML);
    const { xml } = await bpmnModdle().toXML(rootElement, { format: true });
    for (const fragment of [
      '<tessera:command timeout="PT5M" retries="3" retryBackoff="PT10S" cwd="/src" resultVariable="build">',
      '<tessera:arg>npm</tessera:arg>',
      '<tessera:arg>--flag</tessera:arg>',
      '<tessera:env name="CI" value="true" />',
      '<tessera:http method="POST" url="=api" timeout="PT30S" resultVariable="resp">',
      '<tessera:header name="Accept" value="application/json" />',
      '<tessera:body>{"a":1}</tessera:body>',
      '<tessera:field key="ok" label="OK?" type="boolean" required="true" default="false" />',
      '<tessera:field key="tier" type="enum" values="a,b" />'
    ]) {
      expect(xml).toContain(fragment);
    }
    const again = await bpmnModdle().toXML((await bpmnModdle().fromXML(xml)).rootElement, { format: true });
    expect(again.xml).toBe(xml);
  });
});
