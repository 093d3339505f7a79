import { describe, expect, it } from 'vitest';
import { fileDrop } from './fileDrop.js';

function dragEvent(type: string, target: EventTarget, dataTransfer: { types: string[]; files: File[] }) {
  const event = new Event(type, { cancelable: true });
  Object.assign(event, { dataTransfer });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('fileDrop', () => {
  const setup = () => {
    const node = new EventTarget();
    const seen: { files: string[]; dragging: boolean[] } = { files: [], dragging: [] };
    const action = fileDrop(node, { onfile: (file) => seen.files.push(file.name), ondragging: (dragging) => seen.dragging.push(dragging) });
    return { node, seen, action };
  };
  const file = new File(['<x/>'], 'a.bpmn');

  it('takes dragged files (and lets the browser handle other drags)', () => {
    const { node, seen } = setup();
    const text = new Event('dragover', { cancelable: true });
    Object.assign(text, { dataTransfer: { types: ['text/plain'], files: [] } });
    node.dispatchEvent(text);
    expect(text.defaultPrevented).toBe(false);
    const over = dragEvent('dragover', node, { types: ['Files'], files: [] });
    node.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    const drop = dragEvent('drop', node, { types: ['Files'], files: [file, new File([''], 'b.bpmn')] });
    node.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    expect(seen).toEqual({ files: ['a.bpmn'], dragging: [true, false] });
  });

  it('stops highlighting only when the pointer leaves the region itself, not a child', () => {
    const { node, seen } = setup();
    node.dispatchEvent(dragEvent('dragleave', new EventTarget(), { types: ['Files'], files: [] }));
    expect(seen.dragging).toEqual([]);
    node.dispatchEvent(dragEvent('dragleave', node, { types: ['Files'], files: [] }));
    expect(seen.dragging).toEqual([false]);
  });

  it('ignores a drop without files and stops listening when destroyed', () => {
    const { node, seen, action } = setup();
    node.dispatchEvent(dragEvent('drop', node, { types: [], files: [] }));
    action.destroy();
    node.dispatchEvent(dragEvent('drop', node, { types: ['Files'], files: [file] }));
    expect(seen.files).toEqual([]);
  });
});
