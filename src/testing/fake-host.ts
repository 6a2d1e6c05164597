import type { HostResult, MissionHost, PromptRequest } from "../host/mission-host.js"
import type { TokenUsage } from "../mission/mission-event.js"

/** A scripted stand-in for the host's session API, for engine tests without the binary. */
export class FakeHost implements MissionHost {
  readonly prompts: PromptRequest[] = []
  readonly aborted: string[] = []
  readonly posts: string[] = []
  readonly toasts: string[] = []
  private nextId = 0
  private active = 0
  maxActive = 0

  /** Plays one child turn: may call the mission's submit methods, like a model's tool call would. */
  constructor(private readonly turn: (request: PromptRequest, host: FakeHost) => Promise<HostResult<void> | void>) {}

  async createSession(_parentId: string, title: string): Promise<HostResult<string>> {
    return { ok: true, value: `ses_${++this.nextId}_${title.split(" ")[0]!.toLowerCase()}` }
  }

  async prompt(request: PromptRequest): Promise<HostResult<void>> {
    this.prompts.push(request)
    this.active++
    this.maxActive = Math.max(this.maxActive, this.active)
    try {
      return (await this.turn(request, this)) ?? { ok: true, value: undefined }
    } finally {
      this.active--
    }
  }

  async abort(sessionId: string): Promise<void> {
    this.aborted.push(sessionId)
  }

  /** What each prompt to a session costs; a session's usage is its running total, as the host reports it. */
  perPrompt = { input: 10, output: 1, cacheRead: 0, cost: 0 }

  async usage(sessionId: string): Promise<{ tokens: TokenUsage; cost: number; requests: number }> {
    const prompts = this.prompts.filter((prompt) => prompt.sessionId === sessionId).length
    const { input, output, cacheRead, cost } = this.perPrompt
    return { tokens: { input: input * prompts, output: output * prompts, reasoning: 0, cacheRead: cacheRead * prompts, cacheWrite: 0 }, cost: cost * prompts, requests: prompts }
  }

  /** Holds the end of a step that made a submission (a test's control of the order); unset: ended at once. */
  stepEnd?: (sessionId: string, messageId: string) => Promise<void>
  /** The sessions whose usage was let go. */
  readonly forgotten: string[] = []

  async usageAfterStep(sessionId: string, messageId: string, signal: AbortSignal): Promise<{ tokens: TokenUsage; cost: number; requests: number }> {
    await this.stepEnd?.(sessionId, messageId)
    if (signal.aborted) return new Promise(() => {})
    return this.usage(sessionId)
  }

  forgetUsage(sessionIds: Iterable<string>): void {
    this.forgotten.push(...sessionIds)
  }

  async post(_sessionId: string, _directory: string, text: string): Promise<HostResult<void>> {
    this.posts.push(text)
    return { ok: true, value: undefined }
  }

  /** Agents every directory's instance has; a test may take them away. */
  agents = ["commander", "planner", "worker", "reviewer", "master-reviewer"]

  /** The directories whose agents were asked for (the host starts an instance for each new one). */
  readonly agentChecks: string[] = []

  async agentNames(directory: string): Promise<HostResult<string[]>> {
    this.agentChecks.push(directory)
    return { ok: true, value: this.agents }
  }

  /** The directories whose host instance was warmed; the most warmed at once. */
  readonly warmed: string[] = []
  maxWarming = 0
  private warming = 0
  /** Holds a warm-up until it resolves (a test's control of the order). */
  warmGate?: (directory: string) => Promise<void>

  async warmInstance(directory: string): Promise<void> {
    this.warmed.push(directory)
    this.maxWarming = Math.max(this.maxWarming, ++this.warming)
    try {
      await this.warmGate?.(directory)
    } finally {
      this.warming--
    }
  }

  /** The directories whose host instance was disposed. */
  readonly disposed: string[] = []

  async disposeInstance(directory: string): Promise<void> {
    this.disposed.push(directory)
  }

  toast(message: string): void {
    this.toasts.push(message)
  }
}
