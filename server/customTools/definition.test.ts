import { describe, expect, it } from "vitest";
import { compileParameters, definitionSchema, fillUrl, hostAllowed, parametersSchema, urlTemplateProblem } from "./definition.ts";

const params = parametersSchema.parse({
  type: "object",
  properties: {
    ref: { type: "string", pattern: "^LA-\\d{6}$" },
    kind: { type: "string", enum: ["mortgage", "personal"] },
    months: { type: "integer", minimum: 1, maximum: 60 },
    urgent: { type: "boolean" },
  },
  required: ["ref"],
});

describe("tool definitions", () => {
  it("compiles the input schema: types, required, enum, pattern, bounds, nothing extra", () => {
    const schema = compileParameters(params);
    expect(schema.safeParse({ ref: "LA-123456", kind: "mortgage", months: 12, urgent: true }).success).toBe(true);
    for (const bad of [
      {},
      { ref: "LA-12" },
      { ref: "LA-123456", kind: "car" },
      { ref: "LA-123456", months: 1.5 },
      { ref: "LA-123456", months: 61 },
      { ref: "LA-123456", urgent: "yes" },
      { ref: "LA-123456", other: 1 },
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("refuses schema features outside the subset and contradictory bounds", () => {
    for (const bad of [
      { type: "object", properties: { a: { type: "object", properties: {} } } },
      { type: "object", properties: { a: { $ref: "#/x" } } },
      { type: "object", properties: { a: { type: "string", minLength: 5, maxLength: 2 } } },
      { type: "object", properties: { a: { type: "integer", minimum: 5, maximum: 2 } } },
      { type: "object", properties: { customerId: { type: "string" } } },
      { type: "array", items: {} },
    ]) {
      expect(parametersSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("checks URL templates: placeholders are inputs (or the verified customer's id), never in the host", () => {
    expect(urlTemplateProblem("https://api.bank.example/loans/{ref}?kind={kind}", params, false)).toBeNull();
    expect(urlTemplateProblem("https://api.bank.example/c/{customerId}/loans/{ref}", params, true)).toBeNull();
    expect(urlTemplateProblem("https://api.bank.example/c/{customerId}", params, false)).toMatch(/verified customer/);
    expect(urlTemplateProblem("https://api.bank.example/{nope}", params, false)).toMatch(/not one of the input/);
    expect(urlTemplateProblem("https://{ref}.bank.example/", params, false)).toMatch(/host/);
    expect(urlTemplateProblem("ftp://api.bank.example/{ref}", params, false)).toMatch(/http/);
    expect(urlTemplateProblem("https://user:pw@api.bank.example/{ref}", params, false)).toMatch(/password/);
  });

  it("fills placeholders URL-encoded, so a value cannot change the path or add a query", () => {
    expect(fillUrl("https://h/x/{a}?b={b}", { a: "../admin", b: "1&x=2" })).toBe("https://h/x/..%2Fadmin?b=1%26x%3D2");
  });

  it("allows exact hosts and sub-domains of a *. entry only", () => {
    const list = "api.bank.example, *.internal.bank.example";
    expect(hostAllowed("api.bank.example", list)).toBe(true);
    expect(hostAllowed("API.bank.example", list)).toBe(true);
    expect(hostAllowed("loans.internal.bank.example", list)).toBe(true);
    expect(hostAllowed("internal.bank.example", list)).toBe(false);
    expect(hostAllowed("evilinternal.bank.example", list)).toBe(false);
    expect(hostAllowed("api.bank.example.evil.com", list)).toBe(false);
    expect(hostAllowed("api.bank.example", "")).toBe(false);
  });

  it("requires a verified customer for a tool that changes something", () => {
    const r = definitionSchema.safeParse({
      name: "book_appointment",
      description: "Book",
      label: { en: "book", zh: "预约" },
      parameters: { type: "object", properties: {} },
      method: "POST",
      url: "https://api.bank.example/appointments",
      auth: { kind: "none" },
      responseTemplate: { en: "ok", zh: "好" },
      requiresVerifiedCustomer: false,
      changesSomething: true,
      triggers: {},
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["requiresVerifiedCustomer"]);
  });
});
