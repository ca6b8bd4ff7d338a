/** The REST client: same-origin cookie session, CSRF token on every write, typed errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per-field problems of a validation error: `[{path: "settings.timezone", message}]`. */
    readonly details: Array<{ path: string; message: string }> = [],
    /** The server's `details.reason`, when it gives one (e.g. "challenge_expired"). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

let csrfToken = "";
let onUnauthenticated: (() => void) | undefined;
let onEnrolmentRequired: (() => void) | undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request that needed a session got 401 (the session expired or was revoked). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** Called when the server says the agent must set up two-factor sign-in first (an admin just required it). */
export function setEnrolmentRequiredHandler(fn: () => void): void {
  onEnrolmentRequired = fn;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const details = Array.isArray(err?.details)
      ? (err.details as unknown[]).filter(
          (d): d is { path: string; message: string } =>
            typeof (d as { path?: unknown })?.path === "string" && typeof (d as { message?: unknown })?.message === "string",
        )
      : [];
    const reason = (err?.details as { reason?: unknown } | undefined)?.reason;
    const e = new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? `The server answered ${res.status}`,
      details,
      typeof reason === "string" ? reason : undefined,
    );
    if (res.status === 401) onUnauthenticated?.();
    if (e.code === "two_factor_enrolment_required") onEnrolmentRequired?.();
    throw e;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>("GET", withQuery(path, query)),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  del: <T = void>(path: string, query?: Query) => request<T>("DELETE", withQuery(path, query)),
};

/** Uploads a file's bytes (console session + CSRF token), e.g. an attachment; the server decides its type from the bytes. */
export async function uploadFile<T>(path: string, file: Blob, query?: Query): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${withQuery(path, query)}`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/octet-stream", "X-CSRF-Token": csrfToken },
      credentials: "same-origin",
      body: file,
    });
  } catch {
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  const data = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!res.ok) {
    if (res.status === 401) onUnauthenticated?.();
    throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? `The server answered ${res.status}`);
  }
  return data as T;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}
