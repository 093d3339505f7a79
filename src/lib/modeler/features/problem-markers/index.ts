import ProblemMarkers from './ProblemMarkers.js';

export type { ElementProblem } from './ProblemMarkers.js';
export { ProblemMarkers };

export default {
  __init__: ['problemMarkers'],
  problemMarkers: ['type', ProblemMarkers]
};
