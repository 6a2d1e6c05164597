// What our children's history shows of a submission that ended their turn. The engine aborts a
// child's turn right after its submit tool returns (no closing request); the host then records that
// tool call as "Tool execution aborted". A later attempt in the same session would read that as a
// failed submission, so the request it is sent shows the result the tool really gave.
import type { Part } from "@opencode-ai/sdk"

export class AcceptedSubmissions {
  private readonly outputs = new Map<string, string>()

  /** The submit tool call `callId` was taken, and the model was told `output`. */
  remember(callId: string, output: string): void {
    this.outputs.set(callId, output)
  }

  /** Rewrites, in place, the aborted parts of remembered calls into the completed call they were. */
  restore(parts: Part[]): void {
    for (const part of parts) {
      if (part.type !== "tool" || part.state.status !== "error") continue
      const output = this.outputs.get(part.callID)
      if (output === undefined) continue
      const { input, time } = part.state
      part.state = { status: "completed", input, output, title: part.tool, metadata: {}, time }
    }
  }
}
