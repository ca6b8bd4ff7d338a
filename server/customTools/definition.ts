import { z } from "zod";
import { TOOL_NAMES } from "../assistant/tools/accountTools.ts";

/**
 * What an admin defines for one of the bank's own tools, and the checks it must pass
 * before it is stored: a JSON Schema of its input (a deliberately small subset, below),
 * an HTTP call whose URL template names only those inputs, a reply template per
 * language, and what starts it offline.
 */

/** A placeholder in the URL that is not an input: the verified customer's id at the bank. */
export const CUSTOMER_ID_PLACEHOLDER = "customerId";
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const AUTH_KINDS = ["none", "bearer", "header"] as const;
export const MAX_TIMEOUT_MS = 15_000;

const propertyName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "Use 1–40 letters, digits and underscores, starting with a letter");
const text = (max: number) => z.string().trim().min(1, "Required").max(max, `At most ${max} characters`);

/** A regular expression as JSON Schema writes it (ECMA-262), compiled once here to refuse a broken one. */
const pattern = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (p) => {
      try {
        new RegExp(p, "u");
        return true;
      } catch {
        return false;
      }
    },
    { message: "is not a valid regular expression" },
  );

const common = {
  title: text(80).optional(),
  description: text(300).optional(),
};

/**
 * One input's schema. Only what the assistant can ask a customer for and check:
 * strings (with enum, pattern, lengths), integers and numbers (with bounds), booleans.
 * Anything else JSON Schema allows ($ref, nested objects, oneOf…) is refused, so a
 * definition means here exactly what it means to the bank's API and to a model.
 */
const propertySchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("string"),
      ...common,
      enum: z.array(text(100)).min(1).max(50).optional(),
      pattern: pattern.optional(),
      minLength: z.number().int().min(0).max(1000).optional(),
      maxLength: z.number().int().min(1).max(1000).optional(),
    })
    .strict()
    .refine((p) => p.minLength === undefined || p.maxLength === undefined || p.minLength <= p.maxLength, {
      message: "minLength is more than maxLength",
    }),
  z
    .object({
      type: z.enum(["integer", "number"]),
      ...common,
      minimum: z.number().finite().optional(),
      maximum: z.number().finite().optional(),
      enum: z.array(z.number().finite()).min(1).max(50).optional(),
    })
    .strict()
    .refine((p) => p.minimum === undefined || p.maximum === undefined || p.minimum <= p.maximum, {
      message: "minimum is more than maximum",
    }),
  z.object({ type: z.literal("boolean"), ...common }).strict(),
]);
export type ParameterSchema = z.infer<typeof propertySchema>;

export const parametersSchema = z
  .object({
    type: z.literal("object"),
    properties: z.record(propertyName, propertySchema).refine((p) => Object.keys(p).length <= 20, { message: "At most 20 inputs" }),
    required: z.array(propertyName).max(20).default([]),
    additionalProperties: z.literal(false).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const name of s.required) {
      if (!(name in s.properties)) ctx.addIssue({ code: "custom", path: ["required"], message: `"${name}" is not one of the properties` });
    }
    if (CUSTOMER_ID_PLACEHOLDER in s.properties) {
      ctx.addIssue({
        code: "custom",
        path: ["properties", CUSTOMER_ID_PLACEHOLDER],
        message: `"${CUSTOMER_ID_PLACEHOLDER}" is reserved: it is the verified customer's id, filled in by BankDesk`,
      });
    }
  });
export type ParametersSchema = z.infer<typeof parametersSchema>;

const bilingual = (max: number) => z.object({ en: text(max), zh: text(max) }).strict();

/** The definition as stored in a version (the secret is kept apart, sealed). */
export const definitionSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{2,47}$/, "Use snake_case: 3–48 lower-case letters, digits and underscores, starting with a letter")
      .refine((n) => !(TOOL_NAMES as readonly string[]).includes(n), { message: "is the name of a built-in tool" }),
    /** What the tool does, for admins and for a language model choosing it. */
    description: text(500),
    /** What the customer reads it called: "track your card delivery" / "查询卡片寄送进度". */
    label: bilingual(80),
    parameters: parametersSchema,
    method: z.enum(HTTP_METHODS),
    /** `https://api.bank.example/deliveries/{trackingNumber}`: inputs and {customerId} in braces, URL-encoded when filled. */
    url: z.string().trim().min(1).max(2000),
    auth: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("none") }).strict(),
      z.object({ kind: z.literal("bearer") }).strict(),
      z
        .object({
          kind: z.literal("header"),
          header: z
            .string()
            .regex(/^[A-Za-z0-9-]{1,60}$/, "A header name such as X-Api-Key")
            .refine((h) => !["host", "content-length", "content-type", "transfer-encoding", "connection"].includes(h.toLowerCase()), {
              message: "is set by BankDesk",
            }),
        })
        .strict(),
    ]),
    /** The reply, with `{{field.path}}` placeholders read from the JSON response. */
    responseTemplate: bilingual(2000),
    requiresVerifiedCustomer: z.boolean(),
    /** A write: the assistant asks the customer to confirm first, and the call is audited as a change. */
    changesSomething: z.boolean(),
    triggers: z
      .object({
        intents: z
          .array(z.string().regex(/^[a-z0-9_]{1,60}$/, "An intent name such as card_delivery"))
          .max(20)
          .default([]),
        keywords: z.array(text(60)).max(30).default([]),
      })
      .strict(),
    timeoutMs: z.number().int().min(500).max(MAX_TIMEOUT_MS).default(5000),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = urlTemplateProblem(d.url, d.parameters, d.requiresVerifiedCustomer);
    if (problem) ctx.addIssue({ code: "custom", path: ["url"], message: problem });
    for (const lang of ["en", "zh"] as const) {
      const p = templateProblem(d.responseTemplate[lang]);
      if (p) ctx.addIssue({ code: "custom", path: ["responseTemplate", lang], message: p });
    }
    // A change that touches the customer's accounts must be tied to who they are.
    if (d.changesSomething && !d.requiresVerifiedCustomer) {
      ctx.addIssue({
        code: "custom",
        path: ["requiresVerifiedCustomer"],
        message: "A tool that changes something needs a verified customer",
      });
    }
  });
export type CustomToolDefinition = z.infer<typeof definitionSchema>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The names in a URL template's braces. */
export function urlPlaceholders(url: string): string[] {
  return [...url.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Why a URL template cannot be used, or null: the scheme, placeholders only in path and query, each an input. */
export function urlTemplateProblem(url: string, parameters: ParametersSchema, verified: boolean): string | null {
  const names = urlPlaceholders(url);
  for (const n of names) {
    if (n === CUSTOMER_ID_PLACEHOLDER) {
      if (!verified) return `{${CUSTOMER_ID_PLACEHOLDER}} needs a verified customer (requiresVerifiedCustomer)`;
    } else if (!(n in parameters.properties)) return `{${n}} is not one of the input parameters`;
  }
  // Filled with harmless values, the template must be a URL whose host has no placeholder.
  let parsed: URL;
  try {
    parsed = new URL(url.replace(PLACEHOLDER, "zzslotzz"));
  } catch {
    return "is not a valid URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must be an http or https URL";
  if (parsed.username || parsed.password) return "must not carry a user name or password (use the stored secret)";
  if (parsed.host.includes("zzslotzz")) return "may not have a placeholder in its host";
  if (url.includes("#")) return "must not have a fragment";
  return null;
}

/** Whether a host is on CUSTOM_TOOL_HOSTS (exact names, or `*.suffix` for sub-domains). */
export function hostAllowed(host: string, allowSetting: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return allowSetting
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => (entry.startsWith("*.") ? h.endsWith(entry.slice(1)) && h.length > entry.length - 1 : h === entry));
}

/** The host a URL template calls (placeholders cannot be in it). */
export function templateHost(url: string): string {
  return new URL(url.replace(PLACEHOLDER, "x")).hostname;
}

/** The URL with its placeholders filled, each value URL-encoded (a "/" or "?" in a value stays inside it). */
export function fillUrl(url: string, values: Record<string, unknown>): string {
  return url.replace(PLACEHOLDER, (_m, name: string) => encodeURIComponent(String(values[name] ?? "")));
}

const TEMPLATE_TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const TEMPLATE_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Why a reply template cannot be rendered, or null: each `{{…}}` must be a field path. */
export function templateProblem(template: string): string | null {
  for (const m of template.matchAll(TEMPLATE_TAG)) {
    if (!TEMPLATE_PATH.test(m[1]!)) return `{{${m[1]}}} is not a field path such as {{delivery.status}}`;
  }
  return null;
}

/** The zod schema of a tool's input, compiled from its JSON Schema subset. */
export function compileParameters(schema: ParametersSchema): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const field = compileProperty(p);
    shape[name] = schema.required.includes(name) ? field : field.optional();
  }
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, unknown>>;
}

export function compileProperty(p: ParameterSchema): z.ZodType {
  switch (p.type) {
    case "string": {
      if (p.enum) return z.enum(p.enum as [string, ...string[]]);
      let s = z.string();
      if (p.minLength !== undefined) s = s.min(p.minLength);
      if (p.maxLength !== undefined) s = s.max(p.maxLength);
      if (p.pattern) s = s.regex(new RegExp(p.pattern, "u"), `does not match ${p.pattern}`);
      return s;
    }
    case "integer":
    case "number": {
      let n = p.type === "integer" ? z.number().int() : z.number();
      if (p.minimum !== undefined) n = n.min(p.minimum);
      if (p.maximum !== undefined) n = n.max(p.maximum);
      const values = p.enum;
      return values ? n.refine((v) => values.includes(v), { message: `must be one of ${values.join(", ")}` }) : n;
    }
    case "boolean":
      return z.boolean();
  }
}

/** The function definition a language model is offered (the input schema as JSON Schema, as defined). */
export function functionSpec(d: CustomToolDefinition): { name: string; description: string; parameters: Record<string, unknown> } {
  return {
    name: d.name,
    description: d.changesSomething ? `${d.description} The customer must confirm before anything changes.` : d.description,
    parameters: { type: "object", properties: d.parameters.properties, required: d.parameters.required, additionalProperties: false },
  };
}
