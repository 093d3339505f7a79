// The limit: bpmn-js's Modeler exactly as it ships, no Tessera code. Bundled by bench/modeler.bench.ts.
import Modeler from 'bpmn-js/lib/Modeler';

(window as unknown as { createPlainModeler: (container: HTMLElement) => Modeler }).createPlainModeler = (container) => new Modeler({ container });
