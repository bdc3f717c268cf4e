import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import type { Exec } from '../../src/platform/command.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { packageRoot } from '../../src/platform/paths.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';

/**
 * `explain` against the cluster double: its kubectl for the EndpointSlices and the Ingress, and its node
 * containers for `docker exec <node> iptables-save`, which the double writes out from its own model of kube-proxy
 * (test/support/cluster-double/kube-proxy-rules.ts). This is the double, not kind.
 */
const provider = createDoubleProvider();
const reporter: Reporter = { task: (_title, run) => run(new AbortController().signal), note: () => {} };
let options: ClusterOptions;
let flags: string[];
let dir: string;
const docker: string[] = [];

/** Only `docker exec` may run, and the double's nodes answer it. */
const exec: Exec = async (command) => {
  if (command.file !== 'docker' || command.args[0] !== 'exec' || !provider.running)
    throw new Error(`unexpected command: ${command.file} ${command.args.join(' ')}`);
  docker.push(command.args.join(' '));
  return provider.running.docker(command.args);
};

beforeAll(async () => {
  const ports = await freeHostPorts();
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-explain-'));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 localhost\n');
  options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
  flags = [
    ...['--http-port', String(ports.http), '--https-port', String(ports.https)],
    ...['--nodeport-port', String(ports.nodePort), '--worker-a-port', String(ports.workerA)],
    ...['--worker-b-port', String(ports.workerB), '--no-hosts'],
  ];
  await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
});

afterAll(async () => {
  await provider.down(options, reporter, new AbortController().signal);
});

async function cli(...argv: string[]) {
  const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
  const code = await main([...argv, ...flags], { io: t.io, deps: { provider: async () => provider, exec } });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

describe('explain on the cluster double', () => {
  it('externalTrafficPolicy Local: the pod, KUBE-SVL on its node, the DROP on the other', async () => {
    expect((await cli('goto', 'traffic-policy/cluster')).code).toBe(0);
    const { code, stdout, stderr } = await cli('explain', 'traffic-policy/local');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Service default/jordy-solo-svc: NodePort, externalTrafficPolicy Local');
    expect(stdout).toContain(
      '$ kubectl --context kind-expose-labs -n default get endpointslices -l kubernetes.io/service-name=jordy-solo-svc -o yaml',
    );
    expect(stdout).toMatch(
      /jordy-solo-svc-\w{5}: 10\.244\.1\.\d+:8080 ready, pod jordy-solo-\S+ on expose-labs-worker\n/,
    );
    // base32(sha256("default/jordy-solo-svctcp"))[:16], computed apart from the code under test.
    const [a, b] = stdout.split('kube-proxy rules on expose-labs-worker2 (iptables)');
    expect(a).toContain('kube-proxy rules on expose-labs-worker (iptables)');
    expect(a).toContain(
      '$ docker exec expose-labs-worker iptables-save -t nat | grep -e default/jordy-solo-svc -e 4EWVTOZBADXGIWDC',
    );
    expect(a).toContain('-A KUBE-EXT-4EWVTOZBADXGIWDC -j KUBE-SVL-4EWVTOZBADXGIWDC');
    expect(a).toContain('→ nodePort :30080 → KUBE-EXT-4EWVTOZBADXGIWDC');
    expect(a).toContain('→ Local: this node has a pod, outside traffic goes to it');
    expect(b).not.toContain('KUBE-SVL-4EWVTOZBADXGIWDC');
    expect(b).toContain(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/jordy-solo-svc has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
    );
    expect(b).toContain(
      '→ DROP (port 30080): "default/jordy-solo-svc has no local endpoints" — dropped without an answer',
    );
    expect(docker).toContain('exec expose-labs-worker2 iptables-save -t filter');
    // Another Service of the same lab whose name starts the same is not mixed in.
    expect(stdout).not.toContain('jordy-solo-svc-cluster');
  });

  it("an Ingress step: the rule each request reaches, and the commands for Envoy's own routes", async () => {
    expect((await cli('start', 'ingress-paths', '--auto', '--yes', '--skip-doctor')).code).toBe(0);
    const { code, stdout } = await cli('explain', 'ingress-paths/hosts-entry', '--lang', 'ko');
    expect(code).toBe(0);
    expect(stdout).toContain('niniz.com/jordy → 규칙 niniz.com /jordy (Prefix) → Service jordy-node-port-svc:80');
    expect(stdout).toContain('niniz.com/jordyx → 맞는 규칙 없음: Envoy가 404로 답함');
    expect(stdout).toContain("$ curl -s 'http://127.0.0.1:9001/config_dump?resource=dynamic_route_configs'");
    expect(stdout).toContain('Service default/scappy-node-port-svc');
  });

  it('works for every step of every lab, once the lab has run', async () => {
    const labs = await loadLabs(packageRoot());
    for (const lab of labs) {
      const walked = await cli('start', lab.id, '--auto', '--yes', '--skip-doctor');
      expect(walked.code, `${lab.id}: ${walked.stderr}`).toBe(0);
      for (const step of lab.steps) {
        const { code, stdout, stderr } = await cli('explain', `${lab.id}/${step.id}`);
        expect(code, `${lab.id}/${step.id}: ${stderr}`).toBe(0);
        expect(stdout, `${lab.id}/${step.id}`).toMatch(
          /EndpointSlices[\s\S]*kube-proxy rules on expose-labs-worker \(iptables\)/,
        );
        expect(stdout, `${lab.id}/${step.id}`).toMatch(/→ (nodePort|cluster IP)/);
      }
    }
  }, 240_000);

  it('a target that is not lab/step is a usage error', async () => {
    const { code, stderr } = await cli('explain', 'nodeport');
    expect(code).toBe(2);
    expect(stderr).toContain('Give a lab/step');
  });
});
