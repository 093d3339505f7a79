/**
 * One open diagram in the editor: loads it into the modeler, autosaves every command-stack
 * change (debounced), validates (bpmnlint + the engine's compile) and keeps named versions.
 * Every edit goes through bpmn-js's command stack; this class only listens.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { DiagramLibrary } from '../store/dexie/DiagramLibrary.js';
import type { NamedVersion } from '../store/dexie/DiagramMetaStore.js';
import type { ElementProblem } from '../modeler/features/problem-markers/index.js';
import type ProblemMarkers from '../modeler/features/problem-markers/ProblemMarkers.js';
import { fitDiagram } from '../modeler/fitDiagram.js';
import { lintDefinitions } from '../modeler/lint/lintDefinitions.js';

export const AUTOSAVE_MS = 800;
const VALIDATE_MS = 300;

export type SaveStatus = 'loading' | 'saved' | 'pending' | 'saving' | 'error';

export interface Problem extends ElementProblem {
  source: 'engine' | 'lint';
  severity: 'error' | 'warning';
}

/** Compiles XML and reports its problems (the engine worker's `loadDiagram`). */
export type Compile = (xml: string) => Promise<{ ok: boolean; problems: ElementProblem[] }>;

export class EditorState {
  name = $state('');
  status = $state<SaveStatus>('loading');
  savedAt = $state<number | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  canUndo = $state(false);
  canRedo = $state(false);
  engineProblems = $state.raw<Problem[]>([]);
  lintProblems = $state.raw<Problem[]>([]);
  compiled = $state(false);
  versions = $state.raw<NamedVersion[]>([]);
  /** What bpmn-js could not draw in the last import (e.g. DI for a process no participant shows). */
  importWarnings = $state.raw<string[]>([]);

  readonly id: string;
  readonly #library: DiagramLibrary;
  readonly #compile: Compile;
  #modeler: Modeler | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #validateTimer: ReturnType<typeof setTimeout> | undefined;
  #saving: Promise<void> | undefined;
  #validation = 0;

  constructor(id: string, library: DiagramLibrary, compile: Compile) {
    this.id = id;
    this.#library = library;
    this.#compile = compile;
  }

  get problems(): Problem[] {
    return [...this.engineProblems, ...this.lintProblems];
  }

  /** Why the model cannot run (the engine's problems); empty when it can. */
  get runBlockers(): Problem[] {
    return this.engineProblems;
  }

  get modeler(): Modeler {
    if (!this.#modeler) throw new Error('editor not attached');
    return this.#modeler;
  }

  /** Binds the modeler and loads the diagram; resolves false when there is no such diagram. */
  async attach(modeler: Modeler): Promise<boolean> {
    this.#modeler = modeler;
    const current = () => this.#modeler === modeler;
    // An import clears the stack ('clear'): that is no edit to save.
    modeler.on('commandStack.changed', (event: { trigger?: string }) => current() && event.trigger !== 'clear' && this.#changed());
    const diagram = await this.#library.get(this.id);
    if (!diagram || !current()) return !!diagram;
    this.name = diagram.name;
    this.savedAt = diagram.updatedAt;
    const meta = await this.#library.namedVersions(this.id);
    this.versions = meta.versions;
    await this.#import(diagram.xml);
    if (!current()) return true;
    this.status = 'saved';
    // A diagram made from a template or a file has no thumbnail until its first save: render it now.
    if (meta.thumbnail === undefined) void modeler.saveSVG().then(({ svg }) => this.#library.meta.setThumbnail(this.id, svg));
    return true;
  }

  detach(): void {
    clearTimeout(this.#validateTimer);
    if (this.status === 'pending') void this.save();
    this.#modeler = undefined;
  }

  async rename(name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed === this.name) return;
    this.name = trimmed;
    await this.save();
  }

  /** Saves now (waits for a save in flight first). */
  async save(): Promise<void> {
    clearTimeout(this.#saveTimer);
    if (this.#saving) await this.#saving;
    this.#saving = this.#write();
    try {
      await this.#saving;
    } finally {
      this.#saving = undefined;
    }
  }

  async saveVersion(name: string): Promise<void> {
    await this.save();
    const { xml } = await this.modeler.saveXML({ format: true });
    const meta = await this.#library.addNamedVersion(this.id, { name: name.trim() || 'Unnamed version', xml: xml!, savedAt: Date.now() });
    this.versions = meta.versions;
  }

  /** Restores a named version: imported like a file and saved as the newest version. */
  async restore(version: NamedVersion): Promise<void> {
    await this.replace(version.xml);
  }

  /** Replaces the diagram's content with other XML (restore, file open), then saves it. */
  async replace(xml: string): Promise<void> {
    const { xml: previous } = await this.modeler.saveXML();
    try {
      await this.#import(xml);
    } catch (error) {
      await this.#import(previous!);
      throw error;
    }
    await this.save();
  }

  fit(): void {
    if (this.#modeler) fitDiagram(this.#modeler.get('canvas'));
  }

  async xml(): Promise<string> {
    return (await this.modeler.saveXML({ format: true })).xml!;
  }

  async svg(): Promise<string> {
    return (await this.modeler.saveSVG()).svg;
  }

  async #import(xml: string): Promise<void> {
    const modeler = this.modeler;
    const { warnings } = await modeler.importXML(xml);
    this.importWarnings = warnings.map((warning) => String((warning as { message?: unknown }).message ?? warning));
    this.fit();
    requestAnimationFrame(() => this.fit());
    this.#syncStack();
    await this.#validate();
  }

  #changed(): void {
    this.#syncStack();
    this.status = 'pending';
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => void this.save(), AUTOSAVE_MS);
    clearTimeout(this.#validateTimer);
    this.#validateTimer = setTimeout(() => void this.#validate(), VALIDATE_MS);
  }

  #syncStack(): void {
    const stack = this.modeler.get<{ canUndo(): boolean; canRedo(): boolean }>('commandStack');
    this.canUndo = stack.canUndo();
    this.canRedo = stack.canRedo();
  }

  async #write(): Promise<void> {
    if (!this.#modeler) return;
    this.status = 'saving';
    try {
      const { xml } = await this.#modeler.saveXML({ format: true });
      const { svg } = await this.#modeler.saveSVG();
      const saved = await this.#library.save(this.id, this.name, xml!, svg);
      this.savedAt = saved.updatedAt;
      this.error = undefined;
      if (this.status === 'saving') this.status = 'saved';
    } catch (error) {
      this.status = 'error';
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  async #validate(): Promise<void> {
    const modeler = this.#modeler;
    if (!modeler) return;
    const turn = ++this.#validation;
    const { xml } = await modeler.saveXML();
    let problems: ElementProblem[];
    try {
      problems = (await this.#compile(xml!)).problems;
    } catch (error) {
      problems = [{ element: '', message: `could not validate: ${error instanceof Error ? error.message : String(error)}` }];
    }
    let lint: Problem[] = [];
    try {
      lint = (await lintDefinitions((modeler as unknown as { getDefinitions(): unknown }).getDefinitions())).map((issue) => ({ ...issue, source: 'lint' }));
    } catch {
      // a lint rule failing is no reason to hide the engine's problems
    }
    if (turn !== this.#validation || this.#modeler !== modeler) return;
    this.engineProblems = problems.map((problem) => ({ ...problem, source: 'engine', severity: 'error' }));
    this.lintProblems = lint;
    this.compiled = true;
    modeler.get<ProblemMarkers>('problemMarkers').show([...this.engineProblems, ...lint]);
  }
}
