import { describe, expect, it } from "vitest";
import { answerFor, extractParameters } from "./extractParameters.ts";
import { parametersSchema } from "./definition.ts";

const schema = parametersSchema.parse({
  type: "object",
  properties: {
    trackingNumber: { type: "string", pattern: "^[A-Z]{2}\\d{8}$", description: "the tracking number" },
    speed: { type: "string", enum: ["standard", "express"] },
    months: { type: "integer", minimum: 1, maximum: 60 },
    note: { type: "string", maxLength: 20 },
    urgent: { type: "boolean" },
  },
  required: ["trackingNumber"],
});

describe("extractParameters", () => {
  it("reads each input by its type and leaves the rest", () => {
    expect(extractParameters(schema, "where is parcel SF12345678? I paid for Express, 2000 yuan for 12 months")).toEqual({
      trackingNumber: "SF12345678",
      speed: "express",
      months: 12,
    });
  });

  it("finds a pattern next to Chinese text, and nothing that only nearly matches", () => {
    expect(extractParameters(schema, "我的单号SF12345678到哪了")).toEqual({ trackingNumber: "SF12345678" });
    expect(extractParameters(schema, "SF123456789 or sf12345678")).toEqual({});
  });

  it("takes an asked-for free-text or yes/no answer whole, and refuses an invalid one", () => {
    expect(answerFor(schema.properties.note!, "  leave at door ")).toBe("leave at door");
    expect(answerFor(schema.properties.note!, "x".repeat(30))).toBeNull();
    expect(answerFor(schema.properties.urgent!, "yes")).toBe(true);
    expect(answerFor(schema.properties.urgent!, "不要")).toBe(false);
    expect(answerFor(schema.properties.trackingNumber!, "it is AB00000001")).toBe("AB00000001");
    expect(answerFor(schema.properties.trackingNumber!, "no idea")).toBeNull();
    expect(answerFor(schema.properties.months!, "100")).toBeNull();
  });
});
