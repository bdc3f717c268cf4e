import { describe, expect, it } from 'vitest';
import { kubectlAction } from '../../src/actions/kubectl.js';
import type { Cluster } from '../../src/cluster/types.js';
import { formatCommand } from '../../src/platform/command.js';
import { fillStatic, isKnownPlaceholder, placeholders, previewTemplate } from '../../src/engine/template.js';

const cluster = {
  name: 'expose-labs',
  context: 'kind-expose-labs',
  ports: { http: 8080, https: 8443, nodePort: 30000, workerA: 30081, workerB: 30082 },
  kubectlLine: (args: readonly string[]) =>
    formatCommand({ file: 'kubectl', args: ['--context', 'kind-expose-labs', ...args] }),
} as unknown as Cluster;
const ctx = {
  cluster,
  paths: { root: '/pkg', workspace: '/Users/me/Library/Application Support/expose-labs/ws', hostsFile: '/etc/hosts' },
};

describe('placeholders', () => {
  it('knows the static and dynamic names, and no others', () => {
    expect(placeholders('http://{{ service.jordy-lb-svc.externalIP }}:{{ports.http}}/')).toEqual([
      'service.jordy-lb-svc.externalIP',
      'ports.http',
    ]);
    for (const name of [
      'ports.workerB',
      'workspace',
      'context',
      'node.a.ip',
      'ingress.basic-jordy-ing.address',
      'hostClientAddress',
    ]) {
      expect(isKnownPlaceholder(name), name).toBe(true);
    }
    expect(isKnownPlaceholder('ports.nodeport')).toBe(false);
    expect(isKnownPlaceholder('service.x.port')).toBe(false);
  });

  it('in texts, a workspace path with a space is quoted so a copied command works', () => {
    expect(previewTemplate('kubectl apply -f {{workspace}}/svc.yaml # port {{ports.http}}', ctx)).toBe(
      "kubectl apply -f '/Users/me/Library/Application Support/expose-labs/ws'/svc.yaml # port 8080",
    );
    expect(previewTemplate('curl http://{{service.jordy-lb-svc.externalIP}}/', ctx)).toBe(
      'curl http://<service.jordy-lb-svc.externalIP>/',
    );
  });

  it('in command lines, values are filled first and the whole argument quoted once', () => {
    const spec = fillStatic(
      { args: ['create', 'secret', 'tls', 'niniz-secret', '--cert={{workspace}}/niniz.cert'] },
      ctx,
    );
    expect(kubectlAction.commands(spec, { ...ctx, lang: 'en' })).toEqual([
      "kubectl --context kind-expose-labs create secret tls niniz-secret '--cert=/Users/me/Library/Application Support/expose-labs/ws/niniz.cert'",
    ]);
  });
});
