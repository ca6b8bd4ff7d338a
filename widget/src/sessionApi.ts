import type { AckError, SessionResponse } from "./types.ts";

/** Why a session could not start: the HTTP status (0: no network) and the server's message. */
export interface SessionError {
  status: number;
  message?: string;
}

/** POST /widget/sessions; throws a SessionError. */
export async function postSession(origin: string, body: Record<string, unknown>): Promise<SessionResponse> {
  let status = 0;
  let json: (SessionResponse & { error?: AckError }) | null = null;
  try {
    const res = await fetch(`${origin}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
    status = res.status;
    json = await res.json();
  } catch {
    /* network or not JSON */
  }
  if (status !== 201 || !json || typeof json.token !== "string")
    throw { status, message: json && json.error && json.error.message } as SessionError;
  return json;
}
