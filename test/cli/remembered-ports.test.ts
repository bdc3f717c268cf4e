import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { readClusterPorts, writeClusterPorts } from '../../src/cluster/remembered-ports.js';
import { redactSecrets } from '../../src/platform/redact.js';
import { captureIo } from '../support/capture-io.js';

async function verifyDryRun(home: string, ...flags: string[]) {
  const t = captureIo({ EXPOSE_LABS_HOME: home });
  const code = await main(['verify', 'nodeport/create-service', '--dry-run', ...flags], { io: t.io });
  return { code, stdout: t.stdout() };
}

describe('host ports the cluster was made with', () => {
  it('are used by later commands unless a flag says otherwise; the global flags work before the command too', async () => {
    const home = await mkdtemp(join(tmpdir(), 'expose-labs-ports-'));
    expect((await verifyDryRun(home)).stdout).toContain('http://127.0.0.1:30000/');
    await writeClusterPorts(home, 'expose-labs', {
      http: 8080,
      https: 8443,
      nodePort: 28000,
      workerA: 28081,
      workerB: 28082,
    });
    expect((await verifyDryRun(home)).stdout).toContain('http://127.0.0.1:28000/');
    expect((await verifyDryRun(home, '--nodeport-port', '29000')).stdout).toContain('http://127.0.0.1:29000/');
    const t = captureIo({ EXPOSE_LABS_HOME: home });
    expect(
      await main(['--nodeport-port', '29001', '--dry-run', 'verify', 'nodeport/create-service'], { io: t.io }),
    ).toBe(0);
    expect(t.stdout()).toContain('http://127.0.0.1:29001/');
    expect(t.stdout()).toContain('kubectl --context kind-expose-labs get service jordy-node-port-svc -o json');
  });

  it('a damaged ports file is ignored, not trusted', async () => {
    const home = await mkdtemp(join(tmpdir(), 'expose-labs-ports-'));
    await writeClusterPorts(home, 'expose-labs', {
      http: 0,
      https: 8443,
      nodePort: 28000,
      workerA: 28081,
      workerB: 28082,
    });
    expect(readClusterPorts(home, 'expose-labs')).toBeUndefined();
    expect(readClusterPorts(home, 'other')).toBeUndefined();
  });
});

describe('--verbose output', () => {
  it('never carries a private key', () => {
    const secret = JSON.stringify({ data: { 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZIFNFQ1JFVA==' } });
    expect(redactSecrets(secret)).toBe(JSON.stringify({ data: { 'tls.crt': 'Q0VSVA==', 'tls.key': '<redacted>' } }));
    const pem = 'before\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----\nafter';
    expect(redactSecrets(pem)).toBe('before\n<private key redacted>\nafter');
  });
});
