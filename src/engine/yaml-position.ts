import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = (string | number)[];

/**
 * Line and column of the deepest part of `path` that exists: the key of a map entry (so a block value points at
 * its key line), an item of a list, or, for a missing key, the map that lacks it.
 */
export function positionOf(doc: Document, lines: LineCounter, path: YamlPath): { line: number; col: number } {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const key = path[n - 1];
    let node: Node | null | undefined;
    if (isMap(parent))
      node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as Node | undefined;
    else if (isSeq(parent) && typeof key === 'number') node = parent.items[key] as Node | undefined;
    if (node?.range) return lines.linePos(node.range[0]);
  }
  const root = doc.contents;
  return root?.range ? lines.linePos(root.range[0]) : { line: 1, col: 1 };
}
