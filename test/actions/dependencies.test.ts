import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlArgsDependencies, manifestDependencies } from '../../src/actions/dependencies.js';
import { packageRoot } from '../../src/platform/paths.js';
import { addressDependencies, urlDependencies } from '../../src/checks/dependencies.js';

/** What actions and checks say they depend on, each with the wrong answer it must not give. */
const root = packageRoot();
const ctx = { hostsFile: '/etc/hosts', workspace: '/ws', noHosts: false, vantage: 'host' as const };

describe('what actions depend on', () => {
  it('a manifest: each object by kubectl resource type (kind.group), name and namespace, and its workspace copy', async () => {
    const deps = await manifestDependencies(root, 'fixtures/apps/jordy.yaml', '/ws/apps/jordy.yaml');
    expect(deps[0]).toEqual({ type: 'file', path: '/ws/apps/jordy.yaml' });
    // apps/v1 Deployment is `deployment.apps`, not the bare kind or `deployment.apps/v1`.
    expect(deps).toContainEqual({ type: 'object', resource: 'deployment.apps', name: 'jordy' });
  });

  it('an unreadable manifest is only its copy (no guessing)', async () => {
    expect(await manifestDependencies(root, 'fixtures/none.yaml', join('/ws', 'none.yaml'))).toEqual([
      { type: 'file', path: join('/ws', 'none.yaml') },
    ]);
  });

  it('a kubectl call that changes one object names it; a read names nothing', () => {
    expect(kubectlArgsDependencies(['delete', 'service', 'scappy-node-port-svc', '--ignore-not-found'])).toEqual([
      { type: 'object', resource: 'service', name: 'scappy-node-port-svc' },
    ]);
    expect(kubectlArgsDependencies(['patch', 'svc/jordy', '-n', 'apps', '-p', '{}'])).toEqual([
      { type: 'object', resource: 'svc', name: 'jordy', namespace: 'apps' },
    ]);
    expect(kubectlArgsDependencies(['get', 'service', 'jordy'])).toEqual([]);
    expect(kubectlArgsDependencies(['rollout', 'status', 'deployment/jordy'])).toEqual([]);
  });
});

describe('what request checks depend on', () => {
  it('a name is looked up in the hosts file: watched, and not cheap (it may go on to DNS)', () => {
    expect(urlDependencies({ url: 'http://basic.jordy.com:8080/' }, ctx)).toEqual([
      { type: 'file', path: '/etc/hosts' },
    ]);
  });

  it('a loopback address from the host is cheap and needs no hosts file', () => {
    expect(urlDependencies({ url: 'http://127.0.0.1:8080/' }, ctx)).toEqual([{ type: 'cheap' }]);
    expect(urlDependencies({ url: 'http://basic.jordy.com/', resolve: '127.0.0.1' }, ctx)).toEqual([{ type: 'cheap' }]);
    expect(addressDependencies({ address: '127.0.0.1:30000' }, { ...ctx, vantage: 'auto' })).toEqual([
      { type: 'cheap' },
    ]);
  });

  it('an address read from the cluster, or a container vantage point, is not cheap', () => {
    expect(urlDependencies({ url: 'http://<service.jordy-lb-svc.externalIP>/' }, ctx)).toEqual([]);
    expect(urlDependencies({ url: 'http://127.0.0.1:8080/' }, { ...ctx, vantage: 'network' })).toEqual([]);
    expect(addressDependencies({ address: '172.18.0.3:30000' }, { ...ctx, vantage: 'auto' })).toEqual([]);
  });

  it('under --no-hosts a name goes to 127.0.0.1: no hosts file, cheap', () => {
    expect(urlDependencies({ url: 'http://niniz.com/' }, { ...ctx, noHosts: true, vantage: 'auto' })).toEqual([
      { type: 'cheap' },
    ]);
  });
});
