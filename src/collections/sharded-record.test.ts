import assert from "node:assert/strict"
import { test } from "node:test"
import { recordGet, recordSet, recordValues, type ShardedRecord } from "./sharded-record.js"

test("a set returns a new record and leaves the old one as it was", () => {
  const empty: ShardedRecord<number> = {}
  const one = recordSet(empty, "ses_a", 1)
  const two = recordSet(one, "ses_a", 2)
  assert.equal(recordGet(empty, "ses_a"), undefined)
  assert.equal(recordGet(one, "ses_a"), 1)
  assert.equal(recordGet(two, "ses_a"), 2)
})

test("every key set is read back, and values lists each key's latest value once", () => {
  let record: ShardedRecord<number> = {}
  for (let index = 0; index < 500; index++) record = recordSet(record, `ses_${index}/msg_${index % 7}`, index)
  record = recordSet(record, "ses_3/msg_3", -3)
  for (let index = 0; index < 500; index++) assert.equal(recordGet(record, `ses_${index}/msg_${index % 7}`), index === 3 ? -3 : index)
  assert.equal(recordValues(record).length, 500)
  assert.equal(recordGet(record, "toString"), undefined)
})

test("a set copies one shard: the others are shared with the record it came from", () => {
  let record: ShardedRecord<number> = {}
  for (let index = 0; index < 1000; index++) record = recordSet(record, `key${index}`, index)
  const next = recordSet(record, "key1", 0)
  const changed = Object.keys(next).filter((name) => next[name] !== record[name])
  assert.equal(changed.length, 1)
  assert.ok(Object.keys(record).length > 32, "the keys spread over the shards")
})
