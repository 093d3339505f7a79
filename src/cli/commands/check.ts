import { readFile } from 'node:fs/promises';
import { compile } from '../../lib/engine/definition/compile.js';
import { CompileError, formatProblem } from '../../lib/engine/definition/CompileError.js';
import type { Problem } from '../../lib/engine/definition/model.js';
import { ExitCode, type Command } from '../command.js';

const usage = `tessera check <file.bpmn>… [--json]

Compiles each BPMN file without running it and lists every problem, each naming its element.
  --json   print { "files": [{ "file", "ok", "processes", "problems" }] }
Exit code 0 when every file is valid, 2 when any is not (or on a usage error).`;

/** What `check` found in one file. */
export interface CheckedFile {
  file: string;
  ok: boolean;
  processes: string[];
  problems: Problem[];
}

/** Reads and compiles one file; every failure becomes a problem, never an exception. */
export async function checkFile(file: string): Promise<CheckedFile> {
  let xml: string;
  try {
    xml = decodeXml(await readFile(file));
  } catch (error) {
    return invalid(file, [{ element: '', message: `cannot read file: ${messageOf(error)}` }]);
  }
  try {
    const model = await compile(xml);
    return { file, ok: true, processes: Object.keys(model.processes), problems: [] };
  } catch (error) {
    if (error instanceof CompileError) return invalid(file, [...error.problems]);
    return invalid(file, [{ element: '', message: `internal error while compiling: ${messageOf(error)}` }]);
  }
}

/** Decodes file bytes: a UTF-16 byte-order mark or a Latin-1 declaration wins over UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase();
  const latin = declared === 'iso-8859-1' || declared === 'latin1' || declared === 'windows-1252';
  return new TextDecoder(latin ? 'latin1' : 'utf-8').decode(bytes);
}

export const check: Command = {
  name: 'check',
  summary: 'compile BPMN files and list their problems',
  usage,
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    const json = args.includes('--json');
    const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--json');
    const files = args.filter((arg) => !arg.startsWith('-'));
    if (unknown.length > 0 || files.length === 0) {
      const why = unknown.length > 0 ? `unknown option ${unknown.join(', ')}` : 'no file given';
      process.stderr.write(`tessera check: ${why}\n\n${usage}\n`);
      return ExitCode.usage;
    }
    const results: CheckedFile[] = [];
    for (const file of files) results.push(await checkFile(file));
    process.stdout.write(json ? `${JSON.stringify({ files: results }, null, 2)}\n` : results.map(describe).join(''));
    return results.every((result) => result.ok) ? ExitCode.ok : ExitCode.usage;
  }
};

function describe(result: CheckedFile): string {
  if (result.ok) return `${result.file}: ok (${result.processes.join(', ')})\n`;
  const count = result.problems.length;
  const lines = result.problems.map((problem) => `  ${formatProblem(problem)}\n`).join('');
  return `${result.file}: ${count} problem${count === 1 ? '' : 's'}\n${lines}`;
}

function invalid(file: string, problems: Problem[]): CheckedFile {
  return { file, ok: false, processes: [], problems };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
