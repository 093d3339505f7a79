import { describe, expect, it } from 'vitest';
import { withoutDiagrams } from './withoutDiagrams.js';

const head = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:di="http://www.omg.org/spec/BPMN/20100524/DI">';

describe('engine/definition/withoutDiagrams', () => {
  it('given a diagram then it is blanked, keeping line breaks', () => {
    const xml = `${head}\n<bpmn:process id="P"/>\n<di:BPMNDiagram id="D">\n  <di:BPMNPlane/>\n</di:BPMNDiagram>\n</bpmn:definitions>`;
    expect(withoutDiagrams(xml)).toBe(`${head}\n<bpmn:process id="P"/>\n\n\n\n</bpmn:definitions>`);
  });

  it('given several and self-closing diagrams then all are blanked', () => {
    const xml = `${head}<di:BPMNDiagram id="A"/><bpmn:process id="P"/><di:BPMNDiagram id="B"><x/></di:BPMNDiagram></bpmn:definitions>`;
    expect(withoutDiagrams(xml)).toBe(`${head}<bpmn:process id="P"/></bpmn:definitions>`);
  });

  it('given an unterminated diagram or no DI namespace then the text is unchanged', () => {
    const cut = `${head}<di:BPMNDiagram id="A"><di:BPMNPlane>`;
    expect(withoutDiagrams(cut)).toBe(cut);
    const other = '<definitions><di:BPMNDiagram/></definitions>';
    expect(withoutDiagrams(other)).toBe(other);
  });
});
