import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { forbidden } from "../errors.ts";
import { currentCodeSchema, withSecondFactor } from "./secondFactorSchema.ts";
import { readOrganisationSettings } from "../admin/organisationSettings.ts";
import { countUnusedRecoveryCodes } from "./recoveryCodeStore.ts";
import { findTwoFactorState } from "./twoFactorState.ts";
import { startTwoFactorEnrolment } from "./commands/startTwoFactorEnrolment.ts";
import { confirmTwoFactorEnrolment } from "./commands/confirmTwoFactorEnrolment.ts";
import { regenerateRecoveryCodes } from "./commands/regenerateRecoveryCodes.ts";
import { disableTwoFactor } from "./commands/disableTwoFactor.ts";
import { listSecurityKeys } from "../auth/securityKeys.ts";
import type { RecoveryCodes, TwoFactorEnrolment, TwoFactorStatus } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";

/**
 * A console user's own two-factor sign-in (the console's Security page): set it
 * up, new recovery codes, turn it off. Setting it up is open to an agent who must
 * do so before anything else (the organisation requires it).
 */
export function twoFactorRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/auth/two-factor",
    tag: "auth",
    summary:
      "Whether the signed-in agent has an authenticator app, whether two-factor sign-in is required, how many recovery codes are left, and how many security keys they have",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    handler: async ({ actor }): Promise<Presented<TwoFactorStatus>> => {
      if (actor.type !== "agent") throw forbidden();
      const [row, settings, recoveryCodesLeft, keys] = await Promise.all([
        findTwoFactorState(ctx.db, actor.id),
        readOrganisationSettings(ctx.db),
        countUnusedRecoveryCodes(ctx.db, actor.id),
        listSecurityKeys(ctx.db, actor.id),
      ]);
      return {
        enabled: !!row?.totp_enabled_at,
        enabledAt: row?.totp_enabled_at ?? null,
        required: settings.requireStaffTwoFactor,
        recoveryCodesLeft,
        securityKeys: keys.length,
      };
    },
  });

  api.add({
    method: "post",
    path: "/auth/two-factor/enrolment",
    tag: "auth",
    summary:
      "Start setting up two-factor sign-in: a new secret and its otpauth:// URI for an authenticator app (shown once; nothing changes until confirmed)",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    handler: async ({ actor, req }): Promise<TwoFactorEnrolment> => startTwoFactorEnrolment(ctx, { actor, ip: req.ip }),
  });

  api.add({
    method: "post",
    path: "/auth/two-factor/enrolment/confirm",
    tag: "auth",
    summary: "Turn two-factor sign-in on with a code the authenticator app made; answers ten one-time recovery codes, shown once",
    auth: "agent",
    duringTwoFactorEnrolment: true,
    body: currentCodeSchema,
    handler: async ({ actor, body, req }): Promise<RecoveryCodes> => confirmTwoFactorEnrolment(ctx, { actor, code: body.code, ip: req.ip }),
  });

  api.add({
    method: "post",
    path: "/auth/two-factor/recovery-codes",
    tag: "auth",
    summary: "Replace the recovery codes with ten new ones (shown once), given a current code from the authenticator app",
    auth: "agent",
    body: currentCodeSchema,
    handler: async ({ actor, body, req }): Promise<RecoveryCodes> => regenerateRecoveryCodes(ctx, { actor, code: body.code, ip: req.ip }),
  });

  api.add({
    method: "post",
    path: "/auth/two-factor/disable",
    tag: "auth",
    summary:
      "Turn the authenticator app off with a current code or a recovery code (not while the organisation requires two-factor sign-in and it is the only second factor)",
    auth: "agent",
    body: withSecondFactor({}),
    handler: async ({ actor, body, req }) => {
      await disableTwoFactor(ctx, { actor, factor: body, ip: req.ip });
      return undefined;
    },
  });
}
