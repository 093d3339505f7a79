/** The collaboration binding as a bpmn-js module: `modeler.get('collabBinding').bind(ydoc)`. */
import CollabBinding from './CollabBinding.js';

export default {
  __init__: ['collabBinding'],
  collabBinding: ['type', CollabBinding]
};
