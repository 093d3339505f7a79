import minimapModule from 'diagram-js-minimap';
import MinimapAfterPaint from './MinimapAfterPaint.js';

export default {
  __depends__: [minimapModule],
  __init__: ['minimapAfterPaint'],
  minimapAfterPaint: ['type', MinimapAfterPaint]
};
