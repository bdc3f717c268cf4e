import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_LINES } from '../../src/actions/lines.js';
import { ACTIONS } from '../../src/actions/registry.js';
import { ACTION_SPECS } from '../../src/actions/specs.js';
import { CHECK_LINES } from '../../src/checks/lines.js';
import { CHECKS } from '../../src/checks/registry.js';
import { KubectlCluster } from '../../src/cluster/kubectl-cluster.js';
import type { Lab } from '../../src/engine/lab.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { actionCommands, checkCommand } from '../../src/engine/step-lines.js';
import { setInvocation } from '../../src/platform/invocation.js';
import { defaultHostsFile, packageRoot } from '../../src/platform/paths.js';

/**
 * `show` reads a lab unbound (names and specs, no definitions) and prints its lines from the faces
 * (actions/lines.ts, checks/lines.ts); the runner shows the lines of the definitions it runs. Both must be one.
 */

const sorted = (keys: Iterable<string>) => [...keys].sort();

// Ports other than the defaults, so a line that left a placeholder unfilled or filled it from elsewhere shows.
const noProcesses = async (): Promise<never> => {
  throw new Error('no processes here');
};
const cluster = new KubectlCluster(
  'expose-labs',
  'kind-expose-labs',
  { http: 8080, https: 8443, nodePort: 30000, workerA: 30081, workerB: 30082 },
  noProcesses,
  'kubectl',
  async () => ({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' }),
);
const ctx = {
  lang: 'en' as const,
  cluster,
  paths: { root: packageRoot(), workspace: '/home/me/ws', hostsFile: defaultHostsFile() },
};

let labs: Lab[];

beforeAll(async () => {
  // As started by `npx expose-labs`, so the hosts line is the same wherever the tests run.
  setInvocation({ env: { npm_command: 'exec' }, argv0: [] });
  labs = await loadLabs(packageRoot());
});

/** A step of a lab as `show` will have it: each action and check only its name and spec. */
function unboundStep(labId: string, stepId: string) {
  const step = labs.find((l) => l.id === labId)!.steps.find((s) => s.id === stepId)!;
  return {
    actions: step.actions.map(({ name, spec }) => ({ name, spec })),
    checks: step.checks.map(({ name, spec }) => ({ name, spec })),
  };
}

describe('step lines through the faces', () => {
  it('every action definition shows its face’s commands and undo commands, for the same names as the registry and the schemas', () => {
    expect(sorted(ACTION_LINES.keys())).toEqual(sorted(ACTIONS.keys()));
    expect(sorted(ACTION_SPECS.keys())).toEqual(sorted(ACTIONS.keys()));
    for (const [name, def] of ACTIONS) {
      const face = ACTION_LINES.get(name)!;
      expect(def.commands, name).toBe(face.commands);
      expect(def.undoCommands, name).toBe(face.undoCommands);
    }
  });

  it('every check definition describes itself with its face’s line, for the same names as the registry', () => {
    expect(sorted(CHECK_LINES.keys())).toEqual(sorted(CHECKS.keys()));
    for (const [name, def] of CHECKS) expect(def.describe, name).toBe(CHECK_LINES.get(name)!.describe);
  });

  it('ingress-tls unbound, first step: the workspace copy applied, the tool’s hosts line, the kubectl get and the curl', () => {
    const step = unboundStep('ingress-tls', 'http-ingress');
    expect(actionCommands(step.actions, ctx)).toEqual([
      'kubectl --context kind-expose-labs apply -f /home/me/ws/ingress/basic-niniz-ing-multi-path.yaml',
      'npx expose-labs hosts add niniz.com',
    ]);
    expect(step.checks.map((check) => checkCommand(check, ctx))).toEqual([
      'kubectl --context kind-expose-labs get ingress basic-niniz-ing-multi-path -o json',
      'curl -sS -i http://niniz.com:8080/jordy',
    ]);
  });

  it('the hosts line names a cluster other than the default, so the hosts command nudges that cluster’s waiting step', () => {
    const other = new KubectlCluster('second', 'kind-second', cluster.ports, noProcesses, 'kubectl', async () => ({
      hostReachesNodeNetwork: true,
      hostClientAddress: '127.0.0.1',
    }));
    const step = unboundStep('ingress-tls', 'http-ingress');
    expect(actionCommands(step.actions, { ...ctx, cluster: other })).toEqual([
      'kubectl --context kind-second apply -f /home/me/ws/ingress/basic-niniz-ing-multi-path.yaml',
      'npx expose-labs hosts add niniz.com --cluster-name second',
    ]);
  });

  it('ingress-tls unbound, tls step: openssl into the workspace, the Secret from those files, and the handshake curl', () => {
    const step = unboundStep('ingress-tls', 'tls');
    expect(actionCommands(step.actions, ctx)).toEqual([
      'openssl genrsa -out /home/me/ws/niniz.key 2048',
      'openssl req -new -x509 -key /home/me/ws/niniz.key -out /home/me/ws/niniz.cert -days 360 -subj /CN=niniz.com -addext subjectAltName=DNS:niniz.com',
      'kubectl --context kind-expose-labs delete secret niniz-secret --ignore-not-found',
      'kubectl --context kind-expose-labs create secret tls niniz-secret --cert=/home/me/ws/niniz.cert --key=/home/me/ws/niniz.key',
      'kubectl --context kind-expose-labs apply -f /home/me/ws/ingress/basic-niniz-ing-multi-path-tls.yaml',
    ]);
    const tls = step.checks.find((check) => check.name === 'tls')!;
    expect(checkCommand(tls, ctx)).toBe(
      // Filled before it is quoted: nothing left for the shell to read, so no quotes.
      'curl -sS -k -v -o /dev/null --resolve niniz.com:8443:127.0.0.1 https://niniz.com:8443/',
    );
  });

  it('every lab’s setup and steps read the same bound (as the runner has them) and unbound (as show will)', () => {
    let lines = 0;
    for (const lab of labs) {
      for (const actions of [lab.setup, ...lab.steps.map((s) => s.actions)]) {
        const bound = actionCommands(actions, ctx);
        expect(
          actionCommands(
            actions.map(({ name, spec }) => ({ name, spec })),
            ctx,
          ),
          lab.id,
        ).toEqual(bound);
        lines += bound.length;
      }
      for (const check of lab.steps.flatMap((s) => s.checks)) {
        expect(checkCommand({ name: check.name, spec: check.spec }, ctx), lab.id).toBe(checkCommand(check, ctx));
        lines += 1;
      }
    }
    expect(lines).toBeGreaterThan(100);
  });

  it('an entry naming no action or check is a programming error that names it', () => {
    expect(() => actionCommands([{ name: 'kubctl', spec: { args: ['get', 'nodes'] } }], ctx)).toThrow(
      'no action named "kubctl"',
    );
    expect(() => checkCommand({ name: 'htttp', spec: { url: 'http://127.0.0.1/' } }, ctx)).toThrow(
      'no check named "htttp"',
    );
  });
});
