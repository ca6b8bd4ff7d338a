import type { Request } from "express";
import { accessFrom, recordDisclosure } from "../accessLog/recordAccess.ts";
import type { Actor } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { AppContext } from "../context.ts";
import type { ReportFilter } from "./reportScope.ts";

/**
 * The record of a report export that names customers (conversations, complaint cases,
 * NPS answers): nothing leaves unless the access log holds it (recordDisclosure fails
 * closed), and the audit log says who took what, over which range, team, inbox and segment.
 */
export async function recordCustomerExport(
  ctx: Pick<AppContext, "db" | "logger">,
  actor: Actor,
  req: Request,
  exported: { kind: string; filter: ReportFilter; segmentId?: string; rows: number },
): Promise<void> {
  const { kind, filter: f } = exported;
  await recordDisclosure(ctx.db, ctx.logger, { ...accessFrom(actor, req), subjectType: "export", subjectId: `reports.${kind}` });
  await writeAudit(ctx.db, {
    actor,
    action: "reports.export",
    targetType: kind,
    data: {
      kind,
      from: f.from,
      to: f.to,
      teamId: f.teamId ?? null,
      inboxId: f.inboxId ?? null,
      segmentId: exported.segmentId ?? null,
      rows: exported.rows,
    },
    ip: req.ip,
  });
}
