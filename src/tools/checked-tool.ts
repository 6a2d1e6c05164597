import type { ToolContext, ToolResult } from "@opencode-ai/plugin/tool"
import { tool } from "./define-tool.js"
import type { z } from "zod"

type Shape = Record<string, z.ZodType>

const lean = tool.schema

/**
 * The schema a model is offered: the same shape and descriptions without the limits (lengths,
 * counts, ranges, defaults). Every limit is still checked before anything runs, and a call over one
 * is refused with its path; offering them would cost tokens on every request of every role.
 */
export function offeredSchema(schema: z.ZodType): z.ZodType {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def
  const described = (offered: z.ZodType) => (schema.description ? offered.describe(schema.description) : offered)
  switch (def.type) {
    case "string":
      return described(lean.string())
    case "number":
      return described(lean.number())
    case "boolean":
      return described(lean.boolean())
    case "array":
      return described(lean.array(offeredSchema(def.element as z.ZodType)))
    case "object":
      return described(lean.object(offeredArgs((def.shape as Shape) ?? {})))
    case "optional":
    case "default":
      return described(offeredSchema(def.innerType as z.ZodType).optional())
    default:
      return schema // enums, literals, unions: their values are the contract
  }
}

export function offeredArgs(args: Shape): Shape {
  return Object.fromEntries(Object.entries(args).map(([name, schema]) => [name, offeredSchema(schema)]))
}

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
    args: offeredArgs(definition.args),
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
