/**
 * The form-js viewer and its stylesheet, in one module the form component imports lazily, so
 * pages without a form-js task never load them (the library brings preact, FEEL and more).
 */
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';

export { Form } from '@bpmn-io/form-js-viewer';
