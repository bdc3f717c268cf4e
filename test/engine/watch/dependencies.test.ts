import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabContext } from '../../../src/contract/context.js';
import type { Lab, Step } from '../../../src/engine/lab.js';
import { loadLabs } from '../../../src/engine/lab-loader.js';
import { stepDependencies } from '../../../src/engine/watch/dependencies.js';
import { clusterWatchArgs, MAX_CLUSTER_WATCHES } from '../../../src/engine/watch/watchers.js';
import { packageRoot } from '../../../src/platform/paths.js';
import { fakeCluster, noProcesses } from '../../checks/context.js';

/**
 * What a step is watched for comes from its own data (checks and actions), never from its lab's name: the labs'
 * steps are the examples, and each expectation names the wrong watch it rules out.
 */
const root = packageRoot();
const labs = await loadLabs(root);

function find(predicate: (step: Step) => boolean): Step {
  const step = labs.flatMap((l: Lab) => l.steps).find(predicate);
  if (!step) throw new Error('no such step in the labs');
  return step;
}

function context(options: { noHosts?: boolean; hostReachesNodeNetwork?: boolean } = {}): LabContext {
  return {
    lang: 'en',
    cluster: fakeCluster({ reachability: { hostReachesNodeNetwork: options.hostReachesNodeNetwork ?? true } }),
    exec: noProcesses,
    paths: { root, workspace: '/ws', hostsFile: '/etc/hosts' },
    noHosts: options.noHosts ?? false,
    dryRun: false,
    signal: new AbortController().signal,
    log: { info() {}, command() {}, output() {}, warn() {}, verbose() {} },
  };
}

const hostsStep = find((s) => s.actions.some((a) => a.name === 'hosts-add'));
const ingressStep = find(
  (s) => s.actions.some((a) => a.name === 'apply') && s.checks.some((c) => /ingress\./.test(JSON.stringify(c.spec))),
);

describe('stepDependencies', () => {
  it('a step whose check asks for a name watches the hosts file, and is not cheap (a name may go on to DNS)', async () => {
    const deps = await stepDependencies(hostsStep, context());
    expect(deps.watched).toContainEqual({ type: 'file', path: '/etc/hosts' });
    expect(deps.watched.filter((d) => d.type === 'object')).toEqual([]);
    expect(deps.cheap.every((c) => !c)).toBe(true);
  });

  it('under --no-hosts the hosts file is not watched, and a request to 127.0.0.1 is cheap', async () => {
    const deps = await stepDependencies(hostsStep, context({ noHosts: true }));
    expect(deps.watched).not.toContainEqual({ type: 'file', path: '/etc/hosts' });
    expect(deps.cheap.every((c) => c)).toBe(true);
  });

  it('a manifest step watches the objects its manifests make, its checks read and its placeholders name', async () => {
    const deps = await stepDependencies(ingressStep, context());
    const objects = deps.watched.filter((d) => d.type === 'object');
    // From the k8s check (kubectl's word) and from the manifest (its kind and group).
    expect(objects).toContainEqual({ type: 'object', resource: 'ingress', name: 'basic-jordy-ing' });
    expect(objects).toContainEqual({
      type: 'object',
      resource: 'ingress.networking.k8s.io',
      name: 'basic-jordy-ing',
    });
    // The manifest's copy in the workspace: a learner edits it before applying.
    expect(deps.watched).toContainEqual({ type: 'file', path: join('/ws', 'ingress', 'basic-jordy-ing.yaml') });
    // Requests to 127.0.0.1 from the host are cheap; the one whose address is read from the cluster is not.
    const cheapTitles = ingressStep.checks.filter((_, i) => deps.cheap[i]).map((c) => JSON.stringify(c.spec));
    expect(cheapTitles.length).toBeGreaterThan(0);
    for (const spec of cheapTitles) expect(spec).toContain('127.0.0.1');
    expect(ingressStep.checks.some((c, i) => c.name === 'k8s' && deps.cheap[i])).toBe(false);
  });

  it('a check from the kind network (a container per attempt) is never cheap', async () => {
    const deps = await stepDependencies(ingressStep, context({ hostReachesNodeNetwork: false }));
    ingressStep.checks.forEach((check, i) => {
      if (check.from !== 'host') expect(deps.cheap[i], JSON.stringify(check.spec)).toBe(false);
    });
  });
});

describe('clusterWatchArgs', () => {
  it('one kubectl watch per type and namespace, narrowed to the one object by metadata.name', () => {
    expect(
      clusterWatchArgs([
        { type: 'object', resource: 'ingress', name: 'basic-jordy-ing' },
        { type: 'object', resource: 'ingress.networking.k8s.io', name: 'basic-jordy-ing' },
      ]),
    ).toEqual([
      ['get', 'ingress', '-n', 'default', '--field-selector', 'metadata.name=basic-jordy-ing', '--watch', '-o', 'name'],
    ]);
  });

  it('several names of one type: the whole type in that namespace (kubectl takes one field selector)', () => {
    expect(
      clusterWatchArgs([
        { type: 'object', resource: 'service', name: 'a' },
        { type: 'object', resource: 'service', name: 'b' },
        { type: 'object', resource: 'service', name: 'c', namespace: 'projectcontour' },
      ]),
    ).toEqual([
      ['get', 'service', '-n', 'default', '--watch', '-o', 'name'],
      ['get', 'service', '-n', 'projectcontour', '--field-selector', 'metadata.name=c', '--watch', '-o', 'name'],
    ]);
  });

  it(`never more than ${MAX_CLUSTER_WATCHES} processes for one step`, () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((ns) => ({
      type: 'object' as const,
      resource: 'svc',
      namespace: ns,
    }));
    expect(clusterWatchArgs(many)).toHaveLength(MAX_CLUSTER_WATCHES);
  });
});
