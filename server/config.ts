import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";
import { parseAllowList } from "./security/destinations.ts";
import { relyingPartyProblem } from "./security/relyingParty.ts";

/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`. A bad value stops the process at start with a message naming the
 * variable, instead of failing later somewhere far away.
 */

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(p + ":")), {
      message: `must start with ${protocols.map((p) => p + "://").join(" or ")}`,
    });

const SERVICES = ["web", "realtime", "worker"] as const;
export type ServiceName = (typeof SERVICES)[number];

const envFields = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  /** Connections each process keeps to PostgreSQL (the server's max_connections bounds the sum over processes). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: url(["redis", "rediss"]).optional(),
  /** Namespaces BullMQ queues and Socket.IO adapter channels, so environments can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,50}$/, "letters, digits, _ and - only")
    .default("bankdesk"),
  KNOWLEDGE_DIR: z.string().min(1).default("./knowledge"),
  INTENTS_DIR: z.string().min(1).optional(),
  PROMPTS_DIR: z.string().min(1).default("./prompts"),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).optional(),
  EMBEDDER: z.enum(["offline", "transformers", "openai"]).default("offline"),
  TRANSFORMERS_MODEL_DIR: z.string().min(1).optional(),
  TRANSFORMERS_ALLOW_REMOTE: bool.default(false),
  /**
   * Who reads customers' sentiment (server/assistant/sentiment/createSentiment.ts): the offline
   * lexicon analyzer, a local text-classification model in SENTIMENT_MODEL_DIR, or the
   * configured LLM (OPENAI_*). A model that fails or is slow leaves that message to the lexicon.
   */
  SENTIMENT: z.enum(["lexicon", "transformers", "llm"]).default("lexicon"),
  SENTIMENT_MODEL_DIR: z.string().min(1).optional(),
  /**
   * Longest wait for the sentiment model on one message (a batch, in `bankdesk sentiment`) before the
   * lexicon reads it. A ceiling on how long a model may hold a customer's message, not a measurement:
   * the tiny test model answers in milliseconds; a bank's model and LLM latency are theirs to set it by.
   */
  SENTIMENT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `auto`: readable lines when logs go to a terminal, JSON lines otherwise (server/logging/logFormat.ts). */
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  /**
   * Encrypts the secrets stored in the database (identity secrets, channel
   * credentials, webhook signing secrets: server/security/secretBox.ts); every
   * process of a deployment needs the same one.
   */
  SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * A console session ends after this long without the agent touching the console
   * (typing, clicking; the console reports it at most once a minute), as a bank's
   * policy for unattended terminals asks; a new sign-in starts a new one.
   */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** Earlier SECRET_KEYs, comma-separated, still accepted for reading while `bankdesk secrets rotate` re-encrypts. */
  SECRET_KEY_PREVIOUS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, "each key must be at least 32 characters"))),
  SERVICES: z
    .string()
    .default("web,realtime,worker")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(SERVICES)).min(1)),
  KNOWLEDGE_WATCH: bool.default(true),
  DEMO_SEED: bool.optional(),
  MAX_MESSAGE_LENGTH: z.coerce.number().int().min(100).max(100_000).default(4000),
  /** Largest file a customer may attach (images and PDF); files live under DATA_DIR/attachments. */
  MAX_ATTACHMENT_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(10_485_760),
  /**
   * Worker processes re-queue the assistant's reply to customer questions left
   * unanswered for 30 s (a job lost with a process while Redis was down), at start
   * and every minute. Off only where conversations are staged by hand (tests).
   */
  UNANSWERED_SWEEP: bool.default(true),
  /** Round-robin handed-off conversations to online agents of their team (teams.auto_assign overrides). */
  AUTO_ASSIGN: bool.default(true),
  /** What happens to an agent's open conversations when they go offline (teams.on_agent_offline overrides). */
  ASSIGNMENT_ON_OFFLINE: z.enum(["reassign", "unassign", "keep"]).default("reassign"),
  /** How long an agent may be without a console socket (reload, flaky network) before counting as offline. */
  OFFLINE_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  // Channels (server/channels) and outgoing webhooks (server/webhooks).
  /** Outbound e-mail, e.g. smtp://user:pass@smtp.bank.example:587 or smtps://...:465. */
  SMTP_URL: url(["smtp", "smtps"]).optional(),
  /** Default sender of outbound e-mail, e.g. "Bayview Bank <help@bayviewbank.example>"; an e-mail inbox may set its own. */
  MAIL_FROM: z.string().min(3).optional(),
  TWILIO_API_BASE_URL: url(["http", "https"]).default("https://api.twilio.com"),
  WHATSAPP_API_BASE_URL: url(["http", "https"]).default("https://graph.facebook.com/v21.0"),
  WECHAT_API_BASE_URL: url(["http", "https"]).default("https://api.weixin.qq.com"),
  /** Attempts for a reply sent through a channel provider before it is marked failed. */
  CHANNEL_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** First retry delay of a channel reply in ms (doubles each attempt). */
  CHANNEL_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
  WEBHOOK_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  WEBHOOK_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  /** Timeout of one outgoing HTTP call (channel provider or webhook). */
  OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Private, loopback or otherwise special networks and host names that outgoing
   * requests (webhooks, the API channel, provider base URLs) may reach, e.g.
   * "10.20.0.0/16, hooks.intranet.bank". Empty: public addresses only (SSRF guard).
   */
  OUTBOUND_ALLOW: z
    .string()
    .default("")
    .superRefine((value, zctx) => {
      try {
        parseAllowList(value);
      } catch {
        zctx.addIssue({ code: "custom", message: "must be a comma-separated list of networks (10.0.0.0/8), addresses and host names" });
      }
    }),
  /**
   * Hosts the bank's own tools (server/customTools) may call: comma-separated host names,
   * `*.api.bank.example` for its sub-domains. Empty: admins cannot define a tool that calls
   * anything. The SSRF guard (OUTBOUND_ALLOW) applies on top, at send time.
   */
  CUSTOM_TOOL_HOSTS: z
    .string()
    .default("")
    .refine((v) => v.split(",").every((h) => !h.trim() || /^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(h.trim())), {
      message: "must be a comma-separated list of host names (api.bank.example, *.internal.bank.example)",
    }),
  /** Requests per minute per client IP on /webhooks/*. */
  INBOUND_WEBHOOK_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Largest raw e-mail accepted by POST /webhooks/email (the other webhooks take 256 KB). */
  INBOUND_EMAIL_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(10_000_000),
  /**
   * BullMQ stalled-job handling: a worker holds a job's lock for this long and renews
   * it at half; a worker that dies (crash, SIGKILL) stops renewing, and another
   * worker's stalled check (every QUEUE_STALLED_INTERVAL_MS) puts the job back to be
   * retried. Lower them to recover faster from crashed workers (the fault tests do).
   */
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Jobs a worker process runs at once (BullMQ). Jobs mostly wait on PostgreSQL, so
   * this is bounded by DATABASE_POOL_SIZE rather than by cores (eval/bench/load.ts).
   */
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  /**
   * The CPU priority (nice, 0-19) a process that runs the worker service without web or
   * realtime gives itself, so that on a node shared with a web process the customers'
   * acknowledgements are scheduled before the assistant's replies, which wait in the
   * queue instead (server/cli/processPriority.ts has the measurement). 0 leaves it equal.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Which proxies' X-Forwarded-For to believe (Express "trust proxy"): client IPs feed
   * the per-IP rate limits and the audit log. Behind a reverse proxy on another host
   * or container, name its address or network, e.g. "loopback, uniquelocal" or "10.0.0.0/8".
   */
  TRUST_PROXY: z.string().min(1).default("loopback"),
  NODE_ENV: z.string().default("development"),
  // The bank's core system (server/banking, docs/core-banking.openapi.yaml). Unset:
  // the embedded demo bank answers account questions.
  /** Base URL of the bank's implementation of the core-banking contract, e.g. https://core.bank.example/bankdesk/v1. */
  CORE_BANKING_URL: url(["http", "https"]).optional(),
  /** Longest wait for one attempt of one call to the core (answer body included). */
  CORE_BANKING_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  /** Extra attempts for a read that timed out, failed to connect or got a 5xx/429 (writes are never retried). */
  CORE_BANKING_READ_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** First pause between read attempts in ms (doubles each attempt, with jitter). */
  CORE_BANKING_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(10_000).default(150),
  /** Failed attempts in a row after which calls fail at once ("our systems are busy") ... */
  CORE_BANKING_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** ... for this long, before one call is let through to see whether the core is back. */
  CORE_BANKING_BREAKER_RESET_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** OAuth2 client credentials: the token endpoint, client id and secret (and scope, if the bank uses one). */
  CORE_BANKING_TOKEN_URL: url(["http", "https"]).optional(),
  CORE_BANKING_CLIENT_ID: z.string().min(1).optional(),
  CORE_BANKING_CLIENT_SECRET: z.string().min(1).optional(),
  CORE_BANKING_SCOPE: z.string().min(1).optional(),
  /** Mutual TLS: paths of our client certificate and key (PEM), and of the CA that signed the core's certificate. */
  CORE_BANKING_TLS_CERT: z.string().min(1).optional(),
  CORE_BANKING_TLS_KEY: z.string().min(1).optional(),
  CORE_BANKING_TLS_CA: z.string().min(1).optional(),
  // OpenID Connect single sign-on for staff (server/sso, README "Single sign-on").
  /** The identity provider's issuer; its /.well-known/openid-configuration is read at the first sign-in. */
  OIDC_ISSUER_URL: url(["http", "https"]).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  /** Never logged; kept only in the environment, like CORE_BANKING_CLIENT_SECRET. */
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** Where the provider sends the browser back: this server's /auth/sso/callback, registered at the provider. */
  OIDC_REDIRECT_URL: url(["http", "https"]).optional(),
  /** What the sign-in button says: "Sign in with <name>". */
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).default("single sign-on"),
  OIDC_SCOPES: z.string().min(1).max(500).default("openid email profile"),
  /**
   * A claim listing the user's groups or roles (e.g. "groups"). When set, each sign-in
   * takes the agent's role from it (OIDC_ADMIN_VALUES, OIDC_AGENT_VALUES) and refuses
   * a user with none of those values.
   */
  OIDC_ROLE_CLAIM: z.string().min(1).max(100).optional(),
  OIDC_ADMIN_VALUES: z.string().min(1).max(2000).optional(),
  OIDC_AGENT_VALUES: z.string().min(1).max(2000).optional(),
  /** Create an agent at the first sign-in of a user the provider vouches for; off: only existing agents. */
  OIDC_PROVISION_USERS: bool.default(false),
  /**
   * The provider itself requires a second factor of every user who signs in (the bank
   * has set it up so): then an SSO sign-in counts as two-factor and skips our TOTP step.
   */
  OIDC_IDP_ENFORCES_MFA: bool.default(false),
  /**
   * Authentication strength (server/sso/authenticationStrength.ts): the `acr` values
   * accepted (space- or comma-separated; requested with acr_values) and the `amr` methods
   * of which the ID token must name at least one. A sign-in without them is refused;
   * one that passes them counts as two-factor.
   */
  OIDC_ACR_VALUES: z.string().min(1).max(1000).optional(),
  OIDC_AMR_VALUES: z.string().min(1).max(1000).optional(),
  /**
   * RP-initiated logout: where the provider sends the browser after signing the user out
   * there too (registered at the provider as a post-logout redirect URI). Unset: signing
   * out of BankDesk leaves the provider's session alone.
   */
  OIDC_POST_LOGOUT_REDIRECT_URL: url(["http", "https"]).optional(),
  /** Set to false with SSO on: the console offers SSO only and e-mail/password sign-in is refused. */
  PASSWORD_SIGN_IN: bool.default(true),
  // Security keys and passkeys for staff (server/security/relyingParty.ts). Unset: from PUBLIC_URL.
  /** The WebAuthn relying-party ID: the console's host name or a parent domain of it (keys registered under it work only there). */
  WEBAUTHN_RP_ID: z
    .string()
    .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, "must be a host name, e.g. bank.example")
    .transform((v) => v.toLowerCase())
    .optional(),
  /** Origins the console is opened from (comma-separated, e.g. https://desk.bank.example); each must be on WEBAUTHN_RP_ID. */
  WEBAUTHN_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().replace(/\/$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(url(["http", "https"])).min(1))
    .optional(),
});

/**
 * Settings that only make sense together: a half-configured core connection stops
 * the process at start, naming what is missing, instead of failing on the first balance.
 */
export const envSchema = envFields.superRefine((e, zctx) => {
  const problem = (path: string, message: string) => zctx.addIssue({ code: "custom", path: [path], message });
  const oauth = [e.CORE_BANKING_TOKEN_URL, e.CORE_BANKING_CLIENT_ID, e.CORE_BANKING_CLIENT_SECRET];
  if (oauth.some(Boolean) && !oauth.every(Boolean)) {
    problem(
      "CORE_BANKING_TOKEN_URL",
      "OAuth2 needs CORE_BANKING_TOKEN_URL, CORE_BANKING_CLIENT_ID and CORE_BANKING_CLIENT_SECRET together",
    );
  }
  if (Boolean(e.CORE_BANKING_TLS_CERT) !== Boolean(e.CORE_BANKING_TLS_KEY)) {
    problem("CORE_BANKING_TLS_CERT", "mutual TLS needs both CORE_BANKING_TLS_CERT and CORE_BANKING_TLS_KEY");
  }
  const tls = e.CORE_BANKING_TLS_CERT || e.CORE_BANKING_TLS_CA;
  if (!e.CORE_BANKING_URL && (oauth.some(Boolean) || tls || e.CORE_BANKING_SCOPE)) {
    problem("CORE_BANKING_URL", "required when other CORE_BANKING_* connection settings are set");
  }
  if (e.CORE_BANKING_URL && tls && !e.CORE_BANKING_URL.startsWith("https:")) {
    problem("CORE_BANKING_URL", "must be https:// when a TLS certificate or CA is configured");
  }
  const oidc = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET, e.OIDC_REDIRECT_URL];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problem("OIDC_ISSUER_URL", "single sign-on needs OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URL together");
  }
  if (e.OIDC_ROLE_CLAIM && !e.OIDC_ADMIN_VALUES && !e.OIDC_AGENT_VALUES) {
    problem("OIDC_ROLE_CLAIM", "needs OIDC_ADMIN_VALUES or OIDC_AGENT_VALUES: which values of the claim make an admin or an agent");
  }
  if (!e.PASSWORD_SIGN_IN && !e.OIDC_ISSUER_URL) {
    problem("PASSWORD_SIGN_IN", "can be false only with single sign-on configured (OIDC_ISSUER_URL...)");
  }
  if (e.SENTIMENT === "transformers" && !e.SENTIMENT_MODEL_DIR) {
    problem("SENTIMENT_MODEL_DIR", "required with SENTIMENT=transformers: the folder of a local text-classification model");
  }
  if (e.SENTIMENT === "llm" && !(e.OPENAI_MODEL && (e.OPENAI_BASE_URL || e.OPENAI_API_KEY))) {
    problem("SENTIMENT", "SENTIMENT=llm needs the chat model configured: OPENAI_MODEL, and OPENAI_BASE_URL or OPENAI_API_KEY");
  }
  const webauthnProblem = relyingPartyProblem(e);
  if (webauthnProblem) problem(webauthnProblem.variable, webauthnProblem.message);
  // Account data and client secrets do not cross a network in clear text in production.
  if (e.NODE_ENV === "production") {
    for (const key of [
      "CORE_BANKING_URL",
      "CORE_BANKING_TOKEN_URL",
      "OIDC_ISSUER_URL",
      "OIDC_REDIRECT_URL",
      "OIDC_POST_LOGOUT_REDIRECT_URL",
    ] as const) {
      if (e[key]?.startsWith("http:")) problem(key, "must be https:// when NODE_ENV=production");
    }
  }
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, "SECRET_KEY" | "INTENTS_DIR" | "DEMO_SEED"> {
  SECRET_KEY: string;
  INTENTS_DIR: string;
  /** Seed the demo bank (admin, inbox, customers, conversations) on a new database. */
  DEMO_SEED: boolean;
  isProduction: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  if (isProduction && !e.SECRET_KEY) {
    throw new ConfigError(["SECRET_KEY: required when NODE_ENV=production"]);
  }
  return {
    ...e,
    DATA_DIR: path.resolve(e.DATA_DIR),
    KNOWLEDGE_DIR: path.resolve(e.KNOWLEDGE_DIR),
    PROMPTS_DIR: path.resolve(e.PROMPTS_DIR),
    INTENTS_DIR: path.resolve(e.INTENTS_DIR ?? path.join(e.KNOWLEDGE_DIR, "intents")),
    SECRET_KEY: e.SECRET_KEY ?? devSecret(path.resolve(e.DATA_DIR)),
    // The demo bank (known customers, an identity endpoint) never runs in production unless asked for.
    DEMO_SEED: e.DEMO_SEED ?? (!e.DATABASE_URL && !isProduction),
    isProduction,
  };
}

/**
 * Outside production a missing SECRET_KEY is generated once and kept in the data
 * directory, so the secrets it encrypts stay readable across restarts without
 * anyone configuring one.
 */
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret.key");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    const secret = crypto.randomBytes(32).toString("hex");
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
