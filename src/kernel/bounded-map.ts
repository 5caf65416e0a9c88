/**
 * A Map that holds at most `max` entries and, when full, drops the one set longest ago: for
 * caches of what can always be worked out again, whose keys come from requests and so are
 * not bounded by anything else.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    // Set again counts as set last.
    this.delete(key);
    if (this.size >= this.max) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}
