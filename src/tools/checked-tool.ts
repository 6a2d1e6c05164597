import { tool, type ToolContext, type ToolResult } from "@opencode-ai/plugin/tool"
import type { z } from "zod"

type Shape = Record<string, z.ZodType>

/**
 * A tool whose arguments are validated by its own schema before anything runs. The host (1.18.33)
 * passes a model's arguments through unvalidated, so without this a wrong type reaches our code.
 * A refusal is thrown: the host shows the model the message, and nothing changed.
 */
export function checkedTool<Args extends Shape>(
  name: string,
  definition: { description: string; args: Args; execute(args: z.infer<z.ZodObject<Args>>, context: ToolContext): Promise<ToolResult> },
) {
  const schema = tool.schema.object(definition.args)
  return tool({
    description: definition.description,
    args: definition.args,
    async execute(raw, context) {
      const parsed = schema.safeParse(raw)
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(arguments)"}: ${issue.message}`)
        throw new Error(`invalid arguments for ${name}: ${problems.join("; ")}. Call ${name} again with arguments that match its schema.`)
      }
      return definition.execute(parsed.data as z.infer<z.ZodObject<Args>>, context)
    },
  })
}
