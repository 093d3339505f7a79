import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGRAM_EXPORT_FORMAT, FileRefused, readDiagramFile } from './readBpmn.js';

const template = readFileSync(new URL('../templates/expense-approval.bpmn', import.meta.url), 'utf8');
const file = (name: string, text: string) => new File([text], name);

describe('modeler/files/readBpmn', () => {
  it('reads a BPMN file, named after the file', async () => {
    await expect(readDiagramFile(file('expense.bpmn', template))).resolves.toMatchObject({ name: 'expense', xml: template, namedVersions: [] });
  });

  it('reads a Tessera JSON export with its named versions', async () => {
    const exported = { format: DIAGRAM_EXPORT_FORMAT, formatVersion: 1, name: 'Expenses', exportedAt: 1, xml: template, namedVersions: [{ name: 'v1', xml: template, savedAt: 2 }] };
    const read = await readDiagramFile(file('expenses.tessera.json', JSON.stringify(exported)));
    expect(read).toMatchObject({ name: 'Expenses', namedVersions: [{ name: 'v1' }] });
  });

  it.each([
    ['broken.bpmn', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P"><bpmn:task id="T"></bpmn:process>', /could not be read as BPMN/],
    ['notes.bpmn', 'just text', /is not BPMN 2\.0 XML/],
    ['empty.bpmn', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"/>', /holds no process or collaboration/],
    ['other.json', '{"format":"something else"}', /is not a Tessera diagram export/]
  ])('refuses %s with a message', async (name, text, message) => {
    const read = readDiagramFile(file(name, text));
    await expect(read).rejects.toBeInstanceOf(FileRefused);
    await expect(read).rejects.toThrow(message);
  });
});
