/**
 * BPMN XML minus its diagram interchange (`bpmndi:BPMNDiagram`): often half the document and
 * irrelevant to execution, so compile does not pay moddle to build it. Each removed block keeps
 * its line breaks, so line numbers in problems still match the file.
 */
const DI_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/DI';

/** The XML with every prefixed BPMNDiagram element blanked out; unchanged when none is complete. */
export function withoutDiagrams(xml: string): string {
  let out = xml;
  for (const match of xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) {
    if (match[2] === DI_NAMESPACE && match[1] !== undefined) out = blank(out, match[1]);
  }
  return out;
}

function blank(xml: string, prefix: string): string {
  const open = `<${prefix}:BPMNDiagram`;
  const close = `</${prefix}:BPMNDiagram>`;
  let out = '';
  let from = 0;
  for (;;) {
    const start = xml.indexOf(open, from);
    if (start === -1) break;
    const tagEnd = xml.indexOf('>', start);
    if (tagEnd === -1) break;
    const selfClosing = xml[tagEnd - 1] === '/';
    const closeAt = selfClosing ? tagEnd + 1 : xml.indexOf(close, tagEnd);
    if (closeAt === -1) break;
    const end = selfClosing ? closeAt : closeAt + close.length;
    out += xml.slice(from, start) + xml.slice(start, end).replace(/[^\n]+/g, '');
    from = end;
  }
  return out + xml.slice(from);
}
