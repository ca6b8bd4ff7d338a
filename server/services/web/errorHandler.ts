import type { ErrorRequestHandler } from "express";
import type { Logger } from "../../logger.ts";
import { AppError, toAppError } from "../../errors.ts";

/** Maps every error to `{error:{code,message}}` once; 5xx are logged with their cause. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: AppError;
    // body-parser's errors: malformed JSON, oversized bodies, wrong charset.
    const type = (err as { type?: string })?.type;
    if (type === "entity.parse.failed") e = new AppError("validation_error", "The request body is not valid JSON");
    else if (type === "entity.too.large") e = new AppError("payload_too_large", "The request body is too large");
    else if (type === "charset.unsupported" || type === "encoding.unsupported")
      e = new AppError("validation_error", "Unsupported body encoding");
    else e = toAppError(err);
    if (e.status >= 500) logger.error({ err: (e as { cause?: unknown }).cause ?? err, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(e.status).json(e.toJSON());
  };
}
