/**
 * XML text → moddle element tree, with every parse failure and warning turned into a Problem
 * that names an element id (or '' for the document) and says what is wrong in words.
 */
import { BpmnModdle, type ModdleWarning, type ModdleWarningElement } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import tesseraSchema from './tessera.json' with { type: 'json' };
import type { Problem } from './model.js';
import { isNode, type ModdleNode } from './moddleNode.js';
import { withoutDiagrams } from './withoutDiagrams.js';

export const BPMN_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export type ParseOutcome =
  | {
      readonly ok: true;
      readonly definitions: ModdleNode;
      readonly problems: readonly Problem[];
      /** `elementId property` of every dangling reference reported, so later passes do not report it again. */
      readonly dangling: ReadonlySet<string>;
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** References whose target the engine needs; a dangling one elsewhere (interfaces, item definitions) is harmless. */
const EXECUTION_REFERENCES = new Set([
  'sourceRef',
  'targetRef',
  'attachedToRef',
  'default',
  'messageRef',
  'signalRef',
  'errorRef',
  'escalationRef',
  'processRef',
  'incoming',
  'outgoing'
]);

// One registry for every compile: building it costs ~2 ms and a warm one parses twice as fast.
// It holds only the schemas, never a parsed document.
let sharedModdle: BpmnModdle | undefined;

/** The moddle instance with the BPMN, zeebe and tessera packages. */
export function bpmnModdle(): BpmnModdle {
  sharedModdle ??= new BpmnModdle({ zeebe: zeebeSchema, tessera: tesseraSchema });
  return sharedModdle;
}

/** Parses BPMN XML; never throws. */
export async function parseBpmn(xml: string): Promise<ParseOutcome> {
  if (xml.trim() === '') return failed('empty input: expected BPMN 2.0 XML');
  let result;
  try {
    result = await bpmnModdle().fromXML(withoutDiagrams(xml));
  } catch (error) {
    return failed(describeFatal(xml, error));
  }
  const root = result.rootElement;
  if (!isNode(root) || root.$type !== 'bpmn:Definitions') return failed(describeRoot(xml));
  const problems: Problem[] = [];
  const dangling = new Set<string>();
  for (const warning of result.warnings) {
    const problem = describeWarning(xml, warning);
    if (!problem) continue;
    problems.push(problem);
    if (warning.property !== undefined) dangling.add(`${problem.element} ${warning.property.replace(/^\w+:/, '')}`);
  }
  return { ok: true, definitions: root, problems, dangling };
}

function failed(message: string): ParseOutcome {
  return { ok: false, problems: [{ element: '', message }] };
}

function describeFatal(xml: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('failed to parse document as')) return describeRoot(xml);
  const { line, column, nested } = position(message);
  if (line === undefined) return `not well-formed XML: ${firstLine(message)}`;
  return `not well-formed XML at line ${line + 1}, column ${(column ?? 0) + 1}: ${nested ?? firstLine(message)}`;
}

/** Why the document element is not `bpmn:definitions`: another element, or the wrong namespace. */
function describeRoot(xml: string): string {
  const tag = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)([^>]*)>/.exec(stripProlog(xml));
  if (!tag) return 'not XML: no root element found';
  const name = tag[1] ?? '';
  const attributes = tag[2] ?? '';
  const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
  const local = name.slice(prefix === '' ? 0 : prefix.length + 1);
  const declaration = new RegExp(`xmlns${prefix === '' ? '' : `:${prefix}`}\\s*=\\s*["']([^"']*)["']`).exec(attributes);
  const namespace = declaration?.[1];
  if (local === 'definitions' && namespace !== BPMN_NAMESPACE) {
    return `root element <${name}> is in namespace ${namespace === undefined ? '(none)' : `"${namespace}"`}, expected BPMN 2.0 "${BPMN_NAMESPACE}"`;
  }
  return `root element is <${name}>, expected bpmn:definitions`;
}

function describeWarning(xml: string, warning: ModdleWarning): Problem | undefined {
  const message = warning.message;
  // The caller already decoded the text; the declared encoding no longer matters.
  if (message.startsWith('unsupported document encoding')) return undefined;
  const unresolved = /^unresolved reference <(.*)>/.exec(message);
  if (unresolved) {
    const property = (warning.property ?? '').replace(/^\w+:/, '');
    if (!EXECUTION_REFERENCES.has(property)) return undefined;
    return { element: nearestId(warning.element), message: `${property} refers to '${unresolved[1]}', which does not exist` };
  }
  const { line, column, nested } = position(message);
  const tag = /^unparsable content <([^>\s]+)>/.exec(message)?.[1];
  const where = line === undefined ? '' : ` (line ${line + 1})`;
  if (tag !== undefined && nested?.startsWith('unknown type')) {
    return { element: idNear(xml, tag, line, column), message: `unknown element <${tag}>${where}` };
  }
  return { element: tag === undefined ? '' : idNear(xml, tag, line, column), message: `${nested ?? firstLine(message)}${where}` };
}

/** The id of the element at a warning's position: its own id, else the closest id before it. */
function idNear(xml: string, tag: string, line: number | undefined, column: number | undefined): string {
  let offset = 0;
  if (line !== undefined) {
    for (let i = 0; i < line && offset !== -1; i++) offset = xml.indexOf('\n', offset) + 1;
    offset += column ?? 0;
  }
  let start = xml.indexOf(`<${tag}`, Math.max(0, offset));
  if (start === -1) start = xml.lastIndexOf(`<${tag}`, offset);
  if (start === -1) return '';
  const end = xml.indexOf('>', start);
  const own = /\sid\s*=\s*["']([^"']*)["']/.exec(xml.slice(start, end === -1 ? undefined : end));
  if (own?.[1]) return own[1];
  const before = [...xml.slice(Math.max(0, start - 4000), start).matchAll(/\sid\s*=\s*["']([^"']*)["']/g)];
  return before.at(-1)?.[1] ?? '';
}

/** The id of an element or, for id-less ones such as event definitions, of its closest ancestor. */
function nearestId(element: ModdleWarningElement | undefined): string {
  for (let at = element; at !== undefined; at = at.$parent) if (typeof at.id === 'string' && at.id !== '') return at.id;
  return '';
}

function position(message: string): { line?: number; column?: number; nested?: string } {
  const line = /line: (\d+)/.exec(message)?.[1];
  const column = /column: (\d+)/.exec(message)?.[1];
  const nested = /nested error: (.*)/.exec(message)?.[1];
  return {
    ...(line === undefined ? {} : { line: Number(line) }),
    ...(column === undefined ? {} : { column: Number(column) }),
    ...(nested === undefined ? {} : { nested })
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function stripProlog(xml: string): string {
  return xml.replace(/^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/, '');
}
