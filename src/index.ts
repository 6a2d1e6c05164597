import type { Plugin } from "@opencode-ai/plugin"
import { createOrchestrator } from "./plugin/orchestrator.js"

// Module scope: one orchestrator per host process, shared by every directory instance.
const orchestrator = createOrchestrator()

/** The only export: the host calls every export of this module as a plugin. */
export const OrchestratorPlugin: Plugin = async (input) => orchestrator.instance(input)
