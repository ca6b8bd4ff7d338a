import pino, { type Logger } from "pino";
import { redactText } from "./privacy/redact.ts";
import { resolveLogFormat, type LogFormatSetting } from "./logging/logFormat.ts";
import { prettyDestination } from "./logging/prettyLines.ts";

/**
 * Structured JSON logs, or readable lines on a terminal (LOG_FORMAT). Two layers keep
 * secrets out: known secret-bearing keys are removed by path, and every logged string
 * goes through the same redaction the assistant uses (card numbers, ID numbers, phones,
 * e-mails). Both happen before the record is serialised, so the readable lines, which
 * are made from the JSON one, are redacted alike.
 */
const SECRET_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "identityHash",
  "*.identityHash",
  "emailHash",
  "*.emailHash",
  "secret",
  "*.secret",
  "apiKey",
  "*.apiKey",
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-csrf-token']",
  "headers.authorization",
  "headers.cookie",
];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value).text;
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormatSetting = "json"): Logger {
  const target = destination ?? process.stdout;
  const isTTY = (target as { isTTY?: boolean }).isTTY === true;
  const pretty = resolveLogFormat(format, { isTTY }) === "pretty";
  return pino(
    {
      level,
      base: { service: "bankdesk" },
      redact: { paths: SECRET_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    pretty ? prettyDestination(target, { colour: isTTY }) : destination,
  );
}

export type { Logger };
