// Lists kept under a key, least recently used forgotten first, bounded both in keys and in the
// elements all lists hold (so caching long lists cannot fill the heap). The newest is always kept.
export class ListCache<K, T> {
  private readonly lists = new Map<K, readonly T[]>();
  private elements = 0;

  constructor(
    private readonly maxKeys: number,
    private readonly maxElements: number,
  ) {}

  /** The list under `key`, now the most recently used; undefined when not kept. */
  get(key: K): readonly T[] | undefined {
    const list = this.lists.get(key);
    if (list !== undefined) {
      this.lists.delete(key);
      this.lists.set(key, list);
    }
    return list;
  }

  set(key: K, list: readonly T[]): void {
    const old = this.lists.get(key);
    if (old !== undefined) {
      this.lists.delete(key);
      this.elements -= old.length;
    }
    this.lists.set(key, list);
    this.elements += list.length;
    while (this.lists.size > 1 && (this.lists.size > this.maxKeys || this.elements > this.maxElements)) {
      const [oldest, dropped] = this.lists.entries().next().value!;
      this.lists.delete(oldest);
      this.elements -= dropped.length;
    }
  }

  clear(): void {
    this.lists.clear();
    this.elements = 0;
  }

  get size(): number {
    return this.lists.size;
  }

  /** Elements held by all lists together. */
  get heldElements(): number {
    return this.elements;
  }
}
