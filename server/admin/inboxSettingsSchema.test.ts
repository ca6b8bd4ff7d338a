import { describe, expect, it } from "vitest";
import { inboxSettingsSchema, isIanaTimeZone, storedInboxSettingsSchema } from "./inboxSettingsSchema.ts";
import { auditDiff } from "./auditDiff.ts";

describe("inbox settings schema", () => {
  it("knows IANA time zones and refuses anything else", () => {
    for (const z of ["Asia/Shanghai", "Europe/London", "America/Argentina/Buenos_Aires", "UTC"]) expect(isIanaTimeZone(z)).toBe(true);
    for (const z of ["Mars/Olympus", "", "Asia/Shanghai; DROP", "../../etc/passwd", "x".repeat(100)]) expect(isIanaTimeZone(z)).toBe(false);
  });

  it("accepts working hours per weekday, midnight closing included", () => {
    const r = inboxSettingsSchema.safeParse({
      timezone: "Asia/Hong_Kong",
      workingHours: { "1": { open: "09:00", close: "18:00" }, "6": { open: "10:00", close: "24:00" } },
    });
    expect(r.success).toBe(true);
  });

  it("refuses closing before opening, bad times, unknown weekdays and unknown keys", () => {
    const paths = (v: unknown) => {
      const r = inboxSettingsSchema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(paths({ workingHours: { "1": { open: "18:00", close: "09:00" } } })).toEqual(["workingHours.1.close"]);
    expect(paths({ workingHours: { "1": { open: "9:00", close: "18:00" } } })).toContain("workingHours.1.open");
    expect(paths({ workingHours: { "7": { open: "09:00", close: "18:00" } } })).toEqual(["workingHours"]);
    expect(paths({ greeting: "hi", colour: "red" })).toEqual([""]);
    expect(paths({ allowedOrigins: ["https://bank.example/"] })).toEqual(["allowedOrigins.0"]);
    expect(paths({ allowedOrigins: ["https://www.bank.example", "http://localhost:8080"] })).toEqual([]);
  });

  it("keeps other features' keys when checking stored settings", () => {
    const r = storedInboxSettingsSchema.parse({ timezone: "UTC", emailChannel: { address: "help@bank.example" } });
    expect(r).toMatchObject({ emailChannel: { address: "help@bank.example" } });
  });
});

describe("audit diff", () => {
  it("lists only the fields that changed, comparing arrays and objects by value", () => {
    expect(
      auditDiff(
        { name: "A", teamIds: ["1", "2"], hours: { open: "09:00" }, role: "agent" },
        { name: "B", teamIds: ["1", "2"], hours: { open: "09:00" }, role: undefined },
      ),
    ).toEqual({ name: { from: "A", to: "B" } });
    expect(auditDiff({ x: null as number | null }, { x: 1 })).toEqual({ x: { from: null, to: 1 } });
  });
});
