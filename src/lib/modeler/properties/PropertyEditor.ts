/**
 * Reads and writes an element's properties for the properties panel. Every write is one
 * `modeling.updateProperties` / `updateModdleProperties` command, so it lands on the command
 * stack (undo, autosave, and later the collaboration binding see it like any other edit).
 */
import type Modeler from 'bpmn-js/lib/Modeler';

/** A moddle element as the panel sees it: typed attributes are read by name. */
export interface Bo {
  $type: string;
  $parent?: Bo;
  id?: string;
  [key: string]: unknown;
}

export interface Shape {
  id: string;
  type: string;
  businessObject: Bo;
}

interface Modeling {
  updateProperties(element: Shape, properties: Record<string, unknown>): void;
  updateModdleProperties(element: Shape, moddleElement: Bo, properties: Record<string, unknown>): void;
}

interface Moddle {
  create(type: string, attrs?: Record<string, unknown>): Bo;
}

export class PropertyEditor {
  readonly #modeling: Modeling;
  readonly #moddle: Moddle;
  readonly #modeler: Modeler;

  constructor(modeler: Modeler) {
    this.#modeler = modeler;
    this.#modeling = modeler.get('modeling');
    this.#moddle = modeler.get('moddle');
  }

  create(type: string, attrs: Record<string, unknown> = {}): Bo {
    return this.#moddle.create(type, attrs);
  }

  update(element: Shape, properties: Record<string, unknown>): void {
    this.#modeling.updateProperties(element, properties);
  }

  updateModdle(element: Shape, target: Bo, properties: Record<string, unknown>): void {
    if (target === element.businessObject) this.#modeling.updateProperties(element, properties);
    else this.#modeling.updateModdleProperties(element, target, properties);
  }

  /** The first extension element of `type` on `bo` (the element or e.g. its loop characteristics). */
  extension(bo: Bo, type: string): Bo | undefined {
    return values(bo).find((value) => value.$type === type);
  }

  /** Sets attributes of the `type` extension on `bo`, creating it (and extensionElements) when missing. */
  setExtension(element: Shape, bo: Bo, type: string, properties: Record<string, unknown>): Bo {
    const existing = this.extension(bo, type);
    if (existing) {
      this.updateModdle(element, existing, properties);
      return existing;
    }
    const created = this.create(type, properties);
    const holder = bo['extensionElements'] as Bo | undefined;
    if (holder) {
      created.$parent = holder;
      this.updateModdle(element, holder, { values: [...values(bo), created] });
    } else {
      const extensionElements = this.create('bpmn:ExtensionElements', { values: [created] });
      created.$parent = extensionElements;
      extensionElements.$parent = bo;
      this.updateModdle(element, bo, { extensionElements });
    }
    return created;
  }

  removeExtension(element: Shape, bo: Bo, type: string): void {
    const holder = bo['extensionElements'] as Bo | undefined;
    if (!holder || !this.extension(bo, type)) return;
    this.updateModdle(element, holder, { values: values(bo).filter((value) => value.$type !== type) });
  }

  /** A `bpmn:FormalExpression` with this body, or undefined for empty text (removes it). */
  expression(body: string): Bo | undefined {
    return body.trim() === '' ? undefined : this.create('bpmn:FormalExpression', { body });
  }

  definitions(): Bo {
    return (this.#modeler as unknown as { getDefinitions(): Bo }).getDefinitions();
  }

  /** Root elements of a type (bpmn:Message, bpmn:Error, …) that event definitions refer to. */
  roots(type: string): Bo[] {
    return ((this.definitions()['rootElements'] as Bo[] | undefined) ?? []).filter((root) => root.$type === type);
  }

  /** Adds a new root element (message, signal, error, escalation) and returns it. */
  addRoot(element: Shape, type: string, attrs: Record<string, unknown>): Bo {
    const definitions = this.definitions();
    const root = this.create(type, { id: `${type.replace('bpmn:', '')}_${randomSuffix()}`, ...attrs });
    root.$parent = definitions;
    this.#modeling.updateModdleProperties(element, definitions, { rootElements: [...((definitions['rootElements'] as Bo[] | undefined) ?? []), root] });
    return root;
  }
}

export function values(bo: Bo): Bo[] {
  const holder = bo['extensionElements'] as Bo | undefined;
  return (holder?.['values'] as Bo[] | undefined) ?? [];
}

/** A string attribute, '' when unset. */
export function str(bo: Bo | undefined, key: string): string {
  const value = bo?.[key];
  return value === undefined || value === null ? '' : String(value);
}

/** The body of a FormalExpression-valued attribute ('' when unset). */
export function bodyOf(bo: Bo | undefined, key: string): string {
  const expression = bo?.[key] as Bo | undefined;
  return str(expression, 'body');
}

export function isAny(bo: Bo, types: string[]): boolean {
  const instance = bo as unknown as { $instanceOf?(type: string): boolean };
  return types.some((type) => (instance.$instanceOf ? instance.$instanceOf(type) : bo.$type === type));
}

function randomSuffix(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 10);
}

/** Returns `value`; reading `revision` makes a `$derived` re-run after every command. */
export function track<T>(revision: number, value: T): T {
  void revision;
  return value;
}
