import path from "node:path";
import { refuseDeepJson } from "../../security/jsonDepth.ts";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";
import helmet from "helmet";
import cookieParser from "cookie-parser";
import cors from "cors";
import { rateLimit } from "express-rate-limit";
import type { AppContext } from "../../context.ts";
import { ApiRouter } from "./ApiRouter.ts";
import { createAuthenticator } from "./authenticate.ts";
import { errorHandler } from "./errorHandler.ts";
import { healthRoutes, type ReadinessCheck } from "./routes/health.ts";
import { authRoutes } from "./routes/auth.ts";
import { securityKeyRoutes } from "./routes/securityKeys.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { widgetRoutes } from "./routes/widget.ts";
import { directoryRoutes } from "./routes/directory.ts";
import { reportRoutes } from "./routes/reports.ts";
import { adminRoutes } from "./routes/admin.ts";
import { AppError } from "../../errors.ts";
import { sharedLimit, type SharedLimitStore } from "../../security/sharedRateLimit.ts";
import { articlePages } from "../../knowledge/articlePage.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DIST_DIR = path.join(ROOT, "dist");

/** Sign-in requests (password, second step, security key) a client address may make in 15 minutes. */
const SIGN_INS_PER_ADDRESS = { points: 30, seconds: 15 * 60 };

export interface WebAppOptions {
  /** Where rate limits are counted across nodes; without it, in this process's memory. */
  redis?: SharedLimitStore;
  readinessChecks?: ReadinessCheck[];
  /** Extra route groups (knowledge, assistant...) registered by their modules. */
  routes?: Array<(api: ApiRouter, ctx: AppContext) => void>;
  /** Endpoints outside /api/v1 (channel webhooks) registered by their modules. */
  mounts?: Array<(app: Express, ctx: AppContext) => void>;
}

/** The HTTP side: REST API under /api/v1, health checks, the demo page, widget and console. */
export function createWebApp(ctx: AppContext, options: WebAppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.TRUST_PROXY);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "blob:"],
          "connect-src": ["'self'", "ws:", "wss:"],
          "frame-ancestors": ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  healthRoutes(app, ctx, options.readinessChecks ?? []);
  for (const mount of options.mounts ?? []) mount(app, ctx);

  const api = new ApiRouter(createAuthenticator(ctx));
  authRoutes(api, ctx);
  securityKeyRoutes(api, ctx);
  conversationRoutes(api, ctx);
  widgetRoutes(api, ctx);
  directoryRoutes(api, ctx);
  reportRoutes(api, ctx);
  adminRoutes(api, ctx);
  for (const register of options.routes ?? []) register(api, ctx);

  const apiLimiter = rateLimit({
    windowMs: 60_000,
    limit: 600,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError("rate_limited", "Too many requests, slow down")),
  });
  // Sign-in attempts per client address, on every node together (Redis), so that spreading
  // guesses over nodes buys no more of them; the account lock-out (in the database) holds anyway.
  const signInsPerAddress = sharedLimit(options.redis, SIGN_INS_PER_ADDRESS.points, SIGN_INS_PER_ADDRESS.seconds, "sign-in");
  const loginLimiter: express.RequestHandler = (req, _res, next) => {
    signInsPerAddress(req.ip ?? "unknown").then(
      () => next(),
      (err: unknown) => next(err instanceof Error ? err : new AppError("rate_limited", "Too many sign-in attempts, try again later")),
    );
  };
  app.get("/api/v1/openapi.json", (_req, res) => {
    res.json(api.openapi({ title: "BankDesk API", version: "1" }));
  });
  app.use("/api/v1/auth/login", loginLimiter);
  // The widget runs on the bank's own pages (another origin). It authenticates with
  // its session token, never cookies, so allowing the origin here exposes nothing;
  // an inbox can still restrict origins (settings.allowedOrigins).
  app.use(
    ["/api/v1/widget", "/api/v1/attachments"],
    cors({
      origin: true,
      methods: ["GET", "POST", "DELETE"],
      allowedHeaders: ["Content-Type", "Authorization"],
      exposedHeaders: ["Content-Disposition"],
      maxAge: 600,
      credentials: false,
    }),
  );
  app.use("/api/v1", apiLimiter, express.json({ limit: "64kb", verify: refuseDeepJson }), cookieParser(), api.router);
  app.use("/api/v1", (_req, _res, next) => next(new AppError("not_found", "No such API route")));

  // Pages: knowledge articles (citations link here), the demo bank site with the widget, and the agent console.
  articlePages(app, ctx);
  app.get("/widget.js", (_req, res) => {
    // Loaded by <script src> from the bank's pages.
    res.set("Cross-Origin-Resource-Policy", "cross-origin");
    res.sendFile(path.join(DIST_DIR, "widget.js"), { maxAge: "5m" });
  });
  app.use("/console", express.static(path.join(DIST_DIR, "console"), { index: "index.html" }));
  app.get(/^\/console(\/.*)?$/, (_req, res) => res.sendFile(path.join(DIST_DIR, "console", "index.html")));
  // The made-up bank's site only where the demo is seeded: a bank's production server has
  // no business showing "Bayview Bank" pages on its own domain; its root leads to the console.
  if (ctx.config.DEMO_SEED) app.use("/", express.static(path.join(DIST_DIR, "demo"), { index: "index.html" }));
  else app.get("/", (_req, res) => res.redirect(302, "/console"));

  app.use(errorHandler(ctx.logger));
  return app;
}
