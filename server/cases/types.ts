import type { JurisdictionPolicy } from "./jurisdictions.ts";

import type { CaseRemedy, CaseSeverity, CaseStatus, EscalationBody } from "../../shared/wire/index.ts";

// The statuses, severities, escalation bodies and status machine (CASE_TRANSITIONS) are the
// wire's (shared/wire/cases.ts): the console offers the moves the server allows.

export interface CaseRow {
  id: string;
  reference: string;
  contact_id: string;
  inbox_id: string;
  team_id: string | null;
  owner_id: string | null;
  handler_ids: string[];
  source: "assistant" | "agent" | "email";
  language: "en" | "zh";
  summary: string;
  category_id: string | null;
  product_id: string | null;
  severity: CaseSeverity;
  status: CaseStatus;
  escalated_to: EscalationBody | null;
  jurisdiction: string;
  policy: JurisdictionPolicy;
  received_at: Date;
  acknowledge_due_at: Date | null;
  acknowledged_at: Date | null;
  due_at: Date;
  extensions: number;
  final_response_at: Date | null;
  closed_at: Date | null;
  root_cause: string | null;
  remedy: CaseRemedy;
  /** What the case is about in fields (a disputed transaction: cases/openDisputeCase.ts). */
  details: Record<string, unknown>;
  /** The key of the request that opened it, when one did (an assistant confirmation). */
  request_key: string | null;
  /** When retention removed its free text (retention/anonymiseCase.ts); it can no longer change. */
  anonymised_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CaseEventRow {
  id: string;
  case_id: string;
  actor_type: "agent" | "contact" | "bot" | "system";
  actor_id: string | null;
  kind: string;
  data: Record<string, unknown>;
  created_at: Date;
}

export interface TaxonomyRow {
  id: string;
  kind: "category" | "product";
  code: string;
  name_en: string;
  name_zh: string;
  active: boolean;
  position: number;
  created_at: Date;
  updated_at: Date;
}
