import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { forbidden } from "../errors.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import {
  createSegment,
  deleteSegment,
  listSegments,
  presentSegment,
  segmentChangeSchema,
  segmentInputSchema,
  updateSegment,
} from "./segments.ts";

const id = z.object({ id: z.string().uuid() });

/**
 * Customer segments under /api/v1/segments: saved filters on customers that admins
 * define (audited) and staff pick in the conversation list (`segmentId`) and the
 * reports' overview (`segmentId`).
 */
export function segmentRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/segments",
    tag: "segments",
    summary: "Customer segments with their criteria and how many customers each holds now",
    auth: "agent",
    handler: async ({ actor }) => {
      if (actor.type !== "agent" || actor.role === "content") throw forbidden("Agents only");
      return { items: await listSegments(ctx.db) };
    },
  });

  api.add({
    method: "post",
    path: "/segments",
    tag: "segments",
    summary:
      "Save a segment: `criteria` of vulnerable, openComplaint, npsDetractor, verified (true or false), channels, labels; every one given must hold (admins; audited)",
    auth: "agent",
    status: 201,
    body: segmentInputSchema,
    handler: async ({ body, actor, req }) => {
      authorize(canAdminister(actor));
      return presentSegment(await createSegment(ctx, { actor, input: body, ip: req.ip }), 0);
    },
  });

  api.add({
    method: "patch",
    path: "/segments/{id}",
    tag: "segments",
    summary: "Change a segment's name, description or criteria (admins; audited)",
    auth: "agent",
    params: id,
    body: segmentChangeSchema,
    handler: async ({ params, body, actor, req }) => {
      await updateSegment(ctx, { actor, id: params.id, change: body, ip: req.ip });
      return (await listSegments(ctx.db)).find((s) => s.id === params.id);
    },
  });

  api.add({
    method: "delete",
    path: "/segments/{id}",
    tag: "segments",
    summary: "Delete a segment (admins; audited)",
    auth: "agent",
    status: 204,
    params: id,
    handler: async ({ params, actor, req }) => {
      await deleteSegment(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });
}
