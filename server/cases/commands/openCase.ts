import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { findConversation, findInbox } from "../../conversations/queries.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorizeManage } from "../../policies/conversationPolicy.ts";
import { detectLanguage } from "../../assistant/language.ts";
import { authorizeOpen } from "../casePolicy.ts";
import { policyFor, type ComplaintsSetting } from "../jurisdictions.ts";
import { computeCaseClock } from "../caseClock.ts";
import { conversationHandlers } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";
import type { CaseSeverity } from "../../../shared/wire/index.ts";

export interface OpenCaseProps {
  actor: Actor;
  /** The conversation the complaint was made in (the customer is its contact). */
  conversationId: string;
  summary: string;
  source: CaseRow["source"];
  /** The customer's language for letters; read from their messages when not given. */
  language?: "en" | "zh";
  categoryId?: string | null;
  productId?: string | null;
  severity?: CaseSeverity;
  /** The team that handles it (the assistant's handoff team); the conversation's, else the inbox's default. */
  teamId?: string | null;
  /** What the case is about in fields (a disputed transaction's id, amount, merchant, date): never card numbers. */
  details?: Record<string, unknown>;
  /**
   * The key of the request that opens it (an assistant confirmation's): the same key
   * again is the same case, and the conversation's running complaint is not reused —
   * a dispute is a case of its own.
   */
  requestKey?: string;
  ip?: string;
}

/**
 * Records a complaint as a case: a reference the customer can quote, the clocks of the
 * inbox's jurisdiction started at receipt, the conversation linked, and the agents who
 * handled it noted (they may not own it). The assistant and the e-mail channel open at
 * most one running case per conversation (a customer complaining twice in one chat is
 * one complaint); an agent may open more (a second, different complaint).
 */
export async function openCase(ctx: AppContext, props: OpenCaseProps): Promise<{ case: CaseRow; created: boolean }> {
  authorizeOpen(props.actor);
  const summary = props.summary.trim();
  if (!summary) throw new AppError("validation_error", "Say what the complaint is about", [{ path: "summary", message: "Required" }]);
  const result = await ctx.db.transaction(async (tx) => {
    const conversation = await findConversation(tx, props.conversationId, { forUpdate: true });
    if (props.actor.type === "agent") authorizeManage(props.actor, conversation);
    if (!conversation) throw notFound("Conversation");
    // The assistant and a channel open at most one running case per conversation (a retried job or
    // re-posted e-mail, a customer writing twice about it); an agent may record a second complaint.
    // A case opened under a request's key (a dispute) is found by that key, and is not this one.
    if (props.requestKey) {
      const { rows } = await tx.query<CaseRow>("SELECT * FROM cases WHERE request_key = $1", [props.requestKey]);
      if (rows[0]) return { case: rows[0], created: false, provisional: undefined };
    } else if (props.source !== "agent") {
      const { rows } = await tx.query<CaseRow>(
        `SELECT c.* FROM cases c JOIN case_conversations cc ON cc.case_id = c.id
         WHERE cc.conversation_id = $1 AND c.status <> 'closed' AND c.request_key IS NULL ORDER BY c.created_at DESC LIMIT 1`,
        [conversation.id],
      );
      if (rows[0]) return { case: rows[0], created: false, provisional: undefined };
    }
    const inbox = await findInbox(tx, conversation.inbox_id);
    if (!inbox) throw notFound("Inbox");
    const setting = (inbox.settings as { complaints?: ComplaintsSetting }).complaints;
    const { id: jurisdiction, policy } = policyFor(setting, inbox.settings.timezone);
    const receivedAt = new Date();
    const clock = computeCaseClock(policy, receivedAt);
    const language = props.language ?? (await customerLanguage(tx, conversation.id));
    const handlers = await conversationHandlers(tx, conversation.id);
    const { rows } = await tx.query<CaseRow>(
      `INSERT INTO cases (reference, contact_id, inbox_id, team_id, handler_ids, source, language, summary, category_id, product_id,
                          severity, jurisdiction, policy, received_at, acknowledge_due_at, due_at, details, request_key)
       VALUES ('CR-' || to_char($12::timestamptz AT TIME ZONE $15, 'YYYY') || '-' || lpad(nextval('case_reference_number')::text, 6, '0'),
               $1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9, $10, $11, $13, $12, $14, $16, $17, $18)
       RETURNING *`,
      [
        conversation.contact_id,
        conversation.inbox_id,
        props.teamId ?? conversation.team_id ?? inbox.default_team_id,
        handlers,
        props.source,
        language,
        summary.slice(0, 2000),
        props.categoryId ?? null,
        props.productId ?? null,
        props.severity ?? "medium",
        jurisdiction,
        receivedAt,
        JSON.stringify(policy),
        clock.acknowledgeDueAt,
        policy.timezone,
        clock.dueAt,
        JSON.stringify(props.details ?? {}),
        props.requestKey ?? null,
      ],
    );
    const c = rows[0]!;
    await tx.query("INSERT INTO case_conversations (case_id, conversation_id) VALUES ($1, $2)", [c.id, conversation.id]);
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: "received",
      data: {
        source: props.source,
        conversationId: conversation.id,
        jurisdiction,
        rule: policy.rule,
        dueDate: clock.dueDate,
        dueAt: clock.dueAt.toISOString(),
        acknowledgeDueAt: clock.acknowledgeDueAt?.toISOString() ?? null,
      },
      ip: props.ip,
    });
    if (clock.provisional)
      await recordCaseEvent(tx, { actor: props.actor, caseRow: c, kind: "clock_provisional", data: { reason: clock.provisional } });
    return { case: c, created: true, provisional: clock.provisional };
  });
  if (result.provisional)
    ctx.logger.error({ reference: result.case.reference, reason: result.provisional }, "complaint clock counted in calendar days");
  if (result.created) ctx.bus.emit("case.created", { case: result.case });
  return { case: result.case, created: result.created };
}

/** The language of the customer's most recent message in a conversation (English when none). */
async function customerLanguage(tx: Parameters<typeof conversationHandlers>[0], conversationId: string): Promise<"en" | "zh"> {
  const { rows } = await tx.query<{ content: string }>(
    "SELECT content FROM messages WHERE conversation_id = $1 AND sender_type = 'contact' AND content <> '' ORDER BY seq DESC LIMIT 1",
    [conversationId],
  );
  return rows[0] ? detectLanguage(rows[0].content) : "en";
}
