// An immutable string-keyed record whose `set` copies one of 64 shards, not every key: a state
// fold that sets one key per event (the usage of each conversation) stays near linear in the
// number of events instead of quadratic. Plain objects all the way down, so it serialises and
// compares like any other state.

export type ShardedRecord<V> = Readonly<Record<string, Readonly<Record<string, V>>>>

const shardCount = 64

/** FNV-1a over the key's UTF-16 units, folded to a shard name. */
function shardOf(key: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193)
  return String((hash >>> 0) % shardCount)
}

export function recordGet<V>(record: ShardedRecord<V>, key: string): V | undefined {
  const shard = record[shardOf(key)]
  return shard && Object.hasOwn(shard, key) ? shard[key] : undefined
}

/** A new record with `key` set; `record` is unchanged and shares every other shard with it. */
export function recordSet<V>(record: ShardedRecord<V>, key: string, value: V): ShardedRecord<V> {
  const name = shardOf(key)
  return { ...record, [name]: { ...record[name], [key]: value } }
}

export function recordValues<V>(record: ShardedRecord<V>): V[] {
  return Object.values(record).flatMap((shard) => Object.values(shard))
}
