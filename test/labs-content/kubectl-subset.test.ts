import { describe, expect, it } from 'vitest';
import { kubectlSubsetProblem } from '../../scripts/kubectl-subset.js';

describe('the kubectl subset labs may use', () => {
  it.each([
    [['apply', '-f', 'fixtures/nodeport/jordy-node-port-svc.yaml']],
    [['create', '-f', 'x.yaml']],
    [['delete', '-f', 'x.yaml', '--ignore-not-found']],
    [['delete', 'secret', 'niniz-secret', '--ignore-not-found']],
    [['get', 'node', '-o', 'wide']],
    [['get', 'pods', '-l', 'app=jordy-solo', '-o', 'wide']],
    [['get', 'svc', 'jordy-lb-svc', '-n', 'default']],
    [['create', 'secret', 'tls', 'niniz-secret', '--cert={{workspace}}/niniz.cert', '--key={{workspace}}/niniz.key']],
    [['rollout', 'status', 'deployment/jordy', '--timeout=180s']],
    [['patch', 'service', 'jordy-solo-svc', '--type=merge', '-p', '{"spec":{"externalTrafficPolicy":"Cluster"}}']],
  ])('accepts %j', (args) => {
    expect(kubectlSubsetProblem(args)).toBeUndefined();
  });

  it.each([
    [['scale', 'deployment/jordy', '--replicas=5'], /kubectl scale is not in the subset/],
    [['edit', 'ingress', 'basic-niniz-ing'], /kubectl edit is not in the subset/],
    [['get', 'configmaps'], /use `get KIND \[NAME\]`/],
    [['get', 'node', '-o', 'jsonpath={.items}'], /-o must be json, wide or yaml/],
    [['apply', '-f', 'x.yaml', '--server-side'], /--server-side not in the subset/],
    [['patch', 'deployment', 'jordy', '-p', '{}'], /patch service NAME/],
    [['patch', 'service', 'x', '--type=json', '-p', '[]'], /only --type=merge/],
    [['rollout', 'restart', 'deployment/jordy'], /rollout status deployment\/NAME/],
    [['get', 'pods', '-l'], /-l needs a value/],
  ])('refuses %j', (args, why) => {
    expect(kubectlSubsetProblem(args)).toMatch(why);
  });
});
