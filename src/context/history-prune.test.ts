import { test } from "node:test"
import assert from "node:assert/strict"
import { newPruneMemory, pruneHistory, type HistoryMessage } from "./history-prune.js"
import { tokenCounter } from "./token-count.js"

/** A worker conversation: the task, then `turns` tool calls whose outputs are `sizes[i]` words long. */
function conversation(sizes: number[]): HistoryMessage[] {
  const user: HistoryMessage = { info: { id: "m0", role: "user", sessionID: "s" }, parts: [{ id: "p0", type: "text", text: "Task A · attempt 1\nBuild it." }] }
  const turns = sizes.map((words, index): HistoryMessage => ({
    info: { id: `m${index + 1}`, role: "assistant", sessionID: "s" },
    parts: [{ id: `t${index}`, type: "tool", tool: "read", state: { status: "completed", input: { filePath: `f${index}` }, output: `needle-${index} ${"word ".repeat(words)}` } }],
  }))
  return [user, ...turns]
}
/** What the model is sent: a deep copy, as the host rebuilds it for every request. */
const fresh = (sizes: number[]) => structuredClone(conversation(sizes))
const rendered = (messages: HistoryMessage[]) => messages.map((message) => JSON.stringify(message))

test("over budget, the oldest outputs are shortened down to the low mark; the newest stay whole", async () => {
  const count = await tokenCounter()
  const memory = newPruneMemory()
  const messages = fresh([2000, 2000, 2000, 2000, 2000, 300, 400])
  const shortened = pruneHistory(messages, memory, { budget: 8000 }, count)
  // The newest outputs within a tenth of the budget (t5, t6) stay; the rest go, oldest first, down to 15%.
  assert.deepEqual(shortened, ["t0", "t1", "t2", "t3", "t4"])
  const total = messages.flatMap((m) => m.parts).reduce((sum, part) => sum + count(part.text ?? `${JSON.stringify(part.state?.input)}${part.state?.output}`), 0)
  assert.ok(total <= 8000 * 0.15, `${total}`)
  const output = (index: number) => messages[index + 1]!.parts[0]!.state!.output!
  assert.match(output(0), /^\[shortened by the orchestrator: 20\d\d tokens; run read again to see it\]$/)
  for (const index of [5, 6]) assert.match(output(index), new RegExp(`^needle-${index} (word ){100}`), `output ${index} whole`)
})

test("between prunes every request's history starts with the previous one's bytes (cache-safe)", async () => {
  const count = await tokenCounter()
  const memory = newPruneMemory()
  const sizes: number[] = []
  let previous: string[] = []
  let stable = 0
  let prunes = 0
  for (let turn = 0; turn < 200; turn++) {
    sizes.push([40, 900, 150, 1200, 60][turn % 5]!)
    const messages = fresh(sizes)
    if (pruneHistory(messages, memory, { budget: 27_000 }, count).length) prunes++
    const now = rendered(messages)
    if (previous.length && previous.every((line, index) => now[index] === line)) stable++
    const total = messages.flatMap((m) => m.parts).reduce((sum, part) => sum + count(part.text ?? `${JSON.stringify(part.state?.input)}${part.state?.output}`), 0)
    assert.ok(total <= 27_000 + 1300, `turn ${turn}: ${total} tokens`)
    previous = now
  }
  assert.ok(prunes > 3, `${prunes} prunes`)
  assert.ok(stable / 199 >= 0.95, `${stable} of 199 requests kept the previous prefix`)
  assert.equal(stable + prunes, 199, "only a prune changes the prefix")
})

test("a long conversation whose stubs and newest output pass the budget: the newest is cut to fit, head and tail kept", async () => {
  const count = await tokenCounter()
  const messages = fresh([...Array.from({ length: 60 }, () => 300), 6000])
  pruneHistory(messages, newPruneMemory(), { budget: 8000 }, count)
  const total = messages.flatMap((m) => m.parts).reduce((sum, part) => sum + count(JSON.stringify(part.text ?? part.state)) , 0)
  assert.ok(total <= 8000, `${total}`)
  const newest = messages.at(-1)!.parts[0]!.state!.output!
  assert.match(newest, /^needle-60 word/)
  assert.match(newest, /word $/)
  assert.match(newest, /\[… \d+ characters cut by the orchestrator to keep this conversation within its budget; read it again in parts …\]/)
})

test("under budget nothing changes", async () => {
  const count = await tokenCounter()
  const messages = fresh([100, 100])
  const before = rendered(messages)
  assert.deepEqual(pruneHistory(messages, newPruneMemory(), { budget: 8000 }, count), [])
  assert.deepEqual(rendered(messages), before)
})
