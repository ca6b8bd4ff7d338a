import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { rooms } from "../services/realtime/rooms.ts";
import { AGENT_EVENTS, AGENT_NAMESPACE } from "../../shared/wire/index.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { presentAlert } from "./presentAlert.ts";

/** Alerts live in the admins' consoles (listeners in events/listeners.ts): raised, recovered or acknowledged. */
export function earlyWarningSocketEvents(out: Broadcaster) {
  const send = ({ alert }: DomainEvents["early_warning.alert_raised"]) =>
    out.to(AGENT_NAMESPACE, [rooms.admins], AGENT_EVENTS.earlyWarning, presentAlert(alert));
  return { raised: send, changed: send };
}
