// One eval run: a mission in a fresh copy of its seed, orchestrated (through the same code as
// `opencode-orchestrator run`) or by one plain OpenCode `build` agent, on the scripted model or a
// real one; then the project's visible tests and the hidden tests decide it. Bounded in code: a
// wall time (the mission is stopped, then the host), and the mission's token and dollar caps (the
// single agent's are checked on its session's usage and end its turn).
import { execFileSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { followMission, type FollowedMission } from "../cli/run-command.js"
import { startServedHost, type ServedHost } from "../cli/served-host.js"
import { missionOutcome } from "../mission/mission-outcome.js"
import { addSpend, noSpend, sumSpend, totalTokens, type Spend } from "../economy/spend.js"
import { recordValues } from "../collections/sharded-record.js"
import { sessionUsage } from "../economy/session-usage.js"
import { startScriptedModel, type ScriptedModelServer } from "../scripted-model/server.js"
import { messageText } from "../scripted-model/request-facts.js"
import { isolatedHostEnvironment } from "../testing/host-environment.js"
import { missingCommands, readTree, type EvalMission } from "./eval-mission.js"
import { checkProject, hiddenOnSeed, prepareProject, type CheckRun, type RunBounds } from "./eval-project.js"
import { orchestratedScenario, singleAgentScenario, type ScriptedVariant } from "./eval-scenarios.js"

export type EvalMode = "orchestrated" | "single"

export interface EvalRunSpec {
  mission: EvalMission
  mode: EvalMode
  /** On the scripted model: which of the mission's scripted runs. Unset: a real model (`model`, or the host's default). */
  variant?: ScriptedVariant
  model?: string
}

export interface EvalRunOptions {
  binary: string
  /** A folder of this run's own (its project, host home and log go there). */
  folder: string
  bounds: RunBounds
  signal?: AbortSignal
}

export interface EvalResult {
  mission: string
  shape: string
  language: string
  mode: EvalMode
  /** "solve" or "wrong" on the scripted model; "model" on a real one. */
  scenario: ScriptedVariant | "model"
  model: string
  /** The hidden tests passed: the only way to succeed. */
  success: boolean
  skipped?: string
  error?: string
  /** The orchestrated mission's outcome (landed, kept, failed, paused, stopped); the single agent has none. */
  outcome?: string
  /** The project's own tests, run by the harness on the result. */
  visible?: CheckRun
  hidden?: CheckRun
  /** The hidden tests on the untouched seed, before the run: they must fail. */
  control?: CheckRun
  /** On the scripted model: whether any request it received quoted a hidden test (then the run cannot succeed). */
  hiddenSeen?: boolean
  sandboxed: boolean
  wallMs: number
  /** Model requests, as the host recorded them (one per assistant message). */
  requests: number
  /** Requests the scripted model received (title requests left out): the same count, seen from the other side. */
  scriptedRequests?: number
  tokens: Spend["tokens"]
  totalTokens: number
  cost: number
  rounds?: number
  tasks?: number
  attempts?: number
  clarifications: number
  /** The bound that ended it: time or budget. */
  bound?: "time" | "budget"
  project: string
  log: string
}

/** The project changed (the agent did something): anything git sees, committed or not. */
function untouched(project: string): boolean {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" })
  return git("status", "--porcelain").trim() === "" && git("rev-list", "--count", "HEAD").trim() === "1"
}

/** Did a request quote a hidden test? Each hidden file is known by its longest line. */
export function quotesHiddenTests(mission: EvalMission, model: Pick<ScriptedModelServer, "requests">): boolean {
  const marks = [...readTree(path.join(mission.folder, "hidden")).values()].map((text) => text.split("\n").map((line) => line.trim()).sort((a, b) => b.length - a.length)[0]!).filter((line) => line.length >= 20)
  return model.requests.some((request) => {
    const body = request.messages.map(messageText).join("\n")
    return marks.some((mark) => body.includes(mark))
  })
}

interface Measured {
  spend: Spend
  requests: number
  clarifications: number
  outcome?: string
  rounds?: number
  tasks?: number
  attempts?: number
  bound?: "time" | "budget"
}

/** The run's log: where progress goes, and what it holds so far. */
interface RunLog {
  write(text: string): void
  said(): string
}

async function orchestrated(host: ServedHost, spec: EvalRunSpec, project: string, binary: string, log: RunLog, signal: AbortSignal): Promise<Measured> {
  const answer = spec.mission.spec.clarification
  let answered = false
  const followed: FollowedMission = await followMission(host, {
    directory: project,
    binary,
    mission: { goal: spec.mission.spec.goal },
    json: false,
    tty: false,
    write: log.write,
    writeError: log.write,
    // The mission's words leave a question open: the commander may ask it, and is answered once.
    clarify: answer !== undefined,
    answer: async () => (answered ? undefined : ((answered = true), answer)),
    signal,
  })
  const state = followed.state
  // The commander's whole conversation, its questions before the mission too (the mission's own
  // account starts at its launch); every other role's from the mission's journal.
  const commander = followed.sessionId ? sessionUsage((await host.client.session.messages({ path: { id: followed.sessionId } })).data ?? []) : { ...noSpend(), requests: 0 }
  if (!state) throw new Error(`no mission started (exit ${followed.exitCode}): ${log.said().trim().split("\n").at(-1) ?? ""}`)
  const paused = state.status === "paused" && /"budget\./.test(state.endReason ?? "")
  const others = recordValues(state.usage).filter((usage) => usage.role !== "commander")
  return {
    spend: addSpend(commander, sumSpend(state.spend.filter((entry) => entry.role !== "commander"))),
    requests: commander.requests + others.reduce((sum, usage) => sum + (usage.requests ?? 0), 0),
    clarifications: followed.clarifications,
    outcome: missionOutcome(state),
    rounds: state.round,
    tasks: state.tasks.length,
    attempts: state.tasks.reduce((sum, task) => sum + task.attempts, 0),
    bound: signal.aborted ? "time" : paused ? "budget" : undefined,
  }
}

async function singleAgent(host: ServedHost, spec: EvalRunSpec, project: string, bounds: RunBounds, signal: AbortSignal): Promise<Measured> {
  const created = await host.client.session.create({ body: { title: `Eval: ${spec.mission.id}` } })
  if (!created.data) throw new Error(`OpenCode refused a session: ${JSON.stringify(created.error)}`)
  const id = created.data.id
  const usage = async () => sessionUsage((await host.client.session.messages({ path: { id } })).data ?? [])
  let bound: Measured["bound"]
  const stop = (why: "time" | "budget") => {
    bound ??= why
    void host.client.session.abort({ path: { id } }).catch(() => {})
  }
  const onAbort = () => stop("time")
  signal.addEventListener("abort", onAbort, { once: true })
  // The same caps the orchestrated mission has, checked on the session's usage while it works.
  const watch = setInterval(() => {
    void usage()
      .then((used) => (totalTokens(used) >= bounds.tokens || used.cost >= bounds.dollars) && stop("budget"))
      .catch(() => {})
  }, 2000)
  const say = (text: string) => host.client.session.prompt({ path: { id }, body: { agent: "build", parts: [{ type: "text", text }] } })
  let clarifications = 0
  try {
    await say(spec.mission.spec.goal)
    const answer = spec.mission.spec.clarification
    // It asked instead of working (it changed nothing): the same one answer the commander gets.
    if (answer && !bound && untouched(project)) {
      clarifications++
      await say(answer)
    }
  } finally {
    clearInterval(watch)
    signal.removeEventListener("abort", onAbort)
  }
  const used = await usage()
  return { spend: used, requests: used.requests, clarifications, bound }
}

export async function runEval(spec: EvalRunSpec, options: EvalRunOptions): Promise<EvalResult> {
  const { mission, mode } = spec
  mkdirSync(options.folder, { recursive: true })
  const project = path.join(options.folder, "project")
  const log = path.join(options.folder, "run.log")
  let logged = ""
  const write = (text: string) => void (logged += text)
  const base = {
    mission: mission.id,
    shape: mission.spec.shape,
    language: mission.spec.language,
    mode,
    scenario: spec.variant ?? ("model" as const),
    model: spec.variant ? "scripted" : (spec.model ?? "(the host's default)"),
    project,
    log,
  }
  const started = Date.now()
  // What a run that did not get to measure anything reports.
  const unmeasured = { ...base, success: false, sandboxed: false, requests: 0, tokens: noSpend().tokens, totalTokens: 0, cost: 0, clarifications: 0 }
  const missing = missingCommands(mission)
  if (missing.length) return { ...unmeasured, skipped: `${missing.join(", ")} not found`, wallMs: 0 }

  const control = await hiddenOnSeed(mission, path.join(options.folder, "control"))
  if (control.passed) return { ...unmeasured, error: `the hidden tests pass on the untouched seed, so they measure nothing here:\n${control.output}`, control, wallMs: 0 }
  prepareProject(mission, project, { bounds: options.bounds, model: spec.model })
  let model: ScriptedModelServer | undefined
  let host: ServedHost | undefined
  const timeUp = new AbortController()
  const relay = () => timeUp.abort()
  options.signal?.addEventListener("abort", relay, { once: true })
  // Time is up: the mission is stopped; a minute later, whatever is left goes with the host.
  const soft = setTimeout(() => timeUp.abort(), options.bounds.seconds * 1000)
  const hard = setTimeout(() => void host?.stop(), options.bounds.seconds * 1000 + 60_000)
  try {
    let env: NodeJS.ProcessEnv = process.env
    if (spec.variant) {
      model = await startScriptedModel({ scenario: mode === "orchestrated" ? orchestratedScenario(mission, spec.variant) : singleAgentScenario(mission, spec.variant) })
      env = isolatedHostEnvironment({ home: path.join(options.folder, "host-home"), modelUrl: model.url })
    }
    host = await startServedHost({ binary: options.binary, directory: project, env })
    const measured = mode === "orchestrated" ? await orchestrated(host, spec, project, options.binary, { write, said: () => logged }, timeUp.signal) : await singleAgent(host, spec, project, options.bounds, timeUp.signal)
    await host.stop()
    const checks = await checkProject(mission, project)
    const hiddenSeen = model ? quotesHiddenTests(mission, model) : undefined
    return {
      ...base,
      success: checks.hidden.passed && !hiddenSeen,
      ...(hiddenSeen ? { error: "a request to the model quoted a hidden test" } : {}),
      hiddenSeen,
      control,
      outcome: measured.outcome,
      visible: checks.visible,
      hidden: checks.hidden,
      sandboxed: checks.sandboxed,
      wallMs: Date.now() - started,
      requests: measured.requests,
      ...(model ? { scriptedRequests: model.requests.filter((request) => request.agent !== "title").length } : {}),
      tokens: measured.spend.tokens,
      totalTokens: totalTokens(measured.spend),
      cost: measured.spend.cost,
      rounds: measured.rounds,
      tasks: measured.tasks,
      attempts: measured.attempts,
      clarifications: measured.clarifications,
      bound: measured.bound,
    }
  } catch (error) {
    write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return { ...unmeasured, control, error: error instanceof Error ? error.message : String(error), wallMs: Date.now() - started }
  } finally {
    clearTimeout(soft)
    clearTimeout(hard)
    options.signal?.removeEventListener("abort", relay)
    await host?.stop()
    await model?.close()
    if (host) write(`\n--- opencode serve ---\n${host.output().slice(-20_000)}`)
    writeFileSync(log, logged)
  }
}
