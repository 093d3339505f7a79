declare module 'moddle-xml' {
  export class Writer {
    constructor(options?: { format?: boolean; preamble?: boolean });
    toXML(element: unknown): string;
  }
}
