/**
 * Trust boundary for imported files: a .bpmn/.xml file must be BPMN 2.0 XML that bpmn-moddle
 * reads without errors, a .json file a Tessera diagram export. Anything else is refused with a
 * message a person can act on, and nothing is imported.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { z } from 'zod';
import { moddleExtensions } from '../moddleExtensions.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DIAGRAM_EXPORT_FORMAT = 'tessera.diagram';

const namedVersion = z.strictObject({ name: z.string().max(200), xml: z.string(), savedAt: z.number() });
export const diagramExportSchema = z.strictObject({
  format: z.literal(DIAGRAM_EXPORT_FORMAT),
  formatVersion: z.literal(1),
  name: z.string().min(1).max(200),
  exportedAt: z.number(),
  updatedAt: z.number().optional(),
  xml: z.string().min(1),
  namedVersions: z.array(namedVersion).default([])
});

export type DiagramExport = z.infer<typeof diagramExportSchema>;

export interface ReadDiagram {
  name: string;
  xml: string;
  namedVersions: DiagramExport['namedVersions'];
}

export class FileRefused extends Error {}

/** Reads a picked or dropped file into a diagram, or throws FileRefused saying why. */
export async function readDiagramFile(file: File): Promise<ReadDiagram> {
  if (file.size > MAX_FILE_BYTES) throw new FileRefused(`${file.name} is larger than 10 MB.`);
  const text = await file.text();
  const base = file.name.replace(/\.(bpmn|xml|json)$/i, '') || 'Imported diagram';
  if (/\.json$/i.test(file.name) || text.trimStart().startsWith('{')) {
    const parsed = diagramExportSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new FileRefused(`${file.name} is not a Tessera diagram export (JSON with format "${DIAGRAM_EXPORT_FORMAT}").`);
    await checkBpmn(parsed.data.xml, file.name);
    return { name: parsed.data.name, xml: parsed.data.xml, namedVersions: parsed.data.namedVersions };
  }
  await checkBpmn(text, file.name);
  return { name: base, xml: text, namedVersions: [] };
}

/** Throws FileRefused unless the text is BPMN 2.0 XML with a process or collaboration. */
export async function checkBpmn(xml: string, label = 'The file'): Promise<void> {
  if (!/<([\w-]+:)?definitions[\s>]/.test(xml)) throw new FileRefused(`${label} is not BPMN 2.0 XML: no <definitions> element.`);
  let rootElement: { rootElements?: { $type: string }[] };
  let warnings: { message: string }[];
  try {
    const result = await new BpmnModdle(moddleExtensions).fromXML(xml);
    rootElement = result.rootElement as typeof rootElement;
    warnings = result.warnings;
  } catch (error) {
    throw new FileRefused(`${label} could not be read as BPMN: ${firstLine(error)}`);
  }
  const fatal = warnings.find((warning) => /unparsable|unclosed|missing|mismatch/i.test(warning.message));
  if (fatal) throw new FileRefused(`${label} could not be read as BPMN: ${firstLine(fatal)}`);
  if (!(rootElement.rootElements ?? []).some((root) => root.$type === 'bpmn:Process' || root.$type === 'bpmn:Collaboration')) {
    throw new FileRefused(`${label} holds no process or collaboration.`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? String((error as { message: unknown }).message) : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
