import type { ErrorRequestHandler } from "express";
import type { Logger } from "../../logger.ts";
import { AppError, toAppError, type ErrorCode } from "../../errors.ts";

/** Maps every error to `{error:{code,message}}` once; 5xx are logged with their cause. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: AppError;
    // body-parser's errors: malformed JSON, oversized bodies, wrong charset.
    const type = (err as { type?: string })?.type;
    if (type === "entity.parse.failed") e = new AppError("validation_error", "The request body is not valid JSON");
    else if (type === "entity.too.large") e = new AppError("payload_too_large", "The request body is too large");
    else if (type === "entity.too.deep") e = new AppError("validation_error", (err as Error).message);
    else if (type === "charset.unsupported" || type === "encoding.unsupported")
      e = new AppError("validation_error", "Unsupported body encoding");
    // Found by fuzzing (tests/fuzz): a path with a bad percent-encoding ("/conversations/%ED%A0%80")
    // makes the router's decodeURIComponent throw a URIError (status 400), which was answered 500.
    // Other client errors raised by Express's own layers (http-errors, `expose: true`) keep their 4xx too.
    else if (err instanceof URIError) e = new AppError("validation_error", "The URL is not validly encoded");
    else if (isHttpClientError(err)) e = new AppError(HTTP_CODES[err.status] ?? "validation_error", err.message);
    else e = toAppError(err);
    if (e.status >= 500) logger.error({ err: (e as { cause?: unknown }).cause ?? err, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(e.status).json(e.toJSON());
  };
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

function isHttpClientError(err: unknown): err is { status: number; message: string } {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  return typeof e?.status === "number" && e.status >= 400 && e.status < 500 && e.expose === true && typeof e.message === "string";
}
