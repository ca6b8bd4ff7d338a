import express, { type Request, type Response, type NextFunction } from "express";
import { z } from "zod";
import type { Actor } from "../../actor.ts";
import { parseInput } from "../../validation.ts";
import { AppError } from "../../errors.ts";

type Method = "get" | "post" | "patch" | "put" | "delete";
export type AuthKind = "none" | "agent" | "widget";

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth: AuthKind;
  params?: P;
  query?: Q;
  body?: B;
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    actor: Actor;
    req: Request;
    res: Response;
  }) => Promise<unknown>;
  /**
   * Open to a signed-in agent who must still set up two-factor sign-in (the
   * organisation requires it): only what setting it up and signing out need.
   */
  duringTwoFactorEnrolment?: boolean;
  /** HTTP status for a successful response (default 200). */
  status?: number;
}

export type Authenticator = (
  req: Request,
  kind: Exclude<AuthKind, "none">,
  opts?: { duringTwoFactorEnrolment?: boolean },
) => Promise<Actor>;

/**
 * Declares REST routes once: Express wiring, input validation and the OpenAPI
 * document all come from the same declaration, so the document cannot drift.
 */
export class ApiRouter {
  readonly router = express.Router();
  private readonly specs: Array<RouteSpec<z.ZodType, z.ZodType, z.ZodType>> = [];

  constructor(private readonly authenticate: Authenticator) {}

  add<P extends z.ZodType = z.ZodObject<{}>, Q extends z.ZodType = z.ZodObject<{}>, B extends z.ZodType = z.ZodUnknown>(
    spec: RouteSpec<P, Q, B>,
  ) {
    this.specs.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ":$1");
    this.router[spec.method](expressPath, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const actor: Actor =
          spec.auth === "none"
            ? { type: "system" }
            : await this.authenticate(req, spec.auth, { duringTwoFactorEnrolment: spec.duringTwoFactorEnrolment });
        const params = spec.params ? parseInput(spec.params, req.params, "path") : {};
        const query = spec.query ? parseInput(spec.query, req.query, "query") : {};
        const body = spec.body ? parseInput(spec.body, req.body ?? {}, "body") : undefined;
        const result = await spec.handler({ params, query, body, actor, req, res } as never);
        if (res.headersSent) return;
        if (result === undefined) res.status(spec.status ?? 204).end();
        else res.status(spec.status ?? 200).json(result);
      } catch (err) {
        next(err);
      }
    });
  }

  openapi(info: { title: string; version: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
    for (const s of this.specs) {
      const parameters: unknown[] = [];
      for (const [where, zs] of [
        ["path", s.params],
        ["query", s.query],
      ] as const) {
        if (!zs || !(zs instanceof z.ZodObject)) continue;
        for (const [name, field] of Object.entries(zs.shape as Record<string, z.ZodType>)) {
          parameters.push({ name, in: where, required: where === "path" || !field.safeParse(undefined).success, schema: schema(field) });
        }
      }
      const op: Record<string, unknown> = {
        summary: s.summary,
        tags: [s.tag],
        parameters,
        responses: {
          [String(s.status ?? 200)]: { description: "Success" },
          default: { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      };
      if (s.body) op.requestBody = { required: true, content: { "application/json": { schema: schema(s.body) } } };
      if (s.auth === "agent") op.security = [{ agentSession: [] }];
      if (s.auth === "widget") op.security = [{ widgetToken: [] }];
      (paths[`/api/v1${s.path}`] ??= {})[s.method] = op;
    }
    return {
      openapi: "3.1.0",
      info,
      paths,
      components: {
        securitySchemes: {
          agentSession: {
            type: "apiKey",
            in: "cookie",
            name: "bd_session",
            description: "Console session; writes also need the X-CSRF-Token header",
          },
          widgetToken: { type: "http", scheme: "bearer", description: "A widget session token from POST /api/v1/widget/sessions" },
        },
        schemas: {
          Error: {
            type: "object",
            properties: {
              error: {
                type: "object",
                properties: { code: { type: "string" }, message: { type: "string" }, retryable: { type: "boolean" } },
                required: ["code", "message"],
              },
            },
          },
        },
      },
    };
  }
}

export function requireFound<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new AppError("not_found", `${what} not found`);
  return value;
}
