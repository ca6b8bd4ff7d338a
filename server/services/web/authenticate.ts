import type { Request } from "express";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { findAgentSession } from "../../auth/agentSessions.ts";
import { findWidgetSession, isRevokedWidgetToken, SESSION_REVOKED_MESSAGE } from "../../commands/startWidgetSession.ts";
import { AppError } from "../../errors.ts";
import { safeEqual } from "../../security/safeEqual.ts";
import type { Authenticator } from "./ApiRouter.ts";

export const SESSION_COOKIE = "bd_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Console requests carry the session cookie (httpOnly) and, for writes, the CSRF
 * token in X-CSRF-Token (the cookie alone is not enough). Widget requests carry
 * their session token as a bearer token.
 */
export function createAuthenticator(ctx: AppContext): Authenticator {
  return async (req: Request, kind, opts = {}): Promise<Actor> => {
    if (kind === "agent") {
      const session = await findAgentSession(ctx, req.cookies?.[SESSION_COOKIE]);
      if (!session) throw new AppError("unauthenticated", "Please sign in");
      if (!SAFE.has(req.method) && !safeEqual(req.get("x-csrf-token") ?? "", session.csrfToken)) {
        throw new AppError("forbidden", "Missing or wrong CSRF token");
      }
      // Checked after the CSRF token, so this answer tells a cross-site page nothing.
      if (session.mustEnrolTwoFactor && !opts.duringTwoFactorEnrolment) {
        throw new AppError(
          "two_factor_enrolment_required",
          "Your organisation requires two-factor sign-in: set it up under Security before using the console",
        );
      }
      return { type: "agent", id: session.agent.id, role: session.agent.role, teamIds: session.teamIds };
    }
    const header = req.get("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    const session = token ? await findWidgetSession(ctx, token) : undefined;
    if (!session) {
      if (token && (await isRevokedWidgetToken(ctx, token))) {
        throw new AppError("unauthenticated", SESSION_REVOKED_MESSAGE, { reason: "session_revoked" });
      }
      throw new AppError("unauthenticated", "Unknown or revoked widget session");
    }
    return { type: "contact", id: session.contact.id, verified: session.verified };
  };
}
