export { startScriptedModel, type ScriptedModelServer, type LoggedRequest, type ScriptedModelOptions } from "./server.js"
export { parseScenario, Scenario, type ScriptedReply, type ScriptedRule } from "./scenario.js"
export { describeRequest, selectReply, type RequestFacts, type ChatMessage } from "./request-facts.js"
