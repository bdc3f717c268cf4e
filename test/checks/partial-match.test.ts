import { describe, expect, it } from 'vitest';
import { formatDifferences, partialDiff } from '../../src/checks/partial-match.js';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'jordy-node-port-svc', annotations: { 'kubernetes.io/ingress.class': 'contour' } },
  spec: {
    type: 'NodePort',
    ports: [
      { name: 'http', port: 80, targetPort: 8080, nodePort: 30000, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 9090, nodePort: 31555, protocol: 'TCP' },
    ],
    selector: { app: 'jordy' },
  },
};

describe('partial match', () => {
  it('only the fields given count', () => {
    expect(partialDiff({ spec: { type: 'NodePort', selector: { app: 'jordy' } } }, service)).toEqual([]);
  });

  it('array items are found in any order, each by a different item', () => {
    expect(partialDiff({ spec: { ports: [{ port: 9090 }, { port: 80, nodePort: 30000 }] } }, service)).toEqual([]);
    const twice = partialDiff(
      { spec: { ports: [{ protocol: 'TCP' }, { protocol: 'TCP' }, { protocol: 'TCP' }] } },
      service,
    );
    expect(twice).toEqual([{ path: 'spec.ports[]', expected: { protocol: 'TCP' }, actual: undefined }]);
  });

  it('numbers and numeric strings differ, as YAML typed them', () => {
    expect(partialDiff({ spec: { ports: [{ targetPort: '8080' }] } }, service)).toEqual([
      { path: 'spec.ports[0].targetPort', expected: '8080', actual: 8080 },
    ]);
  });

  it('explains an unmatched item with the closest actual one', () => {
    const diffs = partialDiff({ spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] } }, service);
    expect(diffs).toEqual([{ path: 'spec.ports[0].nodePort', expected: 30001, actual: 30000 }]);
  });

  it('reports wrong and absent fields with readable paths', () => {
    const diffs = partialDiff(
      {
        spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
        metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      },
      service,
    );
    expect(formatDifferences(diffs, 'en').split('\n')).toEqual([
      'spec.type: expected "LoadBalancer", found "NodePort"',
      'spec.externalTrafficPolicy: expected "Local", found (absent)',
      'metadata.annotations["kubernetes.io/ingress.class"]: expected "nginx", found "contour"',
    ]);
    expect(formatDifferences(diffs, 'ko')).toContain('spec.type: 기대 "LoadBalancer", 실제 "NodePort"');
  });

  it('null expects the field to be absent or null; a shape mismatch is one difference', () => {
    expect(partialDiff({ status: { loadBalancer: { ingress: null } } }, { status: { loadBalancer: {} } })).toEqual([]);
    expect(partialDiff({ spec: { ports: [{ port: 80 }] } }, { spec: { ports: 'x' } })).toEqual([
      { path: 'spec.ports', expected: [{ port: 80 }], actual: 'x' },
    ]);
  });
});
