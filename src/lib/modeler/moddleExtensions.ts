/** The moddle extensions every Tessera editor loads: our `tessera:` and Camunda 8's `zeebe:`. */
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import tessera from '../engine/definition/tessera.json';

export const moddleExtensions = { tessera, zeebe } as const;
