import type { Hooks, PluginInput } from "@opencode-ai/plugin"
import { agentDefinitions, resumeCommandTemplate, taskCommandTemplate, hideOursFromUserAgents, type AgentDefinition } from "../agents/agents.js"
import { resumeMission } from "../engine/resume-mission.js"
import { unfinishedMissions } from "../store/mission-files.js"
import { loadConfig } from "../config/config.js"
import { startMission } from "../engine/start-mission.js"
import { machineVerifyLimit } from "../engine/engine.js"
import { ModelSlots } from "../concurrency/model-slots.js"
import { OpencodeHost } from "../host/opencode-host.js"
import { PromptGate } from "../host/prompt-gate.js"
import { UsageTally } from "../economy/usage-tally.js"
import { refuseToolCall, writtenFiles } from "../guard/tool-guard.js"
import { sandboxVariable } from "../sandbox/command-sandbox.js"
import { shellQuote } from "../sandbox/bwrap-arguments.js"
import { stopReasons } from "../mission/mission-event.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import type { MissionState } from "../mission/mission-state.js"
import { isHeadlessRun } from "../host/headless-run.js"
import { commanderStepUpdate } from "../economy/commander-spend.js"
import { ChildHistory } from "./child-history.js"
import { missionTools } from "../tools/mission-tools.js"
import { inMissionWorktree } from "../workspace/worktree-ops.js"

/** How a child's turn ends once its submission is taken (shown in its session, not to the user). */
const submissionTakenMessage = "Submission taken by the orchestrator; this turn is over."

function safely<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/** The project's orchestrator.json for the agents' settings; a broken one is reported when a mission starts. */
function projectConfig(directory: string) {
  return safely(() => loadConfig(directory))
}

/**
 * The process-wide orchestrator. The host evaluates our module once per process and calls the
 * plugin once per directory instance; every instance shares this one registry and gate.
 */
export function createOrchestrator() {
  const registry = new MissionRegistry()
  const gate = new PromptGate()
  // Our child conversations' usage from the host's events, whichever instance's hook sees them.
  const tally = new UsageTally()
  const history = new ChildHistory(registry)
  const finished = new Map<string, Promise<MissionState>>()
  /**
   * Root sessions whose next commander model call fails with this message instead of running.
   * The host shows it as the session's error, and `opencode run` exits non-zero: how a start
   * error or an unsealed mission reaches the user without a model speaking for it. Every
   * commander call fails until the session goes idle after one did (so no retry slips through).
   */
  const failNextTurn = new Map<string, { message: string; failed: boolean }>()
  const failTurn = (sessionId: string, message: string) => failNextTurn.set(sessionId, { message, failed: false })
  /** Root sessions whose followed mission ended in the turn that is still going (cleared when it goes idle). */
  const endedThisTurn = new Set<string>()
  /** Missions whose commander's turn is over: its later steps are not theirs to count. */
  const closedAccounts = new Set<string>()
  /** Each sandboxed bash call's launcher, by call id, until its shell starts. */
  const launchers = new Map<string, string>()
  // `opencode run`: the host process exits when the turn ends, with `process.exitCode` unless the turn failed.
  const announceEnd = !isHeadlessRun()
  // Every mission of this process verifies within what the machine allows.
  const machineVerify = machineVerifyLimit()
  // Every mission of this process shares the adaptive slots of each provider/model.
  const modelSlots = new ModelSlots()
  // `opencode run` shows a tool's title only when the call ends: milestones go to stderr meanwhile.
  const onProgress = isHeadlessRun() ? (line: string) => void process.stderr.write(`orchestrator: ${line}\n`) : undefined
  const setExitCode = isHeadlessRun() ? (code: number) => void (process.exitCode = code) : undefined

  async function instance(input: PluginInput): Promise<Hooks> {
    const host = new OpencodeHost(input.client, gate, tally)
    // A refusal is for the turn it was made in: whatever starts next clears it first.
    const start = async (rootSessionId: string, goal: string) => {
      failNextTurn.delete(rootSessionId)
      const started = await startMission({ registry, host, directory: input.directory, rootSessionId, goal, announceEnd, onProgress, machineVerify, modelSlots })
      finished.set(started.mission.id, started.finished)
      return started
    }
    const resume = async (rootSessionId: string, missionId: string) => {
      failNextTurn.delete(rootSessionId)
      const started = await resumeMission({ registry, host, directory: input.directory, rootSessionId, missionId, announceEnd, onProgress, machineVerify, modelSlots })
      finished.set(started.mission.id, started.finished)
      return started
    }
    // Offered when the plugin starts in a project with a recent mission its process did not finish.
    const unfinished = safely(() => unfinishedMissions(input.directory, 5)) ?? []
    if (unfinished.length) host.toast(`Unfinished mission ${unfinished[0]}: /resume-mission to go on`, "warning")

    return {
      async config(config) {
        // Add ours; never replace or remove the user's agents, command or permissions, never touch default_agent.
        config.agent ??= {}
        for (const [name, mine] of Object.entries(agentDefinitions({ workerWeb: projectConfig(input.directory)?.workerWeb }))) {
          // The user's own settings for our agents win (a model, a stricter permission).
          const theirs = (config.agent[name] ?? {}) as Partial<AgentDefinition>
          config.agent[name] = { ...mine, ...theirs, permission: { ...mine.permission, ...theirs.permission } } as never
        }
        // Our tools and subagents exist for our agents only; each of our agents allows its own tools.
        config.permission = hideOursFromUserAgents(config.permission) as typeof config.permission
        config.command ??= {}
        config.command.task ??= { template: taskCommandTemplate, description: "Run a verified multi-agent mission", agent: "commander" }
        config.command["resume-mission"] ??= { template: resumeCommandTemplate, description: "Resume a mission whose process ended (optional: its id)", agent: "commander" }
        // An instance of one of our worktrees serves only our children: no host file snapshots
        // there. The engine commits each attempt; the host's copy of the tree at every step (dozens
        // of git processes a task) would only cost time, and its undo would change a task's files
        // behind the engine. The user's own instances keep their setting.
        if (inMissionWorktree(input.directory)) config.snapshot = false
      },

      tool: missionTools({
        registry,
        start,
        finished: (id) => finished.get(id),
        onUnsealed: failTurn,
        setExitCode,
        endedThisTurn,
      }),

      async "command.execute.before"(command) {
        if (command.command !== "task" && command.command !== "resume-mission") return
        // Starts deterministically, whatever the model does next. A start error thrown here would
        // reach the user as an opaque HTTP 500, so it fails the command's model turn instead.
        try {
          if (command.command === "task") await start(command.sessionID, command.arguments)
          else await resume(command.sessionID, command.arguments)
        } catch (error) {
          failTurn(command.sessionID, error instanceof Error ? error.message : String(error))
        }
      },

      async event({ event }) {
        const idleSession =
          event.type === "session.idle" || (event.type === "session.status" && event.properties.status.type === "idle") ? event.properties.sessionID : undefined
        // The host is waiting out a 429 or 5xx for one of our conversations: its model's slots shrink now, and honour the wait.
        if (event.type === "session.status" && event.properties.status.type === "retry") modelSlots.retrying(event.properties.sessionID, event.properties.status.next)
        if (idleSession) {
          gate.observe(idleSession, "idle")
          endedThisTurn.delete(idleSession)
          if (failNextTurn.get(idleSession)?.failed) failNextTurn.delete(idleSession)
          // The commander's turn is over once its session rests after the mission ended: later turns are the user's.
          const mission = registry.forRoot(idleSession)
          if (mission && mission.state.status !== "running") closedAccounts.add(mission.id)
        } else if (event.type === "message.updated" && event.properties.info.role === "assistant") {
          const step = event.properties.info
          tally.observe(step)
          // The commander's own steps, the one that ran the mission included (its usage comes after the end).
          const mission = registry.forRoot(step.sessionID)
          const update = mission && !closedAccounts.has(mission.id) ? commanderStepUpdate(mission.state, step) : undefined
          if (update) mission!.recordLate(update)
        } else if (event.type === "session.status") gate.observe(event.properties.sessionID, "busy")
        else if (event.type === "session.error" && event.properties.sessionID && event.properties.error?.name === "MessageAbortedError") {
          // Esc ends the turn: a refusal made for it, or for a message queued behind it, goes with it.
          failNextTurn.delete(event.properties.sessionID)
          const mission = registry.forRoot(event.properties.sessionID)
          if (mission?.state.status === "running") mission.stop(stopReasons.userAbort)
        }
      },

      async "chat.params"(request) {
        const binding = registry.binding(request.sessionID)
        if (binding && binding.role !== "commander") {
          // A child whose submission was taken has nothing left to do: the closing request that would
          // show it the tool's result is not sent (a throw here ends the turn before any request; the
          // submitting step was recorded in full, its usage too). Code's words only: no retry.
          if (binding.mission.slotSpent(request.sessionID)) throw new Error(submissionTakenMessage)
          // A child conversation's time budget runs from its first model request.
          binding.mission.budgets.noteModelRequest(request.sessionID)
        }
        const pending = failNextTurn.get(request.sessionID)
        if (!pending || request.agent !== "commander") return
        pending.failed = true
        throw new Error(pending.message)
      },

      async "experimental.session.compacting"(input, output) {
        const brief = history.compacting(input.sessionID)
        if (brief) output.context.push(brief)
      },

      async "experimental.chat.messages.transform"(_input, output) {
        await history.transform(output.messages as never)
      },

      async "tool.execute.before"(call, output) {
        const binding = registry.binding(call.sessionID)
        // Every child conversation has a tool-call budget; the engine aborts the session when it is spent.
        const overBudget = binding && binding.role !== "commander" ? binding.mission.budgets.noteToolCall(call.sessionID) : undefined
        if (overBudget) throw new Error(overBudget)
        // A safety net for our workers only; the user's own agents are theirs to govern.
        const directory = binding?.role === "worker" ? binding.mission.sessionDirectory(call.sessionID) : undefined
        // Our `shell` tool guards and sandboxes its own commands.
        if (!binding || !directory || call.tool === "shell") return
        const userCheckout = directory === binding.mission.workspace.root
        const refusal = refuseToolCall(call.tool, output.args, { directory, userCheckout })
        if (refusal) throw new Error(refusal)
        // The boundary: the host runs the command we leave here, so it runs under bubblewrap.
        const args = output.args as { command?: unknown }
        // The launcher's path reaches the shell through shell.env: the line kept in the conversation stays short.
        const launcher = call.tool === "bash" && typeof args.command === "string" ? binding.mission.sandbox.launcher({ directory, key: binding.taskId ?? "worker", network: binding.mission.config.workerWeb, userCheckout }) : undefined
        if (launcher) {
          launchers.set(call.callID, launcher)
          args.command = `exec "$${sandboxVariable}" ${shellQuote(args.command as string)}`
        }
      },

      async "shell.env"(input, output) {
        const launcher = input.callID ? launchers.get(input.callID) : undefined
        if (!launcher) return
        launchers.delete(input.callID!)
        output.env[sandboxVariable] = launcher
      },

      async "tool.execute.after"(call) {
        launchers.delete(call.callID)
        const files = writtenFiles(call.tool, call.args)
        if (!files.length) return
        const binding = registry.binding(call.sessionID)
        if (binding?.role === "worker") for (const file of files) binding.mission.noteTouched(call.sessionID, file)
      },
    }
  }

  return { instance, registry }
}

