import { test } from "node:test"
import assert from "node:assert/strict"
import type { Evidence, MissionEvent } from "../mission/mission-event.js"
import type { IntegrateOutcome } from "../workspace/workspace.js"
import type { Engine } from "./engine.js"
import { integrateTask, mergeQueue } from "./merge-train.js"

/**
 * The train against a workspace of our own: the mission branch is a list of commits, each the
 * tasks merged so far; verification fails while the head holds a task named in `breaks`, and
 * waits for `release` first, so tasks can be made to queue up behind a batch. A commit's tree is
 * named by the tasks in it; `verifiedOn` gives the tree each task's own verification ran on, and
 * `ownEvidence` what it gave (passing by default).
 */
function fakeEngine(options: { breaks: string[]; conflicts?: string[]; verifiedOn?: Record<string, string>; ownEvidence?: Record<string, Evidence[]> }) {
  const events: MissionEvent[] = []
  const commits = new Map<string, string[]>([["c0", []]])
  let head = "c0"
  let verifications = 0
  const gates: Array<() => void> = []
  const workspace = {
    missionDirectory: "/mission",
    missionHead: async () => head,
    taskDiff: async (taskId: string) => `diff of ${taskId}`,
    integrate: async (taskId: string): Promise<IntegrateOutcome> => {
      if (options.conflicts?.includes(taskId)) return { status: "conflict", files: [`${taskId}.txt`], detail: "<<<<<<<" }
      const before = head
      head = `c${commits.size}`
      commits.set(head, [...commits.get(before)!, taskId])
      return { status: "merged", before, commit: head, tree: `tree of ${commits.get(head)!.join(", ")}`, files: [`${taskId}.txt`] }
    },
    taskTree: (taskId: string) => options.verifiedOn?.[taskId],
    undoIntegrate: async (commit: string) => {
      head = commit
      return { ok: true as const, value: undefined }
    },
  }
  const engine = {
    mission: {
      id: "m-test",
      config: { concurrency: 8 },
      state: {
        verifyCommands: ["npm test"],
        tasks: ["A", "B", "C", "D", "E"].map((id) => ({ id, title: `Task ${id}`, evidence: options.ownEvidence?.[id] ?? [passing("npm test")] })),
      },
      workspace,
      record: (event: MissionEvent) => void events.push(event),
    },
    mergeQueue: mergeQueue(),
    verify: async (): Promise<Evidence[]> => {
      await new Promise<void>((resolve) => gates.push(resolve))
      verifications++
      const broken = commits.get(head)!.some((taskId) => options.breaks.includes(taskId))
      return [{ command: "npm test", exitCode: broken ? 1 : 0, durationMs: 1, outputHead: broken ? "1 failing" : "ok", outputTail: "", timedOut: false }] as Evidence[]
    },
  } as unknown as Engine
  /** Lets every verification run as soon as it is asked for, from now on. */
  const release = async () => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve))
      const gate = gates.shift()
      if (!gate && engine.mergeQueue.running === undefined) return
      gate?.()
    }
  }
  return { engine, events, release, tasksAtHead: () => commits.get(head)!, verifications: () => verifications }
}

const passing = (command: string): Evidence => ({ command, exitCode: 0, durationMs: 1, outputHead: "ok", outputTail: "", timedOut: false })

test("tasks that wait behind a merge go in one batch, verified once at its tip", async () => {
  const { engine, events, release, tasksAtHead, verifications } = fakeEngine({ breaks: [] })
  const results = ["A", "B", "C", "D"].map((id) => integrateTask(engine, id, 1))
  await release()
  assert.deepEqual(await Promise.all(results), [true, true, true, true])
  assert.deepEqual(tasksAtHead(), ["A", "B", "C", "D"])
  // A went alone (the train was idle); B, C and D waited behind it and went together.
  assert.equal(verifications(), 2)
  const ends = events.filter((event) => event.type === "merge-end")
  assert.deepEqual(ends.map((end) => [end.taskId, end.outcome, end.batch?.id, end.batch?.tasks, end.batch?.verifyRuns]), [
    ["A", "merged", 1, 1, 1],
    ["B", "merged", 2, 3, 1],
    ["C", "merged", 2, 3, 1],
    ["D", "merged", 2, 3, 1],
  ])
  assert.ok(ends.every((end) => end.verified === "c4" || end.taskId === "A"), "the batch's evidence is of its tip")
})

test("a batch whose tip fails is bisected: the tasks before the culprit stay merged, it goes back, the ones after it are merged again without it", async () => {
  const { engine, events, release, tasksAtHead, verifications } = fakeEngine({ breaks: ["C"] })
  const results = ["A", "B", "C", "D", "E"].map((id) => integrateTask(engine, id, 1))
  await release()
  assert.deepEqual(await Promise.all(results), [true, true, false, true, true])
  assert.deepEqual(tasksAtHead(), ["A", "B", "D", "E"])
  const ends = events.filter((event) => event.type === "merge-end")
  assert.deepEqual(ends.map((end) => `${end.taskId}:${end.outcome}`), ["A:merged", "B:merged", "C:verify-fail", "D:merged", "E:merged"])
  const culprit = ends.find((end) => end.taskId === "C")!
  assert.match(culprit.findings[0]!.message, /verification failed on the mission branch[\s\S]*1 failing[\s\S]*diff of C/)
  // A alone (1); B, C, D, E: the tip, then B·C (fails), then B (passes) (3); D, E again (1).
  assert.equal(verifications(), 5)
  assert.deepEqual(culprit.batch, { id: 2, tasks: 4, verifyRuns: 3 })
  // D and E were started once: their merge-start is not repeated when they go round again.
  assert.deepEqual(events.filter((event) => event.type === "merge-start").map((event) => event.taskId), ["A", "B", "C", "D", "E"])
  const b = ends.find((end) => end.taskId === "B")!
  assert.equal(b.verified, b.commit, "B's evidence is of the head it was kept at")
})

test("a conflict sends back only that task; the rest of its batch is merged", async () => {
  const { engine, events, release, tasksAtHead } = fakeEngine({ breaks: [], conflicts: ["C"] })
  const results = ["A", "B", "C", "D"].map((id) => integrateTask(engine, id, 1))
  await release()
  assert.deepEqual(await Promise.all(results), [true, true, false, true])
  assert.deepEqual(tasksAtHead(), ["A", "B", "D"])
  const ends = events.filter((event) => event.type === "merge-end")
  assert.deepEqual(ends.map((end) => `${end.taskId}:${end.outcome}`), ["A:merged", "C:conflict", "B:merged", "D:merged"])
})

test("a merge whose tree is the one its task was verified on is not verified again; once the head has moved, it is", async () => {
  // A and B were both built on c0: A's merge is A's own tree, B's (after A) is not B's.
  const { engine, events, release, verifications } = fakeEngine({ breaks: [], verifiedOn: { A: "tree of A", B: "tree of B" } })
  const results = ["A", "B"].map((id) => integrateTask(engine, id, 1))
  await release()
  assert.deepEqual(await Promise.all(results), [true, true])
  assert.equal(verifications(), 1, "only B's merge ran verification")
  const [a, b] = events.filter((event) => event.type === "merge-end")
  assert.equal(a!.evidenceOf, "A")
  assert.deepEqual(a!.evidence, [passing("npm test")], "A's own run is its merge's evidence")
  assert.deepEqual(a!.batch, { id: 1, tasks: 1, verifyRuns: 0 })
  assert.equal(b!.evidenceOf, undefined)
  assert.deepEqual(b!.batch, { id: 2, tasks: 1, verifyRuns: 1 })
})

test("a task's own run stands for its merge only if it ran every verification command and passed", async () => {
  const cases: Record<string, Evidence[]> = { "another command": [passing("npm run lint")], "a failing run": [{ ...passing("npm test"), exitCode: 1 }], "no run": [] }
  for (const [name, own] of Object.entries(cases)) {
    const { engine, events, release, verifications } = fakeEngine({ breaks: [], verifiedOn: { A: "tree of A" }, ownEvidence: { A: own } })
    const merged = integrateTask(engine, "A", 1)
    await release()
    assert.equal(await merged, true, name)
    assert.equal(verifications(), 1, name)
    assert.equal(events.find((event) => event.type === "merge-end" && event.evidenceOf !== undefined), undefined, name)
  }
})
