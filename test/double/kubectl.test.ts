import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import { scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

let double: ClusterDouble;
let files: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  double = await ClusterDouble.start({ ports: await freeHostPorts(), name: 'expose-labs' });
  files = await scratch();
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

describe('the kubectl subset of the cluster double', () => {
  it('names its context on every line a learner would type', () => {
    expect(double.kubectlLine(['get', 'svc', '-o', 'wide'])).toBe('kubectl --context kind-expose-labs get svc -o wide');
    expect(double.kubectlLine(['patch', 'svc', 'x', '-p', '{"a":1}'])).toBe(
      `kubectl --context kind-expose-labs patch svc x -p '{"a":1}'`,
    );
  });

  it('fails loudly on a call outside the subset', async () => {
    for (const args of [
      ['exec', 'jordy', '--', 'ls'],
      ['get', 'configmaps'],
      ['get', 'svc', '-o', 'jsonpath={.items}'],
      ['get', 'svc', '--watch'],
    ]) {
      const result = await double.kubectl(args);
      expect(result.failed).toBe(true);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^the cluster double does not implement: kubectl /);
    }
  });

  it('lists three Ready kind nodes with their roles and labels', async () => {
    const wide = (await double.kubectl(['get', 'nodes', '-o', 'wide'])).stdout.trimEnd().split('\n');
    expect(wide[0]).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
    );
    expect(wide.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'expose-labs-control-plane Ready control-plane',
      'expose-labs-worker Ready <none>',
      'expose-labs-worker2 Ready <none>',
    ]);
    const cp = JSON.parse(
      (await double.kubectl(['get', 'nodes', '-l', 'node-role.kubernetes.io/control-plane', '-o', 'json'])).stdout,
    );
    expect(cp.kind).toBe('List');
    expect(cp.items.map((n: any) => n.metadata.name)).toEqual(['expose-labs-control-plane']);
    const b = JSON.parse((await double.kubectl(['get', 'node', 'expose-labs-worker2', '-o', 'json'])).stdout);
    expect(b.metadata.labels['expose-labs/node']).toBe('b');
    expect(b.status.addresses[0]).toEqual({ address: expect.stringMatching(/^127\.\d+\.\d+\.4$/), type: 'InternalIP' });
  });

  it('says NotFound in kubectl’s words', async () => {
    expect((await double.kubectl(['get', 'svc', 'x'])).stderr).toBe(
      'Error from server (NotFound): services "x" not found\n',
    );
    expect((await double.kubectl(['get', 'deploy', 'x'])).stderr).toBe(
      'Error from server (NotFound): deployments.apps "x" not found\n',
    );
    expect((await double.kubectl(['delete', 'ing', 'x'])).stderr).toBe(
      'Error from server (NotFound): ingresses.networking.k8s.io "x" not found\n',
    );
    const quiet = await double.kubectl(['delete', 'svc', 'x', '--ignore-not-found']);
    expect(quiet).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    const empty = await double.kubectl(['get', 'pods']);
    expect(empty).toMatchObject({ exitCode: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('applies, then reports unchanged and configured', async () => {
    const file = await files.write(
      'app.yaml',
      whoamiDeployment('jordy', 2) + '---\n' + service('jordy-svc', 'jordy', 'NodePort'),
    );
    expect((await double.kubectl(['apply', '-f', file])).stdout).toBe(
      'deployment.apps/jordy created\nservice/jordy-svc created\n',
    );
    const first = JSON.parse((await double.kubectl(['get', 'svc', 'jordy-svc', '-o', 'json'])).stdout);
    expect((await double.kubectl(['apply', '-f', file])).stdout).toBe(
      'deployment.apps/jordy unchanged\nservice/jordy-svc unchanged\n',
    );
    await files.write('app.yaml', whoamiDeployment('jordy', 3) + '---\n' + service('jordy-svc', 'jordy', 'NodePort'));
    expect((await double.kubectl(['apply', '-f', file])).stdout).toBe(
      'deployment.apps/jordy configured\nservice/jordy-svc unchanged\n',
    );
    const again = JSON.parse((await double.kubectl(['get', 'svc', 'jordy-svc', '-o', 'json'])).stdout);
    expect(again.spec.ports[0].nodePort).toBe(first.spec.ports[0].nodePort);
    expect(again.spec.clusterIP).toBe(first.spec.clusterIP);
    const rollout = await double.kubectl(['rollout', 'status', 'deployment/jordy', '--timeout=10s']);
    expect(rollout.stdout).toMatch(/deployment "jordy" successfully rolled out\n$/);
    expect(
      JSON.parse((await double.kubectl(['get', 'pods', '-l', 'app=jordy', '-o', 'json'])).stdout).items,
    ).toHaveLength(3);
  });

  it('refuses nodePorts outside the range or already taken, with the API server’s text', async () => {
    const low = await files.write('low.yaml', service('low', 'jordy', 'NodePort', { nodePort: 80 }));
    expect((await double.kubectl(['apply', '-f', low])).stderr).toBe(
      'The Service "low" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n',
    );
    await double.kubectl([
      'apply',
      '-f',
      await files.write('a.yaml', service('first', 'jordy', 'NodePort', { nodePort: 30500 })),
    ]);
    const clash = await double.kubectl([
      'apply',
      '-f',
      await files.write('b.yaml', service('second', 'jordy', 'NodePort', { nodePort: 30500 })),
    ]);
    expect(clash.exitCode).toBe(1);
    expect(clash.stderr).toBe(
      'The Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 30500: provided port is already allocated\n',
    );
  });

  it('keeps fields it does not model', async () => {
    const file = await files.write(
      'extra.yaml',
      service('extra', 'jordy', 'ClusterIP').replace('spec:\n', 'spec:\n  publishNotReadyAddresses: true\n'),
    );
    await double.kubectl(['apply', '-f', file]);
    const svc = JSON.parse((await double.kubectl(['get', 'svc', 'extra', '-o', 'json'])).stdout);
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
  });

  it('creates, deletes and refuses duplicates like kubectl create/delete -f', async () => {
    const file = await files.write('c.yaml', service('made', 'jordy', 'ClusterIP'));
    expect((await double.kubectl(['create', '-f', file])).stdout).toBe('service/made created\n');
    expect((await double.kubectl(['create', '-f', file])).stderr).toBe(
      `Error from server (AlreadyExists): error when creating "${file}": services "made" already exists\n`,
    );
    expect((await double.kubectl(['delete', '-f', file])).stdout).toBe(
      'service "made" deleted from default namespace\n',
    );
    expect((await double.kubectl(['delete', '-f', file])).stderr).toBe(
      `Error from server (NotFound): error when deleting "${file}": services "made" not found\n`,
    );
    expect((await double.kubectl(['delete', '-f', file, '--ignore-not-found'])).exitCode).toBe(0);
  });

  it('fails loudly on kinds it does not model, and says "no matches" for kinds no server has', async () => {
    const cm = await files.write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\n');
    expect((await double.kubectl(['apply', '-f', cm])).stderr).toMatch(
      /^the cluster double does not implement: kubectl apply -f /,
    );
    const typo = await files.write('typo.yaml', 'apiVersion: v1\nkind: Servise\nmetadata:\n  name: t\n');
    expect((await double.kubectl(['apply', '-f', typo])).stderr).toContain(
      'no matches for kind "Servise" in version "v1"',
    );
  });

  it('stores TLS secrets as the API does, and checks the key pair first', async () => {
    const secret = await files.write(
      's.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: manual\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: abc\n',
    );
    expect((await double.kubectl(['apply', '-f', secret])).stderr).toBe(
      'The Secret "manual" is invalid: data[tls.key]: Required value\n',
    );
    const missing = await double.kubectl([
      'create',
      'secret',
      'tls',
      's',
      '--cert=/nonexistent.crt',
      '--key=/nonexistent.key',
    ]);
    expect(missing.stderr).toBe('error: open /nonexistent.crt: no such file or directory\n');
  });

  it('times out a rollout that cannot finish', async () => {
    const stuck = whoamiDeployment('stuck', 1, { nodeSelector: { 'expose-labs/node': 'nowhere' } });
    await double.kubectl(['apply', '-f', await files.write('stuck.yaml', stuck)]);
    const result = await double.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=200ms']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: timed out waiting for the condition\n');
    const pods = (await double.kubectl(['get', 'pods', '-l', 'app=stuck'])).stdout;
    expect(pods).toMatch(/^stuck-\S+\s+0\/1\s+Pending\s/m);
    const limited = await double.kubectl(['rollout', 'status', 'deployment/stuck'], { timeoutMs: 100 });
    expect(limited).toMatchObject({ failed: true, timedOut: true });
    const cancel = new AbortController();
    const waiting = double.kubectl(['rollout', 'status', 'deployment/stuck'], { signal: cancel.signal });
    cancel.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
  });

  it('keeps a pod unready while its readiness probe looks at a port the container does not listen on', async () => {
    const probing = whoamiDeployment('probing', 1).replace(
      '          ports:\n',
      '          readinessProbe:\n            httpGet:\n              path: /health\n              port: 9999\n          ports:\n',
    );
    await double.kubectl(['apply', '-f', await files.write('probing.yaml', probing)]);
    const result = await double.kubectl(['rollout', 'status', 'deployment/probing', '--timeout=500ms']);
    expect(result.stderr).toBe('error: timed out waiting for the condition\n');
    expect((await double.kubectl(['get', 'pods', '-l', 'app=probing'])).stdout).toMatch(
      /^probing-\S+\s+0\/1\s+Running\s/m,
    );
  });
});
