/**
 * BPMN 2.0 XML → the frozen executable ProcessModel. Collects every problem in the document
 * before throwing one CompileError, so a modeler sees all of them at once.
 */
import type { ProcessDefinition, ProcessModel, Problem } from './model.js';
import { children, idOf, type ModdleNode } from './moddleNode.js';
import { parseBpmn } from './parseBpmn.js';
import { compileProcess, isExecutableProcess } from './compileProcess.js';
import { CompileError } from './CompileError.js';
import { deepFreeze } from './deepFreeze.js';
import { sha256Hex } from '../chain/hash.js';

export interface CompileOptions {
  /** Hash of the XML text (lowercase hex SHA-256); defaults to the chain's. */
  readonly sha256?: (text: string) => string;
}

/** Compiles BPMN XML into an executable model, or throws CompileError listing every problem. */
export async function compile(xml: string, options: CompileOptions = {}): Promise<ProcessModel> {
  if (typeof xml !== 'string') throw new CompileError([{ element: '', message: 'input is not text' }]);
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) throw new CompileError(parsed.problems);
  const problems: Problem[] = [...parsed.problems];
  const report = (element: string, message: string): void => {
    problems.push({ element, message });
  };

  const executable = children(parsed.definitions, 'rootElements').filter(
    (root) => root.$type === 'bpmn:Process' && isExecutableProcess(root)
  );
  if (executable.length === 0) {
    report(idOf(parsed.definitions), 'no executable process (every process has isExecutable="false", or there is none)');
  }

  const processes: Record<string, ProcessDefinition> = {};
  for (const process of executable) {
    const id = idOf(process);
    if (id === '') {
      report('', 'a process has no id');
      continue;
    }
    processes[id] = compileProcess(process, report, parsed.dangling);
  }
  checkCalledElements(processes, parsed.definitions, report);

  if (problems.length > 0) throw new CompileError(problems);
  const mainProcess = Object.keys(processes)[0] ?? '';
  const hash = options.sha256 ?? sha256Hex;
  return deepFreeze({ xmlSha256: hash(xml), processes, mainProcess });
}

/** A call activity must call an executable process of this file. */
function checkCalledElements(
  processes: Readonly<Record<string, ProcessDefinition>>,
  definitions: ModdleNode,
  report: (element: string, message: string) => void
): void {
  const all = new Set(children(definitions, 'rootElements').filter((root) => root.$type === 'bpmn:Process').map(idOf));
  for (const process of Object.values(processes)) {
    for (const node of Object.values(process.nodes)) {
      const called = node.calledElement;
      if (node.type !== 'callActivity' || called === undefined || called === '' || called.startsWith('=')) continue;
      if (processes[called] !== undefined) continue;
      report(
        node.id,
        all.has(called)
          ? `calls process '${called}', which is not executable (isExecutable="false")`
          : `calls process '${called}', which is not a process in this file`
      );
    }
  }
}
