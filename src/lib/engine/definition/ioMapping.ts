/** `zeebe:ioMapping` input and output mappings of a flow node. */
import type { IoMapping, Mapping } from './model.js';
import { children, extension, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileExpr, isFeel, type Report } from './feel.js';

/** The node's mappings, or undefined when it has none. */
export function compileIoMapping(node: ModdleNode, report: Report): IoMapping | undefined {
  const io = extension(node, 'zeebe:IoMapping');
  if (!io) return undefined;
  const id = idOf(node);
  const mappings = (property: string, origin: string): Mapping[] =>
    children(io, property).map((parameter) => {
      const source = text(parameter, 'source') ?? '';
      const target = text(parameter, 'target') ?? '';
      if (target === '') report(id, `zeebe:${origin} needs a target`);
      // Zeebe reads a source without `=` as a static string value.
      const feel = isFeel(source) ? source : JSON.stringify(source);
      return { source: compileExpr(feel, `zeebe:${origin} ${target}`, id, report), target };
    });
  return { inputs: mappings('inputParameters', 'input'), outputs: mappings('outputParameters', 'output') };
}
