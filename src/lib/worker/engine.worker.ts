/// <reference lib="webworker" />
/** The engine worker: only wires the host to IndexedDB, Web Locks, the tab bus and comlink. */
import * as Comlink from 'comlink';
import { SystemClock } from '../runtime/SystemClock.js';
import { DexieRunStore } from '../store/dexie/DexieRunStore.js';
import { DiagramStore } from '../store/dexie/DiagramStore.js';
import { BrowserJobs } from './BrowserJobs.js';
import { EngineHost } from './EngineHost.js';
import { webLocks } from './runLocks.js';
import { runSandboxedScript } from './sandboxScripts.js';
import { TabBus } from './TabBus.js';

const host = new EngineHost({
  store: new DexieRunStore(),
  diagrams: new DiagramStore(),
  locks: webLocks(),
  bus: new TabBus(),
  clock: new SystemClock(),
  jobs: new BrowserJobs(runSandboxedScript),
  exportFunction: (fn) => Comlink.proxy(fn)
});

Comlink.expose(host);
void host.boot();
