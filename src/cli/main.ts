import type { Command } from './command.js';
import { commands } from './commands/index.js';

/** Dispatches `tessera <command> [args…]` to the command table; resolves to the exit code. */
export async function main(argv: readonly string[], table: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      process.stdout.write(overview(table));
      return 0;
    }
    const command = table.find((c) => c.name === topic);
    if (!command) return unknown(topic, table);
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const command = table.find((c) => c.name === name);
  if (!command) return unknown(name, table);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // A command that throws is a bug or an environment failure: one clear line, not a trace.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tessera ${command.name}: ${message}\n`);
    if (process.env.TESSERA_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/** The `tessera --help` text: one line per command, then its usage lines. */
export function overview(table: readonly Command[]): string {
  const width = Math.max(...table.map((c) => c.name.length));
  const lines = [
    'tessera: local-first BPMN modeler and token execution engine',
    '',
    'Usage: tessera <command> [options]    (tessera help <command> for details)',
    '',
    'Commands:',
    ...table.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Synopsis:',
    ...table.map((c) => `  ${c.usage.split('\n')[0] ?? ''}`),
    '',
    'Exit codes: 0 completed/valid, 1 failed, 2 invalid model or usage, 3 waiting.',
    ''
  ];
  return lines.join('\n');
}

function unknown(name: string, table: readonly Command[]): number {
  process.stderr.write(
    `tessera: unknown command "${name}". Commands: ${table.map((c) => c.name).join(', ')}.\n` +
      'Run "tessera --help" for usage.\n'
  );
  return 2;
}
