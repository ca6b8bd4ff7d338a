/** Console users (agents), as the database returns them. */
export const ROLES = ["admin", "agent", "content"] as const;
export type Role = (typeof ROLES)[number];

export interface AgentRow {
  id: string;
  email: string;
  name: string;
  /** What customers see; null: the first word of name (server/agents/customerFacingName.ts). */
  display_name: string | null;
  role: Role;
  password_hash: string;
  availability: "online" | "away" | "offline";
  capacity: number;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  /** Sealed (server/twoFactor/twoFactorSecret.ts); null without two-factor sign-in. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  /** bigint: the driver may hand it over as a string. */
  totp_last_step: number | string | null;
  created_at: Date;
}
