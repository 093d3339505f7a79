import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { check, decodeXml } from './check.js';

const VALID = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
  <bpmn:process id="Hello" isExecutable="true"><bpmn:startEvent id="S" /></bpmn:process>
</bpmn:definitions>`;
const INVALID = VALID.replace('<bpmn:startEvent id="S" />', '<bpmn:startEvent id="S" /><bpmn:complexGateway id="G" />');

let dir: string;

/** Runs `tessera check` and captures what it prints. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await check.run(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('cli/commands/check', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-check-'));
    writeFileSync(join(dir, 'valid.bpmn'), VALID);
    writeFileSync(join(dir, 'invalid.bpmn'), INVALID);
    writeFileSync(join(dir, 'garbage.bpmn'), '\u0000\u0001not xml at all');
  });
  afterEach(() => vi.restoreAllMocks());

  it('given a valid file then it prints ok with the process ids and exits 0', async () => {
    const { code, stdout } = await run([join(dir, 'valid.bpmn')]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(dir, 'valid.bpmn')}: ok (Hello)\n`);
  });

  it('given an invalid file then it lists each problem as element: message and exits 2', async () => {
    const { code, stdout } = await run([join(dir, 'valid.bpmn'), join(dir, 'invalid.bpmn')]);
    expect(code).toBe(2);
    expect(stdout).toContain(`${join(dir, 'invalid.bpmn')}: 1 problem\n  G: complex gateways are not supported\n`);
  });

  it('given --json then it prints the files report', async () => {
    const missing = join(dir, 'missing.bpmn');
    const { code, stdout } = await run(['--json', join(dir, 'valid.bpmn'), join(dir, 'garbage.bpmn'), missing]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as { files: { file: string; ok: boolean; processes: string[]; problems: { element: string; message: string }[] }[] };
    expect(report.files.map((file) => [file.file, file.ok])).toEqual([
      [join(dir, 'valid.bpmn'), true],
      [join(dir, 'garbage.bpmn'), false],
      [missing, false]
    ]);
    expect(report.files[0]).toEqual({ file: join(dir, 'valid.bpmn'), ok: true, processes: ['Hello'], problems: [] });
    expect(report.files[1]!.problems[0]!.message).toMatch(/not well-formed XML/);
    expect(report.files[2]!.problems).toEqual([{ element: '', message: expect.stringMatching(/^cannot read file: ENOENT/) }]);
  });

  it('given a directory then it is a problem, not a stack trace', async () => {
    const { code, stdout } = await run([dir]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/cannot read file: EISDIR/);
    expect(stdout).not.toMatch(/\n\s+at /);
  });

  it.each([[[]], [['--nope', 'x.bpmn']]])('given usage %j then it prints usage and exits 2', async (args) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain('tessera check <file.bpmn>');
  });

  it('given UTF-16 or Latin-1 bytes then they are decoded by their mark or declaration', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('<a/>').flatMap((char) => [char.charCodeAt(0), 0])]);
    expect(decodeXml(utf16)).toBe('<a/>');
    const latin1 = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), 0xe9, ...new TextEncoder().encode('</a>')]);
    expect(decodeXml(latin1)).toContain('<a>é</a>');
  });
});
