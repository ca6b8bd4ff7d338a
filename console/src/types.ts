/**
 * Shapes of the JSON the server sends. What crosses the wire to both the console and
 * the widget (messages, conversations, contacts, socket events) is the shared
 * contract, shared/wire, that the server's presenters are checked against; the
 * shapes only the console reads are below.
 */
import type { Agent } from "../../shared/wire/index.ts";

export type {
  Agent,
  AnswerPreview,
  BankingError,
  ContactProfile,
  ConversationVerification,
  CustomerBanking,
  KnowledgeHit,
  KnowledgeSearchResult,
  AnswerFeedback,
  CaseSummary,
  Attachment,
  Availability,
  CannedResponseRef as CannedResponse,
  Citation,
  Contact,
  ContactRef,
  ContactMerge,
  Vulnerability,
  VulnerabilityKind,
  EmotionalProfile,
  MoodTrend,
  Conversation,
  ConversationStatus as Status,
  Csat,
  InboxRef,
  Label,
  Segment,
  SegmentCriteria,
  Message,
  Priority,
  Role,
  SentimentLabel,
  StreamEvent,
  TeamRef as Team,
  TypingEvent,
} from "../../shared/wire/index.ts";

/** A completed sign-in (POST /auth/login, /auth/login/two-factor). */
export interface LoginResult {
  agent: Agent;
  csrfToken: string;
  /** mustEnrol: the organisation requires two-factor sign-in and this agent has to set it up first. */
  twoFactor?: { enabled: boolean; mustEnrol: boolean };
}

export type View = "mine" | "unassigned" | "all" | "bot" | "resolved";
