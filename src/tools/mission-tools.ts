import type { CommanderToolDeps } from "./commander-tools.js"
import { missionStatusTool, missionStopTool, runMissionTool } from "./commander-tools.js"
import { memoryReadTool, missionAmendTool } from "./memory-tools.js"
import { shellTool } from "./shell-tool.js"
import { submitPlanTool, submitReviewTool, submitVerdictTool, submitWorkTool } from "./submission-tools.js"
import { astGrepRewriteTool, astGrepSearchTool } from "./syntax-tools.js"

/** Every tool the plugin registers, by name (agents/agents.ts says which role is offered which). */
export function missionTools(commander: CommanderToolDeps) {
  const { registry } = commander
  return {
    submit_plan: submitPlanTool(registry),
    submit_work: submitWorkTool(registry),
    submit_review: submitReviewTool(registry),
    submit_verdict: submitVerdictTool(registry),
    run_mission: runMissionTool(commander),
    mission_status: missionStatusTool(registry),
    mission_stop: missionStopTool(registry),
    mission_amend: missionAmendTool(registry),
    memory_read: memoryReadTool(registry),
    shell: shellTool(registry),
    ast_grep_search: astGrepSearchTool(registry),
    ast_grep_rewrite: astGrepRewriteTool(registry),
  }
}
