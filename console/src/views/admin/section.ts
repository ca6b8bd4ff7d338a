import type { CannedResponses, Session } from "../../consoleHost.ts";
import type { AdminSection } from "../../routes.ts";
import type { AdminAgent, AdminTeam } from "./types.ts";

/** What a section of the admin console asks of the page around it (AdminPage implements it). */
export interface AdminSectionHost {
  readonly app: Pick<Session, "me"> & Pick<CannedResponses, "canned">;
  navigate(section: AdminSection, id?: string | null): void;
  loadPeople(): Promise<{ agents: AdminAgent[]; teams: AdminTeam[] }>;
}

/** One rendering of a section: where it draws, which record it shows, and whether it still counts. */
export interface SectionContext {
  page: AdminSectionHost;
  body: HTMLElement;
  id: string | null;
  /** False once the admin has moved on: a late response must not render. */
  alive(): boolean;
  /** Re-renders the current section (after a change). */
  reload(): void;
}
