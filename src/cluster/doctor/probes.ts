import { existsSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { homedir, totalmem } from 'node:os';
import type { Exec } from '../../platform/command.js';
import { defaultCache } from '../../platform/paths.js';
import { probePort } from '../host-ports.js';
import type { DoctorProbes } from './types.js';

/** The real machine. */
export function defaultProbes(exec: Exec, env: NodeJS.ProcessEnv = process.env): DoctorProbes {
  return {
    exec,
    platform: process.platform,
    arch: process.arch,
    readText: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    probePort,
    totalMemory: totalmem,
    freeDisk: async (path) => {
      try {
        const stats = await statfs(path);
        return stats.bavail * stats.bsize;
      } catch {
        return undefined;
      }
    },
    cacheDir: defaultCache(env),
    homeDir: homedir(),
    env,
    exists: existsSync,
    uid: process.getuid?.(),
  };
}
