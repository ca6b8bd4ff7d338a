/** Who is acting. Policies decide on it; the audit log records it. */
export type Actor =
  | { type: "agent"; id: string; role: "admin" | "agent" | "content"; teamIds: string[] }
  | { type: "contact"; id: string; verified: boolean }
  | { type: "bot" }
  | { type: "system" };

export const SYSTEM: Actor = { type: "system" };
export const BOT: Actor = { type: "bot" };
