// `opencode-orchestrator run "<mission>"` and `resume [<id>]`: a mission through `opencode serve`
// and the SDK, followed from its journal (the engine's own record) until it ends. The exit code is
// the outcome's (mission/mission-outcome.ts). Ctrl-C stops the mission the way Esc does in the
// TUI: the commander's turn is aborted, the engine stops its workers and cleans their worktrees.
import path from "node:path"
import { missionIds, peekJournal } from "../store/mission-files.js"
import { errorText } from "../host/opencode-host.js"
import type { MissionState } from "../mission/mission-state.js"
import type { JournalEntry } from "../mission/mission-event.js"
import { missionsFolder } from "../mission/mission.js"
import { missionOutcome, missionSettled, outcomeExitCodes, outcomeLine } from "../mission/mission-outcome.js"
import { plainLine, progressBlock } from "./progress-view.js"
import { startServedHost, type ServedHost } from "./served-host.js"

export interface RunOptions {
  directory: string
  binary: string
  /** A new mission's goal, or the mission to resume (`""`: the newest unfinished one). */
  mission: { goal: string } | { resume: string }
  json: boolean
  tty: boolean
  write(text: string): void
  /** Where the closing lines go under `--json` (stdout then holds journal events only). */
  writeError(text: string): void
  /** How often the journal is read (ms). */
  pollMs?: number
  /** The host's environment (default: this process's). */
  env?: NodeJS.ProcessEnv
  /**
   * `--clarify`: the goal goes to the commander as a message instead of `/task`, so it may ask a
   * question before it starts the mission; each question is put to `answer` (at most
   * `maxClarifications` times). No answer: the run ends, not started, with the question shown.
   */
  clarify?: boolean
  answer?: (question: string) => Promise<string | undefined>
  /** Aborted: the mission is stopped as by a first Ctrl-C (the eval suite's time bound). */
  signal?: AbortSignal
}

/** Questions a `--clarify` run answers before it gives up on the mission starting. */
export const maxClarifications = 3

/** How a followed mission ended, for callers that measure it (the eval suite). */
export interface FollowedMission {
  exitCode: number
  sessionId?: string
  missionId?: string
  state?: MissionState
  /** Questions the commander asked and got answered before the mission started. */
  clarifications: number
}

/** Exit code when the mission did not start, or the host failed: the same as the host's own. */
export const notStartedExitCode = 1
/** After a second Ctrl-C, which does not wait for the mission to stop. */
export const interruptedExitCode = 130

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A poll of the journal: a line being written is seen whole at the next one. */
const readMission = (directory: string, missionId: string): { state?: MissionState; entries: JournalEntry[] } => peekJournal(directory, missionId) ?? { entries: [] }

/** The mission a root session drives: a new folder (run), or the resumed one once it names the session. */
function findMission(directory: string, sessionId: string, known: Set<string>, resumeId?: string): string | undefined {
  const candidates = resumeId ? [resumeId] : missionIds(directory).filter((id) => !known.has(id) || resumeId === "")
  for (const id of candidates) if (readMission(directory, id).state?.rootSessionId === sessionId) return id
  return undefined
}

export async function runMissionCommand(options: RunOptions): Promise<number> {
  let host: ServedHost
  try {
    host = await startServedHost({ binary: options.binary, directory: options.directory, env: options.env })
  } catch (error) {
    options.write(`Could not start OpenCode: ${error instanceof Error ? error.message : String(error)}\n`)
    return notStartedExitCode
  }
  try {
    return (await followMission(host, options)).exitCode
  } finally {
    await host.stop()
  }
}

/** The commander's latest words: the question a `--clarify` run puts to its answerer. */
async function lastCommanderText(host: ServedHost, sessionId: string): Promise<string> {
  const messages = (await host.client.session.messages({ path: { id: sessionId } }).catch(() => undefined))?.data ?? []
  const last = messages.filter((message) => message.info.role === "assistant").at(-1)
  return (last?.parts ?? []).flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n").trim()
}

/** Starts (or resumes) a mission on a served host and follows it to its end; the host is left running. */
export async function followMission(host: ServedHost, options: RunOptions): Promise<FollowedMission> {
  const write = options.write
  const known = new Set(missionIds(options.directory))
  const startedAt = Date.now()
  let interrupts = 0
  let sessionId: string | undefined
  const onInterrupt = () => {
    interrupts++
    if (interrupts === 1 && sessionId) {
      options.writeError("\nStopping the mission (Ctrl-C again to quit at once)…\n")
      void host.client.session.abort({ path: { id: sessionId } }).catch(() => {})
    }
  }
  process.on("SIGINT", onInterrupt)
  // Killed (SIGTERM, a closed terminal): the server is in a process group of its own, so that
  // Ctrl-C reaches only us; it goes with us. The mission stays resumable, as after a crash.
  const onTerminate = (signal: NodeJS.Signals) => void host.stop().finally(() => process.exit(signal === "SIGHUP" ? 129 : 143))
  process.once("SIGTERM", onTerminate)
  process.once("SIGHUP", onTerminate)
  try {
    const agents = await host.client.app.agents()
    if (!agents.data?.some((agent) => agent.name === "commander")) {
      write("The orchestrator plugin is not loaded in this project's OpenCode: run `opencode-orchestrator install` (then `opencode-orchestrator doctor`).\n")
      return { exitCode: notStartedExitCode, clarifications: 0 }
    }
    const goal = "goal" in options.mission ? options.mission.goal : undefined
    const session = await host.client.session.create({ body: { title: goal ? `Mission: ${goal.slice(0, 60)}` : "Mission resume" } })
    if (!session.data) {
      write(`OpenCode refused a new session: ${errorText(session.error)}\n`)
      return { exitCode: notStartedExitCode, clarifications: 0 }
    }
    sessionId = session.data.id
    const resumeId = "resume" in options.mission ? options.mission.resume : undefined
    // The turn lasts as long as the mission: it is followed from the journal meanwhile.
    let turnError: string | undefined
    let turnOver = false
    const id = sessionId
    const follow = (request: Promise<{ data?: { info?: unknown }; error?: unknown }>) =>
      request
        .then((result) => {
          const info = result.data?.info as { error?: unknown } | undefined
          if (result.error || info?.error) turnError = errorText(result.error ?? info?.error)
        })
        .catch((error: unknown) => void (turnError = errorText(error)))
        .finally(() => void (turnOver = true))
    const say = (text: string) => follow(host.client.session.prompt({ path: { id }, body: { agent: "commander", parts: [{ type: "text", text }] } }))
    let turn =
      goal !== undefined && options.clarify
        ? say(goal)
        : follow(host.client.session.command({ path: { id }, body: { command: goal !== undefined ? "task" : "resume-mission", arguments: goal ?? resumeId ?? "", agent: "commander" } }))
    let clarifications = 0
    let question: string | undefined

    let missionId: string | undefined
    let printed = 0
    let drawn = 0
    let state: MissionState | undefined
    let entries: JournalEntry[] = []
    const draw = () => {
      if (options.json) {
        for (const entry of entries.slice(printed)) write(`${JSON.stringify(entry)}\n`)
      } else if (options.tty) {
        const block = progressBlock(state, entries, Date.now() - startedAt, process.stdout.columns || 100)
        write(`${drawn ? `\x1b[${drawn}F\x1b[J` : ""}${block.join("\n")}\n`)
        drawn = block.length
      } else {
        for (const entry of entries.slice(printed)) {
          const line = plainLine(entry, startedAt)
          if (line) write(`${line}\n`)
        }
      }
      printed = entries.length
    }
    // Bounded: the mission's own time limits end it; a host that went away ends this loop too.
    let hostGone = false
    void host.exited.then(() => void (hostGone = true))
    let stopSent = false
    while (interrupts < 2 && !hostGone) {
      if (options.signal?.aborted && !stopSent) {
        stopSent = true
        void host.client.session.abort({ path: { id } }).catch(() => {})
      }
      if (!missionId) {
        missionId = findMission(options.directory, sessionId, known, resumeId)
        // A resumed mission's history was shown by the run that made it: this one shows from its resume on.
        if (missionId && resumeId !== undefined) {
          const history = readMission(options.directory, missionId).entries
          printed = history.map((entry) => entry.type === "mission-resume" && entry.rootSessionId === sessionId).lastIndexOf(true)
          printed = Math.max(0, printed)
        }
      }
      if (missionId) ({ state, entries } = readMission(options.directory, missionId))
      if (missionId || options.tty) draw()
      if (state && missionSettled(state)) break
      if (turnOver && !missionId) {
        // The turn ended before any mission named this session: it did not start, unless the
        // commander asked a question (--clarify) that gets an answer.
        missionId = findMission(options.directory, sessionId, known, resumeId)
        if (missionId) continue
        if (!options.clarify || turnError || clarifications >= maxClarifications) break
        question = await lastCommanderText(host, id)
        const answer = question ? await options.answer?.(question) : undefined
        if (!answer) break
        clarifications++
        question = undefined
        turnOver = false
        turn = say(answer)
        continue
      }
      await sleep(options.pollMs ?? 250)
    }
    const ended = (exitCode: number): FollowedMission => ({ exitCode, sessionId, missionId, state, clarifications })
    if (interrupts >= 2) return ended(interruptedExitCode)
    if (!missionId || !state) {
      const why = question ? `the commander asked: ${question}\n(answer with --answer "…", or run it in a terminal)` : "the commander's turn ended without one"
      write(`No mission started: ${turnError ?? (hostGone ? `OpenCode exited:\n${host.output().slice(-2000)}` : why)}\n`)
      return ended(notStartedExitCode)
    }
    // The commander's last step is recorded after the mission ends: wait for its turn, briefly.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([turn, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))])
    clearTimeout(timer)
    const final = readMission(options.directory, missionId)
    const last: MissionState = final.state ?? state
    if (final.state) ({ state, entries } = final)
    draw()
    const outcome = missionOutcome(last)
    ;(options.json ? options.writeError : write)(`${outcomeLine(last)}\nReport: ${path.join(options.directory, missionsFolder, missionId, "report.md")}\n`)
    return ended(outcome ? outcomeExitCodes[outcome] : notStartedExitCode)
  } finally {
    process.off("SIGINT", onInterrupt)
    process.off("SIGTERM", onTerminate)
    process.off("SIGHUP", onTerminate)
  }
}
