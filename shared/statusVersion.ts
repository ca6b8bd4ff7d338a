/**
 * Whether a conversation as received is older than the one already shown: its status
 * has changed fewer times (`statusVersion`, counted by the database, migration 052).
 * Pushes and the answers to fetches can cross on the way; an answer read before a
 * status change must not undo it on screen. Both browser apps order by this. Equal
 * versions say nothing (a new label, an assignment): the latest to arrive is shown.
 * A server from before status versions sends none: nothing is older then.
 */
export function olderStatus(shown: { statusVersion?: number } | undefined, received: { statusVersion?: number }): boolean {
  return (
    typeof shown?.statusVersion === "number" && typeof received.statusVersion === "number" && received.statusVersion < shown.statusVersion
  );
}
