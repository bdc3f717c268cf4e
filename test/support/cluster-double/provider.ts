import type {
  Capabilities,
  Cluster,
  ClusterOptions,
  ClusterProvider,
  ClusterStatus,
} from '../../../src/cluster/types.js';
import type { Reporter } from '../../../src/core/reporter.js';
import { ClusterDouble, type DoubleTiming } from './cluster.js';
import type { DoublePlatform } from './platform.js';

export interface DoubleProvider extends ClusterProvider {
  /** The running instance, if `up` ran and `down` did not. */
  readonly running: ClusterDouble | undefined;
}

/** A ClusterProvider whose cluster is the double: `up` starts one on `options.ports`, `down` stops it. */
export function createDoubleProvider(
  settings: { timing?: Partial<DoubleTiming>; platform?: DoublePlatform } = {},
): DoubleProvider {
  let running: ClusterDouble | undefined;
  return {
    kind: 'double',
    get running() {
      return running;
    },
    async inspect(): Promise<ClusterStatus> {
      return { exists: running !== undefined, matches: true, differences: [] };
    },
    async up(options: ClusterOptions & { recreate: boolean }, reporter: Reporter): Promise<Cluster> {
      return reporter.task({ ko: '테스트용 클러스터 더블 시작', en: 'Starting the test cluster double' }, async () => {
        if (running && options.recreate) {
          await running.stop();
          running = undefined;
        }
        running ??= await ClusterDouble.start({
          name: options.name,
          ports: options.ports,
          timing: settings.timing,
          platform: settings.platform,
        });
        return running;
      });
    },
    async connect(): Promise<Cluster | undefined> {
      return running;
    },
    async capabilities(): Promise<Capabilities> {
      return { loadBalancer: true, ingress: true };
    },
    async down(_options: ClusterOptions, reporter: Reporter): Promise<void> {
      const instance = running;
      if (!instance) return;
      running = undefined;
      await reporter.task({ ko: '테스트용 클러스터 더블 정지', en: 'Stopping the test cluster double' }, () =>
        instance.stop(),
      );
    },
  };
}
