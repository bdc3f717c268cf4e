import { randomUUID } from 'node:crypto';
import { clone, timestamp, type KubeObject } from './objects.js';
import type { KindName } from './resources.js';

/** Namespaces a fresh kind cluster with Contour has. */
export const NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
  'projectcontour',
];

function key(kind: KindName, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** A write, as a watch sees it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/** The double's etcd: objects by kind, namespace and name, each write with a new resourceVersion. */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly watchers = new Set<(event: StoreEvent) => void>();
  private version = 1000;

  /** Hear of every write from now on (watches); returns the way to stop. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private emit(event: StoreEvent): void {
    for (const listener of [...this.watchers]) listener(event);
  }

  get(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(key(kind, namespace, name));
  }

  /** Sorted by namespace then name, as the API server lists them. `namespace` undefined = all namespaces. */
  list(kind: KindName, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const object of this.objects.values()) {
      if (object.kind !== kind) continue;
      if (namespace !== undefined && (object.metadata.namespace ?? '') !== namespace) continue;
      out.push(object);
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  /** Store a new object: uid, creation time and resourceVersion are the server's. */
  create(object: KubeObject): KubeObject {
    const stored = clone(object);
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = timestamp(new Date());
    stored.metadata.resourceVersion = this.nextVersion();
    this.objects.set(this.keyOf(stored), stored);
    this.emit({ type: 'ADDED', object: stored });
    return stored;
  }

  /** Replace an existing object (same uid and creation time), with a new resourceVersion. */
  update(object: KubeObject): KubeObject {
    const stored = clone(object);
    stored.metadata.resourceVersion = this.nextVersion();
    this.objects.set(this.keyOf(stored), stored);
    this.emit({ type: 'MODIFIED', object: stored });
    return stored;
  }

  remove(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    const k = key(kind, namespace, name);
    const object = this.objects.get(k);
    this.objects.delete(k);
    if (object) this.emit({ type: 'DELETED', object });
    return object;
  }

  private keyOf(object: KubeObject): string {
    return key(object.kind as KindName, object.metadata.namespace ?? '', object.metadata.name);
  }

  private nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }
}
