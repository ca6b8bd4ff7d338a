import type { JurisdictionPolicy } from "./jurisdictions.ts";

export const CASE_STATUSES = ["received", "acknowledged", "investigating", "final_response", "closed", "reopened", "escalated"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ESCALATION_BODIES = ["ombudsman", "regulator"] as const;
export type EscalationBody = (typeof ESCALATION_BODIES)[number];

/**
 * Where a case may go from each status. `final_response` is reached only by sending
 * the final-response letter (sendCaseLetter), so that no case is marked answered
 * without the answer on record. A customer may go to the ombudsman or regulator at
 * any stage (in mainland China they need not wait for our reply), so `escalated` is
 * open from every status but itself.
 */
export const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  received: ["acknowledged", "investigating", "final_response", "escalated"],
  acknowledged: ["investigating", "final_response", "escalated"],
  investigating: ["final_response", "escalated"],
  final_response: ["closed", "reopened", "escalated"],
  closed: ["reopened", "escalated"],
  reopened: ["investigating", "final_response", "escalated"],
  escalated: ["investigating", "final_response", "closed"],
};

export interface Remedy {
  refundAmount?: number;
  currency?: string;
  apology?: boolean;
  processChange?: string;
  /** Retention removed the process change's text; the report still counts that one was made. */
  processChangeRecorded?: boolean;
}

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
  severity: Severity;
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
  remedy: Remedy;
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
