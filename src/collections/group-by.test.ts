import { test } from "node:test"
import assert from "node:assert/strict"
import { groupBy } from "./group-by.js"

test("items are grouped by key in first-seen order; an undefined key leaves the item out", () => {
  const groups = groupBy(["apple", "avocado", "banana", "cherry", "blueberry"], (word) => (word === "cherry" ? undefined : word[0]))
  assert.deepEqual([...groups], [["a", ["apple", "avocado"]], ["b", ["banana", "blueberry"]]])
})
