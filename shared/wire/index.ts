/**
 * The wire contract: what crosses between the server and its two browser apps (the
 * widget and the agent console). Types and constants only, imported by the server's
 * presenters and realtime service and by both bundles, so a field or an event
 * changed on one side fails to type-check on the other. Nothing here may import
 * from server/, widget/ or console/.
 */
export * from "./accessLog.ts";
export * from "./acks.ts";
export * from "./cases.ts";
export * from "./contacts.ts";
export * from "./conversations.ts";
export * from "./directory.ts";
export * from "./messages.ts";
export * from "./socketEvents.ts";
export * from "./sla.ts";
export * from "./stepUp.ts";
export * from "./widgetSession.ts";
export * from "./customTools.ts";
export * from "./automation.ts";
export * from "./retention.ts";
export * from "./nps.ts";
export * from "./earlyWarning.ts";
export * from "./segments.ts";
export * from "./inboxes.ts";
export * from "./audit.ts";
export * from "./agentSessions.ts";
export * from "./assist.ts";
export * from "./knowledge.ts";
export * from "./reports.ts";
export * from "./contactProfile.ts";
export * from "./auth.ts";
