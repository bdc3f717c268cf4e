import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../../src/actions/types.js';
import type { CheckDefinition } from '../../src/checks/types.js';
import type { Cluster } from '../../src/cluster/types.js';
import type { LabContext } from '../../src/contract/context.js';
import type { LabAction, LabCheck } from '../../src/engine/lab.js';
import { runActions, runCheck, undoActions } from '../../src/engine/runner.js';

const events: string[] = [];

const recording: ActionDefinition<string> = {
  name: 'record',
  commands: (spec) => [`do ${spec}`],
  undoCommands: (spec) => [`undo ${spec}`],
  prepare: async (spec) => void events.push(`prepare ${spec}`),
  run: async (spec) => void events.push(`run ${spec}`),
  undo: async (spec) => void events.push(`undo ${spec}`),
};

const action = (spec: string): LabAction => ({ name: 'record', spec, def: recording });

const cluster: Cluster = {
  name: 'expose-labs',
  context: 'kind-expose-labs',
  ports: { http: 80, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 },
  kubectl: async (args) => ({
    exitCode: 1,
    stdout: '',
    stderr: `Error from server (NotFound): services "${args[2]}" not found`,
    failed: true,
    timedOut: false,
  }),
  kubectlLine: (args) => `kubectl --context kind-expose-labs ${args.join(' ')}`,
  reachability: async () => ({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' }),
};

function context(dryRun = false): LabContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    lang: 'en',
    cluster,
    exec: async () => {
      throw new Error('no processes here');
    },
    paths: { root: '/pkg', workspace: '/ws', hostsFile: '/etc/hosts' },
    noHosts: false,
    dryRun,
    signal: new AbortController().signal,
    log: { info: () => {}, command: (line) => lines.push(line), output: () => {}, warn: () => {}, verbose: () => {} },
  };
}

describe('runner', () => {
  it('prepares every action before the first one runs, shows each command, undoes in reverse', async () => {
    events.length = 0;
    const ctx = context();
    await runActions([action('{{workspace}}/a'), action('b')], ctx);
    expect(events).toEqual(['prepare /ws/a', 'prepare b', 'run /ws/a', 'run b']);
    expect(ctx.lines).toEqual(['do /ws/a', 'do b']);
    events.length = 0;
    await undoActions([action('a'), action('b')], ctx);
    expect(events).toEqual(['prepare a', 'prepare b', 'undo b', 'undo a']);
  });

  it('in dry-run shows the commands and runs, prepares and undoes nothing', async () => {
    events.length = 0;
    const ctx = context(true);
    await runActions([action('a')], ctx);
    await undoActions([action('a')], ctx);
    expect(events).toEqual([]);
    expect(ctx.lines).toEqual(['do a', 'undo a']);
  });

  it('an action needing a value that does not exist yet fails with the reason', async () => {
    await expect(runActions([action('{{service.jordy-lb-svc.externalIP}}')], context())).rejects.toThrow(
      /jordy-lb-svc does not exist yet/,
    );
  });

  const check = (run: CheckDefinition<string>['run'], spec = 'x'): LabCheck => ({
    name: 'probe',
    from: 'auto',
    spec,
    def: { name: 'probe', network: true, describe: (s) => `curl ${s}`, run },
  });

  it('a check whose placeholder cannot resolve yet is "not yet", without running', async () => {
    let ran = false;
    const result = await runCheck(
      check(async () => {
        ran = true;
        return { verdict: 'pass', observed: '', expected: '', command: '' };
      }, 'http://{{service.jordy-lb-svc.externalIP}}/'),
      context(),
    );
    expect(ran).toBe(false);
    expect(result.verdict).toBe('not-yet');
    expect(result.command).toBe('curl http://<service.jordy-lb-svc.externalIP>/');
  });

  it('a check that throws unexpectedly is "broken", pointing at doctor', async () => {
    const result = await runCheck(
      check(async () => {
        throw new Error('socket hang up');
      }),
      context(),
    );
    expect(result.verdict).toBe('broken');
    expect(result.observed).toBe('socket hang up');
    expect((result.cause as { en: string }).en).toContain('doctor');
  });
});
