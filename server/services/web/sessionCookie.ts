import type { Request, Response } from "express";
import type { AppContext } from "../../context.ts";
import { SESSION_COOKIE } from "./authenticate.ts";

/** The console's session cookie: httpOnly (scripts never see it), same-site only, secure in production. */
export function setSessionCookie(ctx: AppContext, req: Request, res: Response, session: { token: string; expiresAt: Date }): void {
  res.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.config.isProduction || req.secure,
    expires: session.expiresAt,
    path: "/",
  });
}
