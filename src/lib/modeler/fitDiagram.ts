/**
 * Fits the whole diagram into view, leaving room for the palette on the left and never zooming
 * in past 100 %. (bpmn-js's `fit-viewport` puts the diagram under the palette.)
 */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface FitCanvas {
  resized(): void;
  viewbox(box?: Box): { inner: Box; outer: Box; scale: number };
}

const LEFT = 120;
const MARGIN = 40;

export function fitDiagram(canvas: FitCanvas): void {
  canvas.resized();
  const { inner, outer } = canvas.viewbox();
  if (outer.width === 0 || outer.height === 0) return;
  if (inner.width === 0 && inner.height === 0) {
    canvas.viewbox({ x: -LEFT, y: -MARGIN, width: outer.width, height: outer.height });
    return;
  }
  const scale = Math.min((outer.width - LEFT - MARGIN) / inner.width, (outer.height - 2 * MARGIN) / inner.height, 1);
  const width = outer.width / scale;
  const height = outer.height / scale;
  const spareX = width - inner.width - (LEFT + MARGIN) / scale;
  canvas.viewbox({
    x: inner.x - LEFT / scale - Math.max(0, spareX) / 2,
    y: inner.y - (height - inner.height) / 2,
    width,
    height
  });
}
