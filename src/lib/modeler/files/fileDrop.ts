/**
 * Dropping a diagram file on a region (the library page, the editor): a Svelte action shared by
 * both, so they accept, highlight and hand over files the same way.
 */

/** What the file pickers beside a drop region accept: BPMN/XML files and Tessera JSON exports. */
export const DIAGRAM_FILE_ACCEPT = '.bpmn,.xml,.json,application/xml,text/xml,application/json';

export interface FileDropOptions {
  /** The dropped file (the first one, when several are dropped). */
  onfile(file: File): void;
  /** True while files are dragged over the region, to show a drop hint. */
  ondragging(dragging: boolean): void;
}

interface DragLike extends Event {
  dataTransfer?: { types: readonly string[]; files: ArrayLike<File> } | null;
}

/** `use:fileDrop={{ onfile, ondragging }}` on the region that takes dropped files. */
export function fileDrop(node: HTMLElement | EventTarget, initial: FileDropOptions): { update(options: FileDropOptions): void; destroy(): void } {
  let options = initial;
  const over = (event: DragLike) => {
    // Only files: dragging text or a link over the page is not an import.
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    options.ondragging(true);
  };
  const leave = (event: DragLike) => {
    // dragleave also fires when the pointer moves onto a child; only leaving the region counts.
    if (event.target === node) options.ondragging(false);
  };
  const drop = (event: DragLike) => {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    options.ondragging(false);
    options.onfile(file);
  };
  node.addEventListener('dragover', over);
  node.addEventListener('dragleave', leave);
  node.addEventListener('drop', drop);
  return {
    update(next) {
      options = next;
    },
    destroy() {
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
    }
  };
}
