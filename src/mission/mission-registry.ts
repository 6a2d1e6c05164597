import type { RoleName } from "../config/roles.js"
import type { Mission } from "./mission.js"

export interface SessionBinding {
  mission: Mission
  role: RoleName
  taskId?: string
}

/**
 * Every mission of this process, keyed by id, and which session plays which role in which
 * mission. The host evaluates our module once per process but calls the plugin once per
 * directory instance: one registry serves them all, so a mission has exactly one engine.
 */
export class MissionRegistry {
  private readonly missions = new Map<string, Mission>()
  private readonly sessions = new Map<string, SessionBinding>()
  private readonly byRoot = new Map<string, Mission>()

  add(mission: Mission): void {
    this.missions.set(mission.id, mission)
    this.byRoot.set(mission.state.rootSessionId, mission)
    this.bind(mission.state.rootSessionId, { mission, role: "commander" })
  }

  get(id: string): Mission | undefined {
    return this.missions.get(id)
  }

  /** The latest mission whose root (commander) session is this one. */
  forRoot(rootSessionId: string): Mission | undefined {
    return this.byRoot.get(rootSessionId)
  }

  bind(sessionId: string, binding: SessionBinding): void {
    this.sessions.set(sessionId, binding)
  }

  binding(sessionId: string): SessionBinding | undefined {
    return this.sessions.get(sessionId)
  }

  running(): Mission[] {
    return [...this.missions.values()].filter((mission) => mission.state.status === "running")
  }
}
