/**
 * kuttl/chainsaw-style partial comparison of a Kubernetes object with what a step expects: only the fields
 * given count; an expected array matches when each of its items matches a different actual item, in any order.
 * Scalars compare strictly, as YAML typed them: `80` is not `"80"`.
 */
export interface Difference {
  /** `spec.ports[0].nodePort`, `metadata.annotations["kubernetes.io/ingress.class"]` */
  path: string;
  expected: unknown;
  /** undefined when the field is absent. */
  actual: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** A matching of expected items to distinct actual items (augmenting paths); -1 where none is left. */
function assign(fits: boolean[][], actualCount: number): number[] {
  const ownerOf = new Array<number>(actualCount).fill(-1);
  const tryItem = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actualCount; j++) {
      if (!fits[i]![j] || seen[j]) continue;
      seen[j] = true;
      if (ownerOf[j] === -1 || tryItem(ownerOf[j]!, seen)) {
        ownerOf[j] = i;
        return true;
      }
    }
    return false;
  };
  fits.forEach((_, i) => tryItem(i, new Array<boolean>(actualCount).fill(false)));
  const result = new Array<number>(fits.length).fill(-1);
  ownerOf.forEach((i, j) => {
    if (i >= 0) result[i] = j;
  });
  return result;
}

function arrayDiff(expected: unknown[], actual: unknown[], path: string): Difference[] {
  const diffs = expected.map((e) => actual.map((a, j) => partialDiff(e, a, `${path}[${j}]`)));
  const matched = assign(
    diffs.map((row) => row.map((d) => d.length === 0)),
    actual.length,
  );
  const used = new Set(matched.filter((j) => j >= 0));
  const out: Difference[] = [];
  expected.forEach((item, i) => {
    if (matched[i]! >= 0) return;
    // Explain with the closest item not already taken by another expected item.
    const candidates = actual.map((_, j) => j).filter((j) => !used.has(j));
    if (candidates.length === 0) {
      out.push({ path: `${path}[]`, expected: item, actual: undefined });
      return;
    }
    const best = candidates.reduce((a, b) => (diffs[i]![b]!.length < diffs[i]![a]!.length ? b : a));
    used.add(best);
    out.push(...diffs[i]![best]!);
  });
  return out;
}

export function partialDiff(expected: unknown, actual: unknown, path = ''): Difference[] {
  if (expected === null) return actual === null || actual === undefined ? [] : [{ path, expected, actual }];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, expected, actual }];
    return arrayDiff(expected, actual, path);
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) => partialDiff(value, actual[key], childPath(path, key)));
  }
  return expected === actual ? [] : [{ path, expected, actual }];
}

function show(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

/** One line per difference: `spec.type: expected "NodePort", found "ClusterIP"`. */
export function formatDifferences(diffs: readonly Difference[], lang: 'ko' | 'en'): string {
  return diffs
    .map((d) => {
      const path = d.path || '(object)';
      if (d.path.endsWith('[]')) {
        return lang === 'ko' ? `${path}: ${show(d.expected)} 항목이 없음` : `${path}: no item like ${show(d.expected)}`;
      }
      return lang === 'ko'
        ? `${path}: 기대 ${show(d.expected)}, 실제 ${d.actual === undefined ? '(없음)' : show(d.actual)}`
        : `${path}: expected ${show(d.expected)}, found ${d.actual === undefined ? '(absent)' : show(d.actual)}`;
    })
    .join('\n');
}
