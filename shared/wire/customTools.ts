/**
 * The bank's own tools as the console's Settings → Tools view shows them (GET
 * /admin/tools). The definition is what the admin wrote; the secret is never sent
 * back, only whether one is stored.
 */
export interface CustomToolParameter {
  type: "string" | "integer" | "number" | "boolean";
  title?: string;
  description?: string;
  enum?: Array<string | number>;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface CustomToolDefinitionWire {
  name: string;
  description: string;
  label: { en: string; zh: string };
  parameters: { type: "object"; properties: Record<string, CustomToolParameter>; required: string[] };
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  auth: { kind: "none" } | { kind: "bearer" } | { kind: "header"; header: string };
  responseTemplate: { en: string; zh: string };
  requiresVerifiedCustomer: boolean;
  changesSomething: boolean;
  triggers: { intents: string[]; keywords: string[] };
  timeoutMs: number;
}

export interface CustomTool {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  definition: CustomToolDefinitionWire;
  secretStored: boolean;
  createdBy: string | null;
  createdAt: string;
}

/** What "Try it" answers: the reply the customer would read, or why there is none. */
export type CustomToolTrial =
  | { ok: true; reply: string; status: number; durationMs: number; response: unknown }
  | { ok: false; failure: string; message: string; status: number | null; durationMs: number; response?: unknown };

/** GET /admin/tools: each tool at its latest version, and the hosts a tool may call (CUSTOM_TOOL_HOSTS). */
export interface CustomToolList {
  items: CustomTool[];
  allowedHosts: string[];
}
