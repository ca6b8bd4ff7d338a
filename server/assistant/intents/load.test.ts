import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIntents } from "./load.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-intents-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(tmp, name), text);
}

describe("loadIntents", () => {
  it("loads the shipped intents", async () => {
    const warnings: string[] = [];
    const intents = await loadIntents(path.resolve(import.meta.dirname, "../../../knowledge/intents"), {
      onWarning: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([]);
    expect(intents.length).toBeGreaterThanOrEqual(31);
    const lost = intents.find((i) => i.name === "lost_card");
    expect(lost?.action).toBe("tool:freeze_card");
    expect(lost?.examples.length).toBeGreaterThan(10);
  });

  it("skips invalid files with a warning naming the file, and keeps the rest", async () => {
    write("a_good.yaml", "name: good\ndescription: fine\naction: answer\nexamples:\n  - hello\n  - 110\n");
    write("b_bad_action.yaml", "name: bad_action\ndescription: x\naction: shout\nexamples: [hi]\n");
    write("c_broken.yaml", "name: [unclosed\n");
    write("d_no_examples.yaml", "name: empty\ndescription: x\naction: handoff\nexamples: []\n");
    write("e_duplicate.yml", "name: good\ndescription: again\naction: answer\nexamples: [hey]\n");
    write("f_reserved.yaml", "name: out_of_scope\ndescription: x\naction: answer\nexamples: [hey]\n");
    write("notes.txt", "not yaml, ignored");
    const warnings: Array<[string, string]> = [];
    const intents = await loadIntents(tmp, { onWarning: (m, f) => warnings.push([m, f]) });

    expect(intents.map((i) => i.name)).toEqual(["good"]);
    // Bare numbers in YAML are still examples (as text).
    expect(intents[0]!.examples).toEqual(["hello", "110"]);
    const files = warnings.map(([, f]) => path.basename(f));
    expect(files).toEqual(["b_bad_action.yaml", "c_broken.yaml", "d_no_examples.yaml", "e_duplicate.yml", "f_reserved.yaml"]);
    expect(warnings[0]![0]).toMatch(/^b_bad_action\.yaml: action: /);
    expect(warnings[1]![0]).toMatch(/invalid YAML/);
    expect(warnings[3]![0]).toMatch(/already defined in a_good\.yaml/);
  });

  it("does not throw on bad files without a callback, but does for a missing directory", async () => {
    await expect(loadIntents(tmp)).resolves.toHaveLength(1);
    await expect(loadIntents(path.join(tmp, "nope"))).rejects.toThrow();
  });
});
