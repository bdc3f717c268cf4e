import { notImplemented } from '../kubectl-errors.js';
import type { KubeObject } from '../objects.js';

export type FieldTest = (object: KubeObject) => boolean;

/**
 * `--field-selector`: `metadata.name=x`, `==`, `!=`, joined by commas. Every resource type supports
 * metadata.name and metadata.namespace (apimachinery's DefaultMetaV1FieldSelectorConversion); other fields
 * are per type, and the double implements none of them.
 */
export function parseFieldSelector(args: readonly string[], text: string): FieldTest {
  const tests = text.split(',').map((term): FieldTest => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*([^,\s]*)\s*$/.exec(term);
    if (!m) throw notImplemented(args, `field selector ${term}`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = (o: KubeObject) => (field === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? ''));
    return op === '!=' ? (o) => read(o) !== value : (o) => read(o) === value;
  });
  return (object) => tests.every((t) => t(object));
}
