import { writeFileSync } from "node:fs"
import { configJsonSchema } from "../src/config/config.js"

writeFileSync(new URL("../schema/orchestrator.schema.json", import.meta.url), JSON.stringify(configJsonSchema(), null, 2) + "\n")
