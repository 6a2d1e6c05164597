import type { PluginInput } from "@opencode-ai/plugin"
import type { HostResult, MissionHost, PromptRequest } from "./mission-host.js"
import type { PromptGate } from "./prompt-gate.js"
import { sessionUsage, type SessionUsage } from "../economy/session-usage.js"
import type { UsageTally } from "../economy/usage-tally.js"

type Client = PluginInput["client"]

/** A host error (an SDK result's `error`, a thrown value, a message's `error`) as one line. */
export function errorText(error: unknown): string {
  if (!error) return "unknown error"
  if (typeof error === "string") return error
  const value = error as { name?: string; message?: string; data?: { message?: string } }
  return [value.name, value.data?.message ?? value.message].filter(Boolean).join(": ") || JSON.stringify(error)
}

function splitModel(model?: string): { providerID: string; modelID: string } | undefined {
  if (!model) return undefined
  const slash = model.indexOf("/")
  return { providerID: model.slice(0, slash), modelID: model.slice(slash + 1) }
}

/** The engine's host, over OpenCode's v1 client. */
export class OpencodeHost implements MissionHost {
  constructor(
    private readonly client: Client,
    private readonly gate: PromptGate,
    /** Fed by the plugin's event hook with every assistant message update. */
    private readonly tally: UsageTally,
  ) {}

  async createSession(parentId: string, title: string, directory: string): Promise<HostResult<string>> {
    try {
      const result = await this.client.session.create({ body: { parentID: parentId, title }, query: { directory } })
      if (result.data?.id) {
        this.tally.track(result.data.id)
        return { ok: true, value: result.data.id }
      }
      return { ok: false, error: `session.create failed: ${errorText(result.error)}` }
    } catch (error) {
      return { ok: false, error: `session.create failed: ${errorText(error)}` }
    }
  }

  async prompt(request: PromptRequest): Promise<HostResult<void>> {
    const gated = await this.gate.send(request.sessionId, request.text, async (): Promise<HostResult<void>> => {
      try {
        const result = await this.client.session.prompt({
          path: { id: request.sessionId },
          query: { directory: request.directory },
          body: { agent: request.agent, model: splitModel(request.model), parts: [{ type: "text", text: request.text }] },
        })
        if (result.error) return { ok: false, error: errorText(result.error) }
        // A child's model failure does not reject: it comes back on the message.
        const failure = (result.data?.info as { error?: unknown } | undefined)?.error
        if (failure) return { ok: false, error: errorText(failure) }
        return { ok: true, value: undefined }
      } catch (error) {
        return { ok: false, error: errorText(error) }
      }
    })
    return gated.sent ? gated.value : { ok: false, error: `not sent: session is ${gated.reason}`, refused: true }
  }

  async post(sessionId: string, directory: string, text: string): Promise<HostResult<void>> {
    if (!(await this.gate.waitIdle(sessionId, 120_000))) return { ok: false, error: "session stayed busy" }
    const gated = await this.gate.send(sessionId, text, async (): Promise<HostResult<void>> => {
      try {
        const result = await this.client.session.prompt({
          path: { id: sessionId },
          query: { directory },
          body: { noReply: true, parts: [{ type: "text", text }] },
        })
        return result.error ? { ok: false, error: errorText(result.error) } : { ok: true, value: undefined }
      } catch (error) {
        return { ok: false, error: errorText(error) }
      }
    })
    return gated.sent ? gated.value : { ok: false, error: `not sent: session is ${gated.reason}` }
  }

  async abort(sessionId: string, directory: string): Promise<void> {
    try {
      await this.client.session.abort({ path: { id: sessionId }, query: { directory } })
    } catch {}
  }

  async usage(sessionId: string, directory: string): Promise<SessionUsage | undefined> {
    try {
      const result = await this.client.session.messages({ path: { id: sessionId }, query: { directory } })
      return sessionUsage(result.data ?? [])
    } catch {
      return undefined
    }
  }

  usageAfterStep(sessionId: string, messageId: string, signal: AbortSignal): Promise<SessionUsage> {
    return this.tally.afterStep(sessionId, messageId, signal)
  }

  forgetUsage(sessionIds: Iterable<string>): void {
    this.tally.forget(sessionIds)
  }

  async agentNames(directory: string): Promise<HostResult<string[]>> {
    try {
      const result = await this.client.app.agents({ query: { directory } })
      if (!result.data) return { ok: false, error: `app.agents failed: ${errorText(result.error)}` }
      return { ok: true, value: result.data.map((agent) => agent.name) }
    } catch (error) {
      return { ok: false, error: `app.agents failed: ${errorText(error)}` }
    }
  }

  /**
   * The two v1 calls that start, ahead of a first prompt, what it would wait for (host-notes.md):
   * `config.providers` builds the instance's provider state, and a file search boots its location
   * services (file watcher, project copy refresh). Neither asks a model.
   */
  async warmInstance(directory: string): Promise<void> {
    await Promise.all([this.client.config.providers({ query: { directory } }), this.client.find.files({ query: { directory, query: ".", dirs: "false" } })]).catch(() => undefined)
  }

  async disposeInstance(directory: string): Promise<void> {
    await this.client.instance.dispose({ query: { directory } }).catch(() => undefined)
  }

  toast(message: string, variant: "info" | "success" | "warning" | "error"): void {
    this.client.tui.showToast({ body: { title: "Orchestrator", message, variant } }).catch(() => {})
  }
}
