/** One CLI subcommand: `tessera <name> …`, exported by name from src/cli/commands/<name>.ts. */
export interface Command {
  name: string;
  /** One line for the `tessera --help` listing. */
  summary: string;
  /** Full usage text printed by `tessera <name> --help` and on usage errors. */
  usage: string;
  /** Runs the command; resolves to the process exit code (0 ok, 1 failed, 2 usage, 3 waiting). */
  run(args: string[]): Promise<number>;
}

/** Exit codes shared by every command (DESIGN.md, CLI contract). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  waiting: 3
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
