// Type surfaces for the untyped bpmn-io add-ons the modeler uses (each is a didi module).
declare module 'diagram-js-minimap' {
  const module: import('didi').ModuleDeclaration;
  export default module;
}
declare module 'bpmn-js-bpmnlint' {
  const module: import('didi').ModuleDeclaration;
  export default module;
}
declare module 'bpmnlint/rules/*' {
  const factory: unknown;
  export default factory;
}
declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: unknown; resolver: unknown });
    lint(definitions: unknown): Promise<unknown>;
  }
}
