import { describe, expect, it } from "vitest";
import { customerFacingName, displayNameInput } from "./customerFacingName.ts";

describe("customerFacingName", () => {
  it("is the chosen display name, else the first name, and never an e-mail address", () => {
    expect(customerFacingName({ name: "Li Na Chen", display_name: null })).toBe("Li");
    expect(customerFacingName({ name: "  王芳 ", display_name: null })).toBe("王芳");
    expect(customerFacingName({ name: "Li Na Chen", display_name: "Lina" })).toBe("Lina");
    expect(customerFacingName({ name: "li.chen@bank.example" })).toBeNull();
  });

  it("accepts a short plain-text name and refuses markup, control characters and e-mail addresses", () => {
    expect(displayNameInput.parse("  Li   Na ")).toBe("Li Na");
    expect(displayNameInput.parse(null)).toBeNull();
    for (const bad of ["", "  ", "<script>", "a\u0000b", "li@bank.example", "x".repeat(41)])
      expect(displayNameInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
