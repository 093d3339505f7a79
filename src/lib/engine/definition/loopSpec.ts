/** Multi-instance (with `zeebe:loopCharacteristics`) and standard loops on an activity. */
import type { LoopSpec } from './model.js';
import { bodyOf, child, extension, flag, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileExpr, type Report } from './feel.js';

/** The loop of an activity, or undefined when it does not loop. */
export function compileLoop(node: ModdleNode, report: Report): LoopSpec | undefined {
  const loop = child(node, 'loopCharacteristics');
  if (!loop) return undefined;
  const id = idOf(node);
  const expr = (source: string | undefined, origin: string) =>
    source === undefined ? {} : { [origin]: compileExpr(source, origin, id, report) };
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    const maximum = loop['loopMaximum'];
    return {
      kind: 'standardLoop',
      testBefore: flag(loop, 'testBefore', false),
      ...expr(bodyOf(loop, 'loopCondition'), 'loopCondition'),
      ...(typeof maximum === 'number' ? { loopMaximum: maximum } : {})
    };
  }
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    report(id, `loop characteristics ${loop.$type} are not supported`);
    return undefined;
  }
  const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
  const inputCollection = zeebe && text(zeebe, 'inputCollection');
  const loopCardinality = bodyOf(loop, 'loopCardinality');
  if (inputCollection === undefined && loopCardinality === undefined) {
    report(id, `multi-instance needs an inputCollection (zeebe:loopCharacteristics) or a loopCardinality`);
  }
  const inputElement = zeebe && text(zeebe, 'inputElement');
  const outputCollection = zeebe && text(zeebe, 'outputCollection');
  return {
    kind: 'multiInstance',
    sequential: flag(loop, 'isSequential', false),
    ...expr(inputCollection, 'inputCollection'),
    ...(inputElement === undefined ? {} : { inputElement }),
    ...(outputCollection === undefined ? {} : { outputCollection }),
    ...expr(zeebe && text(zeebe, 'outputElement'), 'outputElement'),
    ...expr(loopCardinality, 'loopCardinality'),
    ...expr(bodyOf(loop, 'completionCondition'), 'completionCondition')
  };
}
