import type { Actor, AppContext } from "../context.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { writeAudit } from "./writeAudit.ts";

export interface TeamRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
}

/** Creates a team (cards, deposits, complaints...) that conversations are routed to. */
export async function createTeam(ctx: AppContext, props: { actor: Actor; name: string; slug: string }): Promise<TeamRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<TeamRow>(
      "INSERT INTO teams (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING *",
      [props.name, props.slug],
    );
    await writeAudit(tx, { actor: props.actor, action: "team.create", targetType: "team", targetId: rows[0]!.id });
    return rows[0]!;
  });
}
