import { LAYERS, type Hop, type Layer, type Receipt } from '../checks/receipt.js';
import { tr, type Lang } from '../core/i18n.js';
import type { PathHopData } from './lab-schema.js';

/** One hop of the lab's path with what the last check saw there (the shape ui/path-diagram.ts draws). */
export interface MarkedHop {
  label: string;
  state: 'through' | 'inferred' | 'answered' | 'stopped' | 'skipped' | 'not-reached' | 'unknown';
  detail?: string;
  from?: string;
}

const order = (layer: Layer) => LAYERS.indexOf(layer);

/** A node or load balancer address reached directly is the path's first hop of those kinds. */
const ADDRESS_LAYERS: readonly Layer[] = ['load-balancer', 'node', 'ingress'];

/**
 * Where on the lab's path a receipt hop belongs: the path hop of its layer (at or after `from`), else the last
 * path hop before it in layer order (the path may draw fewer layers than the receipt names).
 */
function place(path: PathHopData[], hop: Hop, from: number): number {
  if (hop.layer === 'address') {
    const found = path.findIndex((p, i) => i >= from && ADDRESS_LAYERS.includes(p.layer));
    if (found >= 0) return found;
  }
  const exact = path.findIndex((p, i) => i >= from && p.layer === hop.layer);
  if (exact >= 0) return exact;
  let best = from;
  path.forEach((p, i) => {
    if (i >= from && order(p.layer) <= order(hop.layer)) best = i;
  });
  return best;
}

function describe(hop: Hop, lang: Lang): string | undefined {
  const parts = [hop.note ? tr(hop.note, lang) : undefined, hop.at].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return undefined;
  return parts.length === 2 ? `${parts[0]} (${parts[1]})` : parts[0];
}

/**
 * The lab's path with the receipt laid on it: each hop the traffic crossed (seen or inferred), where it stopped,
 * the hops it never reached, and those a direct way in (a node address) went around. No receipt: all unknown.
 */
export function markPath(path: PathHopData[], receipt: Receipt | undefined, lang: Lang): MarkedHop[] {
  const marked: MarkedHop[] = path.map((p) => ({ label: tr(p.label, lang), state: 'unknown' }));
  if (!receipt) return marked;
  let cursor = 0;
  let last = 0;
  let entry = -1;
  let stopped = false;
  for (const hop of receipt.hops) {
    const at = place(path, hop, cursor);
    if (hop.layer !== 'client' && entry < 0) entry = at;
    cursor = at;
    last = Math.max(last, at);
    const target = marked[at]!;
    const stop = hop.outcome !== 'through' && hop.outcome !== 'answered';
    // Two receipt hops on one drawn hop: what was seen there outranks what was inferred.
    if (target.state === 'through' && hop.inferredFrom && !stop) continue;
    target.state = stop
      ? 'stopped'
      : hop.outcome === 'answered'
        ? 'answered'
        : hop.inferredFrom
          ? 'inferred'
          : 'through';
    target.detail = describe(hop, lang);
    target.from = hop.inferredFrom ? tr(hop.inferredFrom, lang) : undefined;
    if (stop) {
      stopped = true;
      break;
    }
  }
  const reachedEnd = !stopped && receipt.hops.at(-1)?.outcome === 'answered';
  marked.forEach((hop, i) => {
    if (hop.state !== 'unknown') return;
    if (entry > 0 && i > 0 && i < entry) hop.state = 'skipped';
    else if (i < last) {
      hop.state = 'inferred';
      hop.from = tr({ ko: '뒤의 지점까지 닿음', en: 'a later hop was reached' }, lang);
    } else if (i > last || stopped || !reachedEnd) hop.state = 'not-reached';
  });
  return marked;
}
