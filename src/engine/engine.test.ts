import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { HostResult, PromptRequest } from "../host/mission-host.js"
import type { PlannedTask } from "../mission/mission-event.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { SubmissionError, type Mission } from "../mission/mission.js"
import { FakeHost } from "../testing/fake-host.js"
import { maxResumes, resumeMission } from "./resume-mission.js"
import { startMission } from "./start-mission.js"

const task = (id: string, dependsOn: string[] = []): PlannedTask => ({ id, title: `Task ${id}`, description: "", acceptance: [], files: [`${id}.txt`], dependsOn })

function project(config: object = { verify: ["true"] }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "engine-"))
  mkdirSync(path.join(dir, ".opencode"))
  writeFileSync(path.join(dir, ".opencode", "orchestrator.json"), JSON.stringify(config))
  return dir
}

type Turn = (request: PromptRequest, registry: MissionRegistry) => Promise<void> | void

/** Runs a mission whose children are played by `turn`; returns the final state and the fake host. */
async function run(turn: Turn, config?: object) {
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    await turn(request, registry)
  })
  const started = await startMission({ registry, host, directory: project(config), rootSessionId: "ses_root", goal: "build it" })
  return { state: await started.finished, host, mission: started.mission, registry }
}

/** A child that does its job: plans `plan`, submits work, approves. */
function cooperative(plan: PlannedTask[]): Turn {
  return (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") mission.submitPlan(request.sessionId, plan)
    if (request.agent === "worker") mission.submitWork(request.sessionId, "done")
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  }
}

test("a cooperative mission seals and its report is posted when nobody follows it", async () => {
  const { state, host } = await run(cooperative([task("A"), task("B", ["A"])]))
  assert.equal(state.status, "sealed")
  assert.deepEqual(state.tasks.map((t) => t.status), ["approved", "approved"])
  assert.equal(host.posts.length, 1)
  assert.match(host.posts[0]!, /SEALED/)
  assert.deepEqual(host.toasts.map((toast) => toast.replace(/m-\S+/, "m-…")), [
    "Mission m-… started",
    "Not isolated: the project is not a git repository. Tasks write into your checkout directly.",
    // The planner's usage is read once its conversation ends, after the plan was accepted; 11 tokens a prompt.
    "plan accepted: A, B (after A)",
    "task A: approved · 33 tokens · $0.0000",
    "task B: approved · 55 tokens · $0.0000",
    "master review (round 1): approve · 66 tokens · $0.0000",
    "Mission m-… SEALED: the tasks worked in your checkout directly; files: none.",
  ])
})

test("a worker that stops without submitting gets one reminder, then the attempt fails and the next begins", async () => {
  let workerTurns = 0
  const lazyFirst: Turn = (request, registry) => {
    if (request.agent === "worker" && ++workerTurns <= 2) return // attempt 1: the prompt and its one reminder
    return cooperative([task("A")])(request, registry)
  }
  const { state, host } = await run(lazyFirst)
  assert.equal(state.status, "sealed")
  const workerTexts = host.prompts.filter((p) => p.agent === "worker").map((p) => p.text.split("\n")[1])
  assert.deepEqual(workerTexts, ["Title: Task A", "You stopped without calling submit_work. Finish the task, then call submit_work.", "Your previous attempt was rejected. Fix every finding, then call submit_work again:"])
  assert.equal(state.tasks[0]!.attempts, 2)
})

test("the memory a worker session was shown is not sent to it again on its next attempt; what is new is", async () => {
  let reviews = 0
  const rejectFirst: Turn = (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "reviewer" && request.text.startsWith("Task B") && ++reviews === 1)
      return void mission.submitVerdict(request.sessionId, "review", { verdict: "reject", findings: [{ message: "B must handle an empty list", file: "b.txt" }] })
    return cooperative([task("A"), task("B", ["A"])])(request, registry)
  }
  const { state, host } = await run(rejectFirst)
  assert.equal(state.status, "sealed")
  const toB = host.prompts.filter((prompt) => prompt.agent === "worker" && prompt.text.startsWith("Task B"))
  assert.equal(toB.length, 2)
  assert.match(toB[0]!.text, /## Mission memory\n- \[goal\] build it\n- \[interface:A>B\] B builds on A: Task A \(its files: A\.txt\)\n- \[result:A\] A is done: done\. Files: A\.txt\./)
  assert.match(toB[1]!.text, /B must handle an empty list/, "the finding, in the retry's own words")
  assert.doesNotMatch(toB[1]!.text, /\[goal\]|\[interface:A>B\]|\[result:A\]/, "nothing shown before is sent again")
  // Its reviewer, a new session each attempt, sees the earlier finding as memory.
  const reviewsOfB = host.prompts.filter((prompt) => prompt.agent === "reviewer" && prompt.text.startsWith("Task B"))
  assert.match(reviewsOfB[1]!.text, /\[finding:B:1:1\] b\.txt: B must handle an empty list/)
})

test("no more tasks run at once than the concurrency limit", async () => {
  const plan = ["A", "B", "C", "D", "E"].map((id) => task(id))
  const slow: Turn = async (request, registry) => {
    if (request.agent === "worker") await new Promise((resolve) => setTimeout(resolve, 20))
    return cooperative(plan)(request, registry)
  }
  const { state, host } = await run(slow, { verify: ["true"], concurrency: 2 })
  assert.equal(state.status, "sealed")
  assert.equal(host.maxActive, 2)
})

test("a stop aborts the children in flight and ends the mission stopped", async () => {
  let release!: () => void
  const hang: Turn = async (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") return cooperative([task("A")])(request, registry)
    if (request.agent === "worker") {
      mission.stop("stopped by test")
      await new Promise<void>((resolve) => (release = resolve))
    }
  }
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    const pending = hang(request, registry)
    if (request.agent === "worker") setTimeout(() => release(), 10)
    await pending
  })
  const started = await startMission({ registry, host, directory: project(), rootSessionId: "ses_root", goal: "x" })
  const state = await started.finished
  assert.equal(state.status, "stopped")
  assert.equal(state.endReason, "stopped by test")
  assert.equal(host.aborted.length, 1)
  assert.match(host.aborted[0]!, /^ses_\d+_task$/)
})

test("a submit from the wrong session, or a second one, is refused and changes nothing", async () => {
  let checked = false
  const probe: Turn = (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "worker" && !checked) {
      checked = true
      const before = JSON.stringify(mission.state)
      assert.throws(() => mission.submitPlan(request.sessionId, [task("Z")]), SubmissionError)
      assert.throws(() => mission.submitWork("ses_somebody_else", "x"), /not expected to call submit_work/)
      assert.equal(JSON.stringify(mission.state), before)
      mission.submitWork(request.sessionId, "done")
      assert.throws(() => mission.submitWork(request.sessionId, "again"), /already called/)
      return
    }
    return cooperative([task("A")])(request, registry)
  }
  const { state } = await run(probe)
  assert.ok(checked)
  assert.equal(state.status, "sealed")
})

test("plan attempts are bounded: the mission fails with the validation problems", async () => {
  const cyclic = [task("A", ["B"]), task("B", ["A"])]
  const stubborn: Turn = (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") for (let i = 0; i < 5; i++) try { mission.submitPlan(request.sessionId, cyclic) } catch {}
  }
  const { state, host } = await run(stubborn, { verify: ["true"], maxPlanAttempts: 2 })
  assert.equal(state.status, "failed")
  assert.match(state.endReason!, /no valid plan in 2 attempts: dependency cycle/)
  assert.equal(host.prompts.filter((p) => p.agent === "planner").length, 1, "no reminder after the attempts ran out")
})

test("a master rejection adds its findings as tasks of the next round, bounded by maxMissionRounds", async () => {
  const rejecting: Turn = (request, registry) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "master-reviewer")
      return void mission.submitVerdict(request.sessionId, "verdict", { verdict: "reject", findings: [{ message: "add a README section", file: "README.md" }] })
    return cooperative([task("A")])(request, registry)
  }
  const { state } = await run(rejecting, { verify: ["true"], maxMissionRounds: 2 })
  assert.equal(state.status, "failed")
  assert.deepEqual(state.tasks.map((t) => [t.id, t.round, t.files]), [["A", 1, ["A.txt"]], ["R2-1", 2, ["README.md"]]])
  assert.match(state.endReason!, /after 2 mission rounds/)
})

test("missing verification commands stop the mission before it starts", async () => {
  const registry = new MissionRegistry()
  const host = new FakeHost(async () => {})
  await assert.rejects(startMission({ registry, host, directory: project({}), rootSessionId: "s", goal: "x" }), /No verification command found/)
  assert.equal(host.prompts.length, 0)
})

test("start refusals: an overlong goal, and a second mission in a session whose mission still runs", async () => {
  const registry = new MissionRegistry()
  let release: (() => void) | undefined
  const host = new FakeHost(() => new Promise<void>((resolve) => (release = resolve)))
  const directory = project()
  await assert.rejects(startMission({ registry, host, directory, rootSessionId: "s", goal: "x".repeat(4001) }), /longer than 4000 characters/)
  const first = await startMission({ registry, host, directory, rootSessionId: "s", goal: "one" })
  await assert.rejects(startMission({ registry, host, directory, rootSessionId: "s", goal: "two" }), /A mission is still running in this session/)
  first.mission.stop("test over")
  // The planner may not have been asked yet (the tokenizer loads first); if it was, its turn ends now.
  release?.()
  assert.equal((await first.finished).status, "stopped")
})

test("a child whose model call fails: the failure comes back as a value, and the same attempt runs again after a wait", async () => {
  let failed = false
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    if (request.agent === "worker" && !failed) {
      failed = true
      return { ok: false, error: "APIError: provider said no" }
    }
    await cooperative([task("A")])(request, registry)
  })
  const started = await startMission({ registry, host, directory: project({ verify: ["true"], faults: { backoffSeconds: 0.01 } }), rootSessionId: "s", goal: "x" })
  const state = await started.finished
  assert.equal(state.status, "sealed")
  assert.equal(state.tasks[0]!.attempts, 1, "a provider failure is not the worker's attempt")
  const workerTexts = host.prompts.filter((p) => p.agent === "worker").map((p) => p.text)
  assert.deepEqual(workerTexts.map((text) => text.split("\n")[0]), ["Task A · attempt 1", "Task A · attempt 1"])
  assert.match(readFileSync(started.mission.journalFile, "utf8"), /"work-missing".*the worker session failed: APIError: provider said no/)
})

test("a reviewer that never gives a verdict is a rejection, never an approval", async () => {
  let reviews = 0
  const silentFirstReviewer: Turn = (request, registry) => {
    if (request.agent === "reviewer" && ++reviews <= 2) return // the review and its one reminder
    return cooperative([task("A")])(request, registry)
  }
  const { state, host } = await run(silentFirstReviewer)
  assert.equal(state.status, "sealed")
  assert.equal(state.tasks[0]!.attempts, 2)
  assert.match(host.prompts.filter((p) => p.agent === "worker")[1]!.text, /the reviewer returned no verdict/)
})

test("a worker session that cannot be created fails its task and the mission", async () => {
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => cooperative([task("A")])(request, registry))
  const create = host.createSession.bind(host)
  host.createSession = async (parentId: string, title: string): Promise<HostResult<string>> =>
    title.startsWith("Task ") ? { ok: false, error: "session.create failed: no room" } : create(parentId, title)
  const state = await (await startMission({ registry, host, directory: project(), rootSessionId: "s", goal: "x" })).finished
  assert.equal(state.status, "failed")
  assert.equal(state.tasks[0]!.failReason, "session.create failed: no room")
})

test("an exception inside the engine ends the mission failed, with its report", async () => {
  const registry = new MissionRegistry()
  const host = new FakeHost(async () => {})
  host.createSession = async () => {
    throw new Error("disk on fire")
  }
  const started = await startMission({ registry, host, directory: project(), rootSessionId: "s", goal: "x" })
  const state = await started.finished
  assert.equal(state.status, "failed")
  assert.equal(state.endReason, "engine error: disk on fire")
  assert.match(readFileSync(started.mission.reportFile, "utf8"), /\*\*FAILED\*\*: engine error: disk on fire/)
})

/** A worker that never ends its turn by itself: it loops on tool calls (each counted as the host's hook does) until aborted. */
async function runaway(budget: object) {
  const registry = new MissionRegistry()
  const host: FakeHost = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") return void mission.submitPlan(request.sessionId, [task("A")])
    if (request.agent !== "worker") return
    let refused = 0
    while (!host.aborted.includes(request.sessionId)) {
      if (mission.budgets.noteToolCall(request.sessionId)) refused++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    calls.push(refused)
    return { ok: false, error: "MessageAbortedError: aborted" }
  })
  const calls: number[] = []
  const started = await startMission({ registry, host, directory: project({ verify: ["true"], maxReviewRounds: 1, budget }), rootSessionId: "ses_root", goal: "build it" })
  return { state: await started.finished, calls }
}

test("a worker that loops on tool calls is aborted at its tool-call budget; the attempt fails with the reason", async () => {
  const { state, calls } = await runaway({ toolCalls: 5 })
  assert.equal(state.status, "failed")
  assert.match(state.tasks[0]!.failReason!, /the worker was aborted: the tool-call budget of 5 calls was spent/)
  assert.deepEqual(calls, [1], "one call over the budget was refused, then the session was aborted; no reminder followed")
})

test("a worker that never finishes is aborted at its time budget", async () => {
  const { state } = await runaway({ seconds: 1, toolCalls: 10_000 })
  assert.match(state.tasks[0]!.failReason!, /the worker was aborted: the time budget of 1 s was spent/)
})

/** A mission whose verification prints $ORCHESTRATOR_TEST_API_KEY, set to `secret` while it runs; `turn` plays each child's turn. */
async function missionPrintingKey(secret: string, goal: string, turn: (request: PromptRequest, mission: Mission) => void, config: object = {}) {
  process.env.ORCHESTRATOR_TEST_API_KEY = secret
  try {
    const registry = new MissionRegistry()
    const host = new FakeHost(async (request) => turn(request, registry.binding(request.sessionId)!.mission))
    const started = await startMission({ registry, host, directory: project({ verify: ['echo "the key is $ORCHESTRATOR_TEST_API_KEY"'], ...config }), rootSessionId: "ses_root", goal })
    return { host, mission: started.mission, state: await started.finished }
  } finally {
    delete process.env.ORCHESTRATOR_TEST_API_KEY
  }
}

test("a secret from the environment never reaches the journal, TODO.md or the report, from evidence or from a model", async () => {
  const secret = "sk-test-4f9a8b7c6d5e4f3a2b1c"
  const { mission } = await missionPrintingKey(
    secret,
    `build it with ${secret}`,
    (request, mission) => {
      if (request.agent === "planner") mission.submitPlan(request.sessionId, [{ ...task("A"), description: `use ${secret}` }])
      if (request.agent === "worker") mission.submitWork(request.sessionId, `done with key ${secret}`)
      if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "reject", findings: [{ message: `leaked ${secret}` }] })
    },
    { maxReviewRounds: 1 },
  )
  const files = ["journal.jsonl", "TODO.md", "report.md"].map((name) => readFileSync(path.join(mission.folder, name), "utf8"))
  for (const text of files) assert.ok(!text.includes(secret), text)
  assert.match(files[0]!, /the key is \[redacted ORCHESTRATOR_TEST_API_KEY\]/)
})

test("a secret a verification prints reaches neither reviewer: they are shown the run as recorded", async () => {
  const secret = "sk-test-0a1b2c3d4e5f6a7b8c9d"
  const { host, state } = await missionPrintingKey(secret, "build it", (request, mission) => {
    if (request.agent === "planner") mission.submitPlan(request.sessionId, [task("A")])
    if (request.agent === "worker") mission.submitWork(request.sessionId, "done")
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  assert.equal(state.status, "sealed")
  const reviews = host.prompts.filter((prompt) => prompt.agent === "reviewer" || prompt.agent === "master-reviewer")
  assert.deepEqual([...new Set(reviews.map((prompt) => prompt.agent))], ["reviewer", "master-reviewer"])
  for (const prompt of reviews) {
    assert.ok(!prompt.text.includes(secret), `${prompt.agent}: ${prompt.text}`)
    assert.match(prompt.text, /the key is \[redacted ORCHESTRATOR_TEST_API_KEY\]/, prompt.agent)
  }
})

/** Workers whose model provider fails (as the host reports it: an error on the child's turn) while `failing()` says so. */
function flakyProvider(failing: () => boolean): { registry: MissionRegistry; host: FakeHost } {
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") return void mission.submitPlan(request.sessionId, [task("A"), task("B"), task("C")])
    if (request.agent === "worker" && failing()) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { ok: false, error: "APIError: overloaded" }
    }
    return cooperative([])(request, registry)
  })
  return { registry, host }
}

test("a failing provider: retries back off, concurrency drops, the mission pauses with the reason, and a resume finishes it", async () => {
  const directory = project({ verify: ["true"], concurrency: 3, faults: { backoffSeconds: 0.01, pauseAfter: 4, retriesPerTask: 5 } })
  let down = true
  const failing = flakyProvider(() => down)
  const paused = await (await startMission({ registry: failing.registry, host: failing.host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(paused.status, "paused")
  assert.match(paused.endReason!, /the model provider failed 4 times in a row; last: the worker session failed: APIError: overloaded/)
  const workerCalls = failing.host.prompts.filter((prompt) => prompt.agent === "worker").length
  assert.ok(workerCalls >= 4 && workerCalls <= 6, `${workerCalls} worker calls: no retry storm`)
  assert.ok(paused.tasks.every((item) => item.status !== "failed"), "no task failed for the provider's sake")

  down = false
  const healthy = flakyProvider(() => down)
  const resumed = await (await resumeMission({ registry: healthy.registry, host: healthy.host, directory, rootSessionId: "ses_root_2" })).finished
  assert.equal(resumed.status, "sealed", resumed.endReason)
})

test("provider retries of one task are bounded: past retriesPerTask the task fails with the reason", async () => {
  const failing = flakyProvider(() => true)
  const directory = project({ verify: ["true"], concurrency: 1, faults: { backoffSeconds: 0, pauseAfter: 50, retriesPerTask: 2 } })
  const state = await (await startMission({ registry: failing.registry, host: failing.host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(state.status, "failed")
  assert.match(state.tasks[0]!.failReason!, /the model provider failed 3 times on this task; last: .*overloaded/)
  assert.equal(failing.host.prompts.filter((prompt) => prompt.agent === "worker").length, 3)
})

test("resumes are bounded: a mission that keeps pausing is refused after maxResumes", async () => {
  const directory = project({ verify: ["true"], faults: { backoffSeconds: 0, pauseAfter: 1 } })
  const first = flakyProvider(() => true)
  assert.equal((await (await startMission({ registry: first.registry, host: first.host, directory, rootSessionId: "ses_root", goal: "build it" })).finished).status, "paused")
  for (let resume = 1; resume <= maxResumes; resume++) {
    const again = flakyProvider(() => true)
    const state = await (await resumeMission({ registry: again.registry, host: again.host, directory, rootSessionId: `ses_${resume}` })).finished
    assert.equal(state.status, "paused")
    assert.equal(state.resumes, resume)
  }
  const last = flakyProvider(() => true)
  await assert.rejects(resumeMission({ registry: last.registry, host: last.host, directory, rootSessionId: "ses_last" }), /resumed 10 times already/)
})

test("a planner whose provider fails is retried in the same conversation, uses no plan attempt, and the mission pauses rather than failing", async () => {
  const registry = new MissionRegistry()
  let planner = 0
  const host = new FakeHost(async (request) => {
    if (request.agent !== "planner") return cooperative([task("A")])(request, registry)
    planner++
    return { ok: false, error: "APIError: overloaded" }
  })
  const directory = project({ verify: ["true"], faults: { backoffSeconds: 0.01, pauseAfter: 3, retriesPerTask: 5 } })
  const paused = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(paused.status, "paused", paused.endReason)
  assert.equal(planner, 3)
  assert.equal(paused.planAttempts, 0, "no plan attempt was spent on the provider")
  const sessions = new Set(host.prompts.filter((prompt) => prompt.agent === "planner").map((prompt) => prompt.sessionId))
  assert.equal(sessions.size, 1, "the same conversation goes on")
  assert.match(host.prompts.filter((prompt) => prompt.agent === "planner").at(-1)!.text, /The model provider failed \(retry 2\)/)
  const healthy = new MissionRegistry()
  const resumed = await (await resumeMission({ registry: healthy, host: new FakeHost(async (request) => cooperative([task("A")])(request, healthy)), directory, rootSessionId: "ses_root_2" })).finished
  assert.equal(resumed.status, "sealed", resumed.endReason)
})

test("an engine whose lock is taken over stops at its next heartbeat and writes nothing more to the journal", { timeout: 30_000 }, async () => {
  const registry = new MissionRegistry()
  let taken = false
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "worker" && !taken) {
      taken = true
      // Another process takes the mission over (as after a long freeze): a new owner's lock file.
      const file = path.join(mission.folder, "lock.json")
      writeFileSync(`${file}.new`, JSON.stringify({ pid: process.ppid, hostname: os.hostname(), token: "other", acquiredAt: new Date().toISOString() }))
      renameSync(`${file}.new`, file)
      while (!mission.stopped) await new Promise((resolve) => setTimeout(resolve, 50))
      return
    }
    return cooperative([task("A")])(request, registry)
  })
  const started = await startMission({ registry, host, directory: project(), rootSessionId: "ses_root", goal: "build it" })
  const linesAt = () => readFileSync(started.mission.journalFile, "utf8").split("\n").length
  const state = await started.finished
  assert.equal(state.status, "paused")
  assert.match(state.endReason!, /the mission's lock is now held by pid \d+/)
  const lines = linesAt()
  assert.doesNotMatch(readFileSync(started.mission.journalFile, "utf8"), /mission-pause|mission-end/, "the journal is the new owner's")
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.equal(linesAt(), lines)
  assert.match(readFileSync(path.join(started.mission.folder, "lock.json"), "utf8"), /"token":"other"/, "the new owner's lock stays")
})

test("a spend cap pauses the mission before its next step, warns at 80%, and a resume after raising it finishes without redoing work", async () => {
  const directory = project({ verify: ["true"], concurrency: 1, budget: { missionTokens: 150 } })
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => cooperative([task("A"), task("B", ["A"]), task("C", ["B"])])(request, registry))
  host.perPrompt = { input: 20, output: 5, cacheRead: 5, cost: 0.01 }
  const paused = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(paused.status, "paused")
  assert.match(paused.endReason!, /^the mission spent 1\d\d of its 150-token cap \(raise "budget\.missionTokens"/)
  assert.ok(host.toasts.some((toast) => /^Spend warning: the mission spent 1\d\d of its 150-token cap \(\d+%\)$/.test(toast)), host.toasts.join("\n"))
  const prompted = host.prompts.length
  assert.ok(paused.tasks.some((item) => item.status !== "approved"), "it stopped before the end")
  const approvedBefore = paused.tasks.filter((item) => item.status === "approved").map((item) => item.id)

  // Resumed with the same cap: it pauses again at once, asking no model.
  const again = new MissionRegistry()
  const idle = new FakeHost(async (request) => cooperative([])(request, again))
  assert.equal((await (await resumeMission({ registry: again, host: idle, directory, rootSessionId: "ses_root_2" })).finished).status, "paused")
  assert.equal(idle.prompts.length, 0)

  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["true"], concurrency: 1, budget: { missionTokens: 100_000 } }))
  const healthy = new MissionRegistry()
  const resumedHost = new FakeHost(async (request) => cooperative([])(request, healthy))
  const resumed = await (await resumeMission({ registry: healthy, host: resumedHost, directory, rootSessionId: "ses_root_3" })).finished
  assert.equal(resumed.status, "sealed", resumed.endReason)
  for (const id of approvedBefore) assert.equal(resumedHost.prompts.filter((prompt) => prompt.agent === "worker" && prompt.text.startsWith(`Task ${id} ·`)).length, 0, `${id} was not redone`)
  assert.ok(prompted > 0)
  const report = readFileSync(path.join(path.dirname(started(resumed)), "report.md"), "utf8")
  assert.match(report, /## Spend \(as reported by the host\)/)
  assert.match(report, /\| worker \| \d+ \| \d+ \| 0 \| \d+ \| 0 \| 0\.\d{4} \|/)
})

/** The mission folder of a state's journal, for reading its files. */
function started(state: { directory: string; missionId: string }): string {
  return path.join(state.directory, ".opencode", "orchestrator", state.missionId, "journal.jsonl")
}

test("a planner's provider retries are bounded: past retriesPerTask the mission fails with the reason, without pausing", async () => {
  const registry = new MissionRegistry()
  const host = new FakeHost(async () => ({ ok: false, error: "APIError: overloaded" }))
  const directory = project({ verify: ["true"], faults: { backoffSeconds: 0, pauseAfter: 50, retriesPerTask: 1 } })
  const state = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(state.status, "failed")
  assert.match(state.endReason!, /^no plan: the model provider failed 2 times; last: the planner session failed: APIError: overloaded/)
  assert.equal(host.prompts.filter((prompt) => prompt.agent === "planner").length, 2)
})

test("a master reviewer's provider failure is retried in the same conversation, not taken for a reject; the model's slots record it", async () => {
  let masterPrompts = 0
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request): Promise<HostResult<void> | void> => {
    if (request.agent === "master-reviewer" && ++masterPrompts === 1) return { ok: false, error: "APIError: overloaded" }
    cooperative([task("A")])(request, registry)
  })
  const directory = project({ verify: ["true"], faults: { backoffSeconds: 0 } })
  const state = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "build it" })).finished
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(state.round, 1, "no second round from a failure that was no verdict")
  const masters = host.prompts.filter((prompt) => prompt.agent === "master-reviewer")
  assert.equal(masters.length, 2)
  assert.equal(masters[1]!.sessionId, masters[0]!.sessionId)
  assert.match(masters[1]!.text, /The model provider failed \(retry 1\)/)
  // Halved by the failure (3 → 1), one back after the retry succeeded.
  assert.deepEqual(state.slotChanges, [{ model: "(agent model)", slots: 1, reason: "overload" }, { model: "(agent model)", slots: 2, reason: "success" }])
})

test("once a submission's step has ended, its usage is recorded and the task goes on while the turn closes; the session's next message and the mission's end wait for that close", async () => {
  const registry = new MissionRegistry()
  const log: string[] = []
  let reviews = 0
  let steps = 0
  let reviewerAsked!: () => void
  const askedReviewer = new Promise<void>((resolve) => (reviewerAsked = resolve))
  const bounded = (wait: Promise<void>) => Promise.race([wait, new Promise<void>((resolve) => setTimeout(resolve, 3000))])
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    const step = `msg_${++steps}`
    if (request.agent === "planner") mission.submitPlan(request.sessionId, [task("A")], step)
    if (request.agent === "worker") {
      log.push(`worker asked (${mission.state.tasks[0]!.attempts})`)
      mission.submitWork(request.sessionId, "done", step)
      // The first attempt's turn closes only once its task has gone on to the review (3 s at most), and a little after.
      if (mission.state.tasks[0]!.attempts === 1) await bounded(askedReviewer).then(() => new Promise((resolve) => setTimeout(resolve, 100)))
      log.push("worker turn ended")
    }
    if (request.agent === "reviewer") {
      log.push("reviewer asked")
      reviewerAsked()
      mission.submitVerdict(request.sessionId, "review", ++reviews === 1 ? { verdict: "reject", findings: [{ message: "again" }] } : { verdict: "approve", findings: [] }, step)
    }
    if (request.agent === "master-reviewer") {
      mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] }, step)
      await new Promise((resolve) => setTimeout(resolve, 50))
      log.push("master turn ended")
    }
  })
  const started = await startMission({ registry, host, directory: project(), rootSessionId: "ses_root", goal: "build it" })
  const journal = () => readFileSync(started.mission.journalFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type: string; role?: string; attempt?: number; sessionId?: string })
  const state = await started.finished
  log.push("mission ended")
  assert.equal(state.status, "sealed", state.endReason)
  assert.deepEqual(log.filter((line) => !line.startsWith("reviewer")), ["worker asked (1)", "worker turn ended", "worker asked (2)", "worker turn ended", "master turn ended", "mission ended"])
  // The review began before the first worker turn had ended.
  assert.ok(log.indexOf("reviewer asked") < log.indexOf("worker turn ended"), log.join("\n"))
  // Each submitting conversation's usage came before what the engine did next: the worker's before its review started.
  const events = journal()
  const workerUsage = events.findIndex((event) => event.type === "usage-update" && event.role === "worker" && event.attempt === 1)
  const firstReview = events.findIndex((event) => event.type === "review-end")
  assert.ok(workerUsage >= 0 && workerUsage < firstReview, events.map((event) => event.type).join(" "))
  // Every conversation's usage is in the journal, and their tallies were let go at the end.
  const sessions = new Set(host.prompts.map((prompt) => prompt.sessionId))
  for (const session of sessions) assert.ok(events.some((event) => event.type === "usage-update" && event.sessionId === session), session)
  assert.deepEqual(new Set(host.forgotten), sessions)
})
