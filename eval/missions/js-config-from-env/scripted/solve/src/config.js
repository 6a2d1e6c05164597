import { parsePort } from "./port.js"
import { parseFlag } from "./flag.js"

export function loadConfig(env) {
  return {
    port: env.PORT === undefined ? 3000 : parsePort(env.PORT),
    debug: env.DEBUG === undefined ? false : parseFlag(env.DEBUG),
  }
}
