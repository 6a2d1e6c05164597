import { z } from "zod"
import type { tool as hostTool } from "@opencode-ai/plugin/tool"

/**
 * The host's `tool()` helper, which is the identity with zod as `tool.schema`. Ours, so that the
 * plugin's runtime does not depend on `@opencode-ai/plugin` (whose dependency tree wants Node 22):
 * its types are checked against the host's own.
 */
export const tool: typeof hostTool = Object.assign(<T>(input: T) => input, { schema: z }) as typeof hostTool
