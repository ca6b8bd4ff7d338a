import type { ViewState } from "./ui/viewState.ts";
import { strings, type Locale } from "./locales/index.ts";
import type { SessionKeeper } from "./session.ts";
import type { Connection } from "./connection.ts";
import type { Conversation } from "./conversation.ts";
import type { PreChat } from "./preChat.ts";
import type { FollowUp } from "./followUp.ts";
import type { TranscriptByEmail } from "./transcriptByEmail.ts";
import type { StepUps } from "./stepUp.ts";
import { asking, type Ratings } from "./ratings.ts";
import type { ReadMarks } from "./readMarks.ts";
import { phaseOf } from "./phase.ts";
import { quickRepliesOf } from "./quickReplies.ts";
import { CJK } from "./text.ts";

/** The longest message the composer takes (the server's MAX_MESSAGE_LENGTH default). */
export const MAX_MESSAGE_LENGTH = 4000;

/** How long a dropped connection may take to come back before the banner says "reconnecting": a blip is not worth a banner. */
const RECONNECTING_AFTER_MS = 1500;

/** What the screen is drawn from: the widget's own settings and state, and what each part shows of itself. */
export interface ViewSources {
  readonly locale: Locale;
  /** The page's title and brand colour (boot settings). */
  readonly title?: string;
  readonly color?: string;
  readonly open: boolean;
  /** The latest reply, shown beside the closed launcher. */
  readonly preview: ViewState["preview"];
  readonly session: Pick<SessionKeeper, "current" | "fatal" | "notice" | "connectError">;
  readonly connection: Pick<Connection, "connected" | "everConnected" | "disconnectedAt">;
  readonly conversation: Pick<Conversation, "chat" | "handoffPending" | "agentTyping" | "botTyping">;
  readonly ratings: Pick<Ratings, "csatMode" | "npsMode" | "feedback">;
  readonly readMarks: Pick<ReadMarks, "count">;
  readonly preChat: Pick<PreChat, "view">;
  readonly followUp: Pick<FollowUp, "view" | "teamAway">;
  readonly stepUps: Pick<StepUps, "view">;
  readonly transcript: Pick<TranscriptByEmail, "view">;
}

/**
 * What the UI shows, from the state of the moment: the transcript (a message still sending while
 * offline shows as queued), who answers now, the banner, and each part's form or survey.
 * `View` draws it; nothing here changes state.
 */
export function buildViewState(src: ViewSources, now = Date.now()): ViewState {
  const s = strings(src.locale);
  const session = src.session.current;
  const { chat } = src.conversation;
  const { connected } = src.connection;
  const items = chat.list().map((i) => (i.state === "sending" && !connected ? { ...i, state: "queued" as const } : i));
  const { phase, agentName } = phaseOf(items, chat.status, src.conversation.handoffPending);
  const { fatal } = src.session;

  const g = session?.inbox.greeting;
  // An inbox greeting in English is not shown to a customer reading another language.
  const greeting = g && !(src.locale !== "en" && !CJK.test(g)) ? g : s.greeting;
  const typing = src.conversation.agentTyping.on
    ? { who: "agent" as const, name: agentName }
    : src.conversation.botTyping.on && phase === "assistant"
      ? { who: "bot" as const }
      : null;
  const csat = src.ratings.csatMode(items);
  const nps = src.ratings.npsMode(items, csat);
  const resolvedAndDone = chat.status === "resolved" && !asking(csat) && !asking(nps);

  return {
    locale: src.locale,
    s,
    title: src.title || session?.inbox.name || s.defaultTitle,
    color: src.color,
    open: src.open,
    unread: src.readMarks.count,
    items,
    greeting,
    phase,
    agentName,
    typing,
    banner: bannerOf(src, now),
    quickReplies: quickRepliesOf(items),
    feedback: src.ratings.feedback(items),
    showHuman: phase === "assistant" && !fatal,
    csat,
    nps,
    showNewConversation: resolvedAndDone,
    preview: src.open ? null : src.preview,
    maxLength: MAX_MESSAGE_LENGTH,
    connected,
    preChat: src.preChat.view(!!chat.conversationId || items.length > 0),
    away: src.followUp.view(
      phase === "waiting",
      items.some((i) => i.attributes.kind === "follow_up"),
    ),
    teamAway: src.followUp.teamAway,
    stepUp: src.stepUps.view(items, phase),
    transcript: resolvedAndDone ? src.transcript.view() : null,
  };
}

/** The one banner shown, the gravest first: the widget cannot work, offline, the server unreachable, reconnecting, a notice. */
function bannerOf(src: ViewSources, now: number): ViewState["banner"] {
  const s = strings(src.locale);
  const { fatal, notice, connectError } = src.session;
  const { connected, everConnected, disconnectedAt } = src.connection;
  const disconnectedFor = disconnectedAt ? now - disconnectedAt : 0;
  if (fatal) return { tone: "warn", text: s[fatal], icon: "alert" };
  if (typeof navigator !== "undefined" && navigator.onLine === false) return { tone: "warn", text: s.offline, icon: "offline" };
  if (connectError) return { tone: "warn", text: s.connectError, icon: "alert" };
  if (src.session.current && everConnected && !connected && disconnectedFor > RECONNECTING_AFTER_MS)
    return { tone: "warn", text: s.reconnecting, icon: "offline" };
  if (notice) return { tone: "info", text: s[notice], icon: "alert" };
  return null;
}
