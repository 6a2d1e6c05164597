/** The five roles of a mission. A leaf module: config, events and agents all name roles. */
export const roleNames = ["commander", "planner", "worker", "reviewer", "master-reviewer"] as const
export type RoleName = (typeof roleNames)[number]
