import { join } from 'node:path';
import { ACTIONS } from '../actions/registry.js';
import { CHECKS } from '../checks/registry.js';
import { mapBindings, readCompiledLabData, type CompiledLab } from './compiled-labs.js';
import type { Lab, LabAction, LabCheck } from './lab.js';

/** The build's labs with every action and check bound to its definition again, by name: for commands that run steps. */

function bindAction(action: Omit<LabAction, 'def'>): LabAction {
  const def = ACTIONS.get(action.name);
  if (!def) throw new Error(`compiled labs name an unknown action "${action.name}"`);
  return { ...action, def };
}

function bindCheck(check: Omit<LabCheck, 'def'>): LabCheck {
  const def = CHECKS.get(check.name);
  if (!def) throw new Error(`compiled labs name an unknown check "${check.name}"`);
  return { ...check, def };
}

function bindLab(root: string, compiled: CompiledLab): Lab {
  const { folder, setup, steps, ...rest } = compiled;
  return {
    ...rest,
    file: join(root, 'labs', folder, 'lab.yaml'),
    ...mapBindings({ setup, steps }, bindAction, bindCheck),
  };
}

/** The compiled labs, bound, when they describe exactly the lab files on disk; otherwise undefined (load them). */
export function readCompiledLabs(root: string): Lab[] | undefined {
  const compiled = readCompiledLabData(root);
  if (!compiled) return undefined;
  try {
    return compiled.map((lab) => bindLab(root, lab));
  } catch {
    return undefined;
  }
}
