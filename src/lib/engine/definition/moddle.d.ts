/**
 * The slice of bpmn-moddle's API compile uses. The package ships element types under
 * `bpmn-moddle/types` but none for its entry point; elements are read through `ModdleNode`.
 */
declare module 'bpmn-moddle' {
  export interface ModdleWarningElement {
    $type?: string;
    id?: string;
    $parent?: ModdleWarningElement;
  }

  export interface ModdleWarning {
    message: string;
    element?: ModdleWarningElement;
    property?: string;
    value?: unknown;
    error?: Error;
  }

  export interface ParseResult {
    rootElement: unknown;
    warnings: ModdleWarning[];
    elementsById: Record<string, unknown>;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
