/**
 * What the views ask of the console around them, in narrow parts: each view names the parts it
 * uses, and ConsoleApp (app.ts) implements them all. So no view depends on the whole app, and
 * app.ts, which builds the views, is imported by none of them.
 */
import type { Socket } from "socket.io-client";
import type { Route } from "./routes.ts";
import type { Agent, CannedResponse, ContactRef, Conversation, InboxRef, Label, Segment, Team, View } from "./types.ts";

/** The signed-in agent, where they are in the console, and leaving it. */
export interface Session {
  readonly me: Agent;
  readonly route: Route;
  navigate(route: Route, replace?: boolean): void;
  setAvailability(a: "online" | "away"): void;
  signOut(): Promise<void>;
}

/** Agents, teams, inboxes and labels; null until loaded (or when loading failed). */
export interface Directory {
  agents: Agent[] | null;
  teams: Team[] | null;
  inboxes: InboxRef[] | null;
  labels: Label[] | null;
  /** Customer segments (GET /segments): a filter of the list and the reports' overview. */
  segments: Segment[] | null;
  agentName(id: string | null | undefined): string;
  teamName(id: string | null | undefined): string;
  loadDirectory(): Promise<void>;
}

/** The canned responses, read once and kept; undefined: read them again. */
export interface CannedResponses {
  canned: CannedResponse[] | undefined;
  loadCanned(): Promise<CannedResponse[] | Error>;
}

/** The conversations the console knows, the one open, and what an agent does to them. */
export interface Conversations {
  readonly conversations: Map<string, Conversation>;
  readonly contacts: Map<string, ContactRef>;
  readonly unread: Set<string>;
  readonly socket: Socket | null;
  /** The conversation open in the pane, if any. */
  readonly openConversationId: string | null;
  remember(c: Conversation): Conversation;
  contactFor(c: Conversation): Promise<ContactRef | undefined>;
  act<T extends Conversation>(p: Promise<T>, success?: string): Promise<T | undefined>;
  openConversation(id: string | null): void;
  markRead(id: string): void;
  isTyping(conversationId: string): boolean;
  /** Puts text into the open conversation's reply box (a suggested answer, say). */
  insertIntoReply(text: string): void;
}

export interface Filters {
  q: string;
  status: string;
  teamId: string;
  inboxId: string;
  label: string;
  priority: string;
  sentiment: string;
  segmentId: string;
}

/** The conversation list: its view, filters, items and the views' counts. */
export interface ConversationListState {
  readonly currentView: View;
  filters: Filters;
  list: { items: Conversation[]; total: number; loading: boolean; error: string | null; loaded: boolean };
  counts: Partial<Record<View, number>>;
  /** The list's order: longest waiting first, or least SLA time left first. */
  listSort: "waiting" | "sla";
  hasFilters(): boolean;
  clearFilters(): void;
  loadList(reset?: boolean): Promise<void>;
  renderList(): void;
}
