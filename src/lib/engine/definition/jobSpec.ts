/**
 * How a service-like task gets its work done: our `tessera:command` / `tessera:http`, or a
 * Camunda 8 `zeebe:taskDefinition` job type with headers. No implementation means no job.
 */
import type { CommandSpec, HttpSpec, JobSpec, Value } from './model.js';
import { child, children, extension, extensions, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileValue, type Report } from './feel.js';
import { parseDuration } from '../time/iso8601.js';

/** Zeebe retries a job three times unless told otherwise. */
const ZEEBE_DEFAULT_RETRIES = 3;

/** The job of a task or throw event, or undefined when it has none. */
export function compileJob(node: ModdleNode, report: Report): JobSpec | undefined {
  const id = idOf(node);
  const command = extension(node, 'tessera:Command');
  const http = extension(node, 'tessera:Http');
  const task = extension(node, 'zeebe:TaskDefinition');
  const found = [command, http, task].filter((spec) => spec !== undefined);
  if (found.length > 1) {
    report(id, `more than one implementation: use one of tessera:command, tessera:http or zeebe:taskDefinition`);
  }
  if (command) return { kind: 'command', command: compileCommand(id, command, report) };
  if (http) return { kind: 'http', http: compileHttp(id, http, report) };
  if (task) return compileTaskDefinition(id, node, task, report);
  return undefined;
}

function compileCommand(id: string, command: ModdleNode, report: Report): CommandSpec {
  const args = children(command, 'args').map((arg) => compileValue((text(arg, 'value') ?? '').trim(), 'tessera:arg', id, report));
  if (args.length === 0) report(id, `tessera:command needs at least one tessera:arg (the executable)`);
  const env = children(command, 'env').map((entry) => {
    const name = text(entry, 'name');
    if (name === undefined) report(id, `tessera:env needs a name`);
    return { name: name ?? '', value: compileValue(text(entry, 'value') ?? '', 'tessera:env', id, report) };
  });
  const retries = command['retries'];
  if (retries !== undefined && !(typeof retries === 'number' && Number.isInteger(retries) && retries >= 0)) {
    report(id, `tessera:command retries must be a whole number ≥ 0`);
  }
  const timeout = duration(id, command, 'timeout', report);
  const retryBackoff = duration(id, command, 'retryBackoff', report);
  const cwd = text(command, 'cwd');
  const resultVariable = text(command, 'resultVariable');
  const jsonOutput = command['jsonOutput'] === true;
  return {
    args,
    env,
    // Commands have effects (`git tag`): retrying is opt-in, unlike Zeebe's three retries.
    retries: typeof retries === 'number' && Number.isInteger(retries) && retries >= 0 ? retries : 0,
    ...(cwd === undefined ? {} : { cwd }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(retryBackoff === undefined ? {} : { retryBackoff }),
    ...(resultVariable === undefined ? {} : { resultVariable }),
    ...(jsonOutput ? { jsonOutput } : {})
  };
}

function compileHttp(id: string, http: ModdleNode, report: Report): HttpSpec {
  const method = (text(http, 'method') ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) report(id, `tessera:http method ${JSON.stringify(method)} is not an HTTP method`);
  const url = text(http, 'url');
  if (url === undefined) report(id, `tessera:http needs a url`);
  const headers = children(http, 'headers').map((header) => {
    const name = text(header, 'name');
    if (name === undefined) report(id, `tessera:header needs a name`);
    return { name: name ?? '', value: compileValue(text(header, 'value') ?? '', 'tessera:header', id, report) };
  });
  const bodyNode = child(http, 'body');
  const bodyText = bodyNode && text(bodyNode, 'value');
  const body: Value | undefined = bodyText === undefined ? undefined : compileValue(bodyText.trim(), 'tessera:body', id, report);
  const timeout = duration(id, http, 'timeout', report);
  const resultVariable = text(http, 'resultVariable');
  return {
    method,
    url: compileValue(url ?? '', 'url', id, report),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(resultVariable === undefined ? {} : { resultVariable })
  };
}

function compileTaskDefinition(id: string, node: ModdleNode, task: ModdleNode, report: Report): JobSpec {
  const type = text(task, 'type');
  if (type === undefined) report(id, `zeebe:taskDefinition needs a type`);
  const retriesText = text(task, 'retries');
  let retries = ZEEBE_DEFAULT_RETRIES;
  if (retriesText !== undefined) {
    if (/^\d+$/.test(retriesText.trim())) retries = Number(retriesText);
    else report(id, `zeebe:taskDefinition retries ${JSON.stringify(retriesText)} must be a whole number`);
  }
  const headers: Record<string, string> = {};
  for (const holder of extensions(node, 'zeebe:TaskHeaders')) {
    for (const header of children(holder, 'values')) {
      const key = text(header, 'key');
      if (key !== undefined) headers[key] = typeof header['value'] === 'string' ? header['value'] : '';
    }
  }
  return { kind: 'type', type: compileValue(type ?? '', 'zeebe:taskDefinition type', id, report), retries, headers };
}

/** An ISO 8601 duration attribute, reported when it is not one. */
function duration(id: string, node: ModdleNode, property: string, report: Report): string | undefined {
  const value = text(node, property);
  if (value !== undefined && parseDuration(value) === null) {
    report(id, `${property} ${JSON.stringify(value)} is not an ISO 8601 duration such as PT30S`);
  }
  return value?.trim();
}

