import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/startRelay.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
const fixture = (name: string) => join(repoRoot, 'tests/fixtures', name);

function tessera(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tessera', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tests/cliRun: run, complete, history, verify as separate processes', () => {
  it('runs a model to its end and prints the one JSON object', () => {
    const result = tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=50', '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toMatchObject({
      status: 'completed', variables: { amount: 50 }, visited: ['Start', 'Gw', 'EndSmall'], waiting: []
    });
  });

  it('waits with --store, then completes the task from another process', () => {
    // given a run that reaches the Review user task
    const store = join(dir, 'approval.db');
    const first = tessera('run', fixture('cli-approval.bpmn'), '--vars', '{"amount": 500}', '--store', store, '--json');
    expect(first.status).toBe(3);
    const waiting = json(first.stdout);
    expect(waiting).toMatchObject({ status: 'waiting', waiting: ['Review'] });
    const runId = String(waiting.runId);
    // when another process completes Review with approved = true
    const second = tessera('complete', runId, 'Review', '--vars', '{"approved": true}', '--store', store, '--json');
    // then the run ends at EndApproved, its history has every record, and the chain verifies
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    const done = json(second.stdout);
    expect(done).toMatchObject({ runId, status: 'completed', variables: { amount: 500, approved: true } });
    expect(done.visited).toEqual(['Start', 'Gw', 'Review', 'Decide', 'EndApproved']);
    const history = tessera('history', runId, '--store', store, '--json');
    expect(history.status).toBe(0);
    const lines = history.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; hash: string });
    expect(lines).toHaveLength(Number(done.records));
    expect(lines.at(-1)!.hash).toBe(done.head);
    expect(lines.map((r) => r.seq)).toEqual(lines.map((_, i) => i));
    const verify = tessera('verify', runId, '--store', store);
    expect(verify.status).toBe(0);
    expect(verify.stdout.trim()).toBe(`ok ${lines.length} records, head ${String(done.head)}`);
    const table = tessera('history', runId, '--store', store);
    expect(table.stdout).toMatch(/^seq\s+at\s+kind/);
  });

  it('answers a user task with --answer whenever it is reached', () => {
    const result = tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=101', '--answer', 'Review={"approved":false}', '--json');
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toMatchObject({ status: 'completed', visited: ['Start', 'Gw', 'Review', 'Decide', 'EndRejected'] });
  });

  it('names the first tampered seq of a chain file', () => {
    // given the JSON lines of a finished run with record 2 edited
    const store = join(dir, 'tamper.db');
    const run = json(tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=500', '--store', store, '--json').stdout);
    const lines = tessera('history', String(run.runId), '--store', store, '--json').stdout.trim().split('\n');
    const clean = join(dir, 'clean.jsonl');
    writeFileSync(clean, `${lines.join('\n')}\n`);
    const edited = JSON.parse(lines[2]!) as Record<string, unknown>;
    edited.owner = 'mallory';
    lines[2] = JSON.stringify(edited);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, `[${lines.join(',')}]`);
    // when each is verified, then the clean one passes and the tampered one fails at seq 2
    expect(tessera('verify', '--file', clean).status).toBe(0);
    const result = tessera('verify', '--file', tampered);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/seq 2\b/);
  });

  it('refuses to continue a stored run whose chain was edited or cut, naming the seq', () => {
    // given a waiting run whose record 2 is edited in the store, and another whose last record is deleted
    const store = join(dir, 'edited.db');
    const edited = String(json(tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=500', '--store', store, '--json').stdout).runId);
    const cut = json(tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=500', '--store', store, '--json').stdout);
    const db = new Database(store);
    db.prepare("UPDATE records SET record = replace(record, '\"owner\":\"cli\"', '\"owner\":\"mallory\"') WHERE run_id = ? AND seq = 2").run(edited);
    db.prepare('DELETE FROM records WHERE run_id = ? AND seq = ?').run(cut.runId, Number(cut.records) - 1);
    db.close();
    // when they are verified or continued, then each is refused at the first bad seq
    const verifyEdited = tessera('verify', edited, '--store', store);
    expect(verifyEdited.status).toBe(1);
    expect(verifyEdited.stdout).toMatch(/seq 2: hash does not match/);
    const verifyCut = tessera('verify', String(cut.runId), '--store', store);
    expect(verifyCut.status).toBe(1);
    expect(verifyCut.stdout).toContain(`seq ${Number(cut.records) - 1}: truncated chain`);
    const complete = tessera('complete', edited, 'Review', '--vars', '{"approved":true}', '--store', store, '--json');
    expect(complete.status).toBe(1);
    expect(json(complete.stdout)).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/chain invalid at seq 2/) } });
  });

  it('cancels a waiting run', () => {
    const store = join(dir, 'cancel.db');
    const run = json(tessera('run', fixture('cli-approval.bpmn'), '--var', 'amount=500', '--store', store, '--json').stdout);
    const result = tessera('cancel', String(run.runId), '--store', store, '--json');
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toMatchObject({ status: 'cancelled', waiting: [] });
    expect(tessera('verify', String(run.runId), '--store', store).status).toBe(0);
  });

  it('correlates messages by name and key and broadcasts signals to the runs waiting for them', () => {
    // given two runs waiting for the message "paid", keyed A1 and B2
    const store = join(dir, 'events.db');
    const a = json(tessera('run', fixture('cli-events.bpmn'), '--var', 'orderId=A1', '--store', store, '--json').stdout);
    const b = json(tessera('run', fixture('cli-events.bpmn'), '--var', 'orderId=B2', '--store', store, '--json').stdout);
    expect([a.waiting, b.waiting]).toEqual([['Paid'], ['Paid']]);
    // when "paid" for A1 goes to every run, then only A moves on, to the signal
    const paid = tessera('message', '--all', 'paid', '--key', 'A1', '--vars', '{"paid": 10}', '--store', store, '--json');
    expect(paid.status).toBe(0);
    expect(json(paid.stdout)).toMatchObject({ runs: [{ runId: a.runId, waiting: ['Go'], variables: { paid: 10 } }] });
    // when the same message is sent to A alone again, then it is refused: nothing waits for it
    const again = tessera('message', String(a.runId), 'paid', '--key', 'A1', '--store', store);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/waits for message "paid"/);
    // when the signal "go" is broadcast, then A completes and B still waits
    const go = tessera('signal', 'go', '--store', store, '--json');
    expect(go.status).toBe(0);
    expect(json(go.stdout)).toMatchObject({ runs: [{ runId: a.runId, status: 'completed' }] });
    expect(tessera('signal', 'go', '--store', store).status).toBe(1);
    const message = tessera('message', String(b.runId), 'paid', '--key', 'B2', '--store', store, '--json');
    expect(json(message.stdout)).toMatchObject({ status: 'waiting', waiting: ['Go'] });
  });

  it('refuses bad --vars with exit 2 and a clear message', () => {
    const result = tessera('run', fixture('cli-approval.bpmn'), '--vars', '{amount: 1}');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--vars is not valid JSON');
  });

  it('answers a malformed model with its problems, each naming its element', () => {
    const result = tessera('run', fixture('cli-malformed.bpmn'), '--json');
    expect(result.status).toBe(2);
    const out = json(result.stdout);
    expect(out.status).toBe('invalid');
    expect(out.problems).toContainEqual(expect.objectContaining({ element: 'f_dangling' }));
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('answers a file that is no BPMN at all with problems, not a stack trace', () => {
    const junk = join(dir, 'junk.bpmn');
    writeFileSync(junk, '\u0000not xml <<<');
    for (const file of [junk, join(dir, 'missing.bpmn')]) {
      const result = tessera('run', file, '--json');
      expect(result.status).toBe(2);
      expect(json(result.stdout).status).toBe('invalid');
      expect(result.stderr).toBe('');
    }
  });

  it('runs JavaScript script tasks only with --allow-scripts', () => {
    const vars = '{"items":[{"price":2},{"price":3.5}]}';
    const refused = tessera('run', fixture('cli-script.bpmn'), '--vars', vars, '--json');
    expect(refused.status).toBe(1);
    expect(json(refused.stdout)).toMatchObject({ status: 'failed', error: { element: 'Total', message: expect.stringContaining('--allow-scripts') } });
    const allowed = tessera('run', fixture('cli-script.bpmn'), '--vars', vars, '--allow-scripts', '--json');
    expect(allowed.status).toBe(0);
    expect(json(allowed.stdout)).toMatchObject({ status: 'completed', variables: { total: 5.5 } });
  });

  it('refuses service-task commands that are not allow-listed, runs those that are', () => {
    const refused = tessera('run', fixture('cli-commands.bpmn'), '--json');
    expect(refused.status).toBe(1);
    expect(json(refused.stdout)).toMatchObject({ status: 'failed', error: { element: 'Echo' } });
    const started = Date.now();
    const allowed = tessera('run', fixture('cli-commands.bpmn'), '--allow', 'node', '--json');
    expect(allowed.status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // the timer really waited
    expect(json(allowed.stdout)).toMatchObject({ status: 'completed', visited: ['Start', 'Echo', 'Wait', 'End'], variables: { echo: { exitCode: 0, stdout: 'hello' } } });
  });
});

describe('tests/cliRun: timer start events', () => {
  it('waits for a process whose only start is a timer, then runs it', () => {
    const store = join(dir, 'timer-start.db');
    const before = Date.now();
    const run = tessera('run', fixture('cli-timer-start.bpmn'), '--store', store, '--json');
    expect(run.status).toBe(0);
    const out = json(run.stdout);
    expect(out['visited']).toEqual(['Tick', 'Wait', 'E']);
    const history = tessera('history', String(out['runId']), '--store', store, '--json');
    const first = JSON.parse(history.stdout.split('\n')[0]!) as { at: number; data: { startEvent?: string } };
    expect(first.data.startEvent).toBe('Tick');
    expect(first.at - before).toBeGreaterThanOrEqual(1000);
    expect(run.stderr).toMatch(/waiting for timer start Tick/);
  });
});
