import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import { scratch } from './clients.js';
import { service } from './manifests.js';

/**
 * `kubectl get --watch` on the double, as pkg/cmd/get/get.go watch() does it in kubectl v0.36.1: a named object that
 * does not exist fails at once (NotFound); a list watch prints what exists, then a line per change; it ends when
 * interrupted, and with exit 0 when the server goes away.
 */
let double: ClusterDouble;
let files: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  double = await ClusterDouble.start({ ports: await freeHostPorts() });
  files = await scratch();
});
afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

function follow(args: string[]) {
  const lines: string[] = [];
  const controller = new AbortController();
  const done = double.watch(args, (line) => lines.push(line), { signal: controller.signal });
  return { lines, done, stop: () => controller.abort() };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('kubectl get --watch on the cluster double', () => {
  it('a named object that does not exist is NotFound at once, as kubectl says it', async () => {
    const result = await follow(['get', 'service', 'nothing-here', '--watch', '-o', 'name']).done;
    expect(result.failed).toBe(true);
    expect(result.stderr).toBe('Error from server (NotFound): services "nothing-here" not found\n');
  });

  it('a list watch narrowed by metadata.name waits for the object and prints every change to it', async () => {
    const w = follow([
      'get',
      'service',
      '-n',
      'default',
      '--field-selector',
      'metadata.name=watched',
      '--watch',
      '-o',
      'name',
    ]);
    await settle();
    expect(w.lines).toEqual([]);
    const other = await files.write('other.yaml', service('other', 'other', 'ClusterIP'));
    await double.kubectl(['apply', '-f', other]);
    await settle();
    // Another object's change is not this watch's.
    expect(w.lines).toEqual([]);
    const file = await files.write('watched.yaml', service('watched', 'watched', 'ClusterIP'));
    expect((await double.kubectl(['apply', '-f', file])).failed).toBe(false);
    await settle();
    expect(w.lines[0]).toBe('service/watched');
    const seen = w.lines.length;
    await double.kubectl(['delete', '-f', file]);
    await settle();
    expect(w.lines.length).toBeGreaterThan(seen);
    w.stop();
    await expect(w.done).rejects.toBeInstanceOf(InterruptedError);
    expect(double.openWatches()).toBe(0);
  });

  it('a watch on what exists prints it first', async () => {
    const w = follow(['get', 'svc', 'other', '-w', '-o', 'name']);
    await settle();
    expect(w.lines).toEqual(['service/other']);
    w.stop();
    await expect(w.done).rejects.toBeInstanceOf(InterruptedError);
  });

  it('only through watch: a plain kubectl call with --watch is refused (it would never end)', async () => {
    const result = await double.kubectl(['get', 'svc', '--watch', '-o', 'name']);
    expect(result.stderr).toMatch(/^the cluster double does not implement: kubectl get svc --watch/);
  });

  it('field selectors other than metadata.name and metadata.namespace are not modelled, and say so', async () => {
    const result = await double.kubectl(['get', 'svc', '--field-selector', 'spec.type=NodePort']);
    expect(result.stderr).toMatch(/does not implement.*field selector spec.type=NodePort/);
  });

  it('ends with exit 0 when the server goes away', async () => {
    const other = await ClusterDouble.start({ ports: await freeHostPorts() });
    const lines: string[] = [];
    const done = other.watch(['get', 'svc', '--watch', '-o', 'name'], (l) => lines.push(l), {
      signal: new AbortController().signal,
    });
    await settle();
    expect(lines).toContain('service/kubernetes');
    await other.stop();
    await expect(done).resolves.toMatchObject({ exitCode: 0, failed: false });
  });
});
