import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph, REPO_ROOT } from "./importGraph.ts";

/** Our own code: the server, the wire contract and the two browser bundles. */
const ROOTS = ["server", "shared", "console/src", "widget/src"];

/**
 * The ground floor: helpers and shapes everything may use, which therefore use nothing above them
 * (a redaction helper importing the assistant would drag the assistant into every logger).
 */
const GROUND_FLOOR_DIRS = [
  "shared/",
  "server/privacy/",
  "server/security/",
  "server/logging/",
  "server/db/",
  "server/models/",
  "server/audit/",
];
const GROUND_FLOOR_FILES = ["server/validation.ts", "server/errors.ts", "server/config.ts", "server/actor.ts"];
const onGroundFloor = (file: string) => GROUND_FLOOR_DIRS.some((dir) => file.startsWith(dir)) || GROUND_FLOOR_FILES.includes(file);

/**
 * The feature folders that own their whole slice: those with commands of their own (`server/<feature>/commands/`)
 * keep their presenters beside them too. The shared `commands/` and `presenters/` hold the core conversation use
 * cases and reach into none of them, so a slice and the shared folders never import each other.
 */
const SLICES = readdirSync(join(REPO_ROOT, "server"))
  .filter((name) => existsSync(join(REPO_ROOT, "server", name, "commands")))
  .map((name) => `server/${name}/`);
const SHARED_USE_CASES = ["server/commands/", "server/presenters/"];

describe("the import graph", () => {
  const graph = importGraph(ROOTS);

  it("is read: it holds the files and the imports we know of", () => {
    expect(graph.get("server/app.ts")).toContain("server/modules.ts");
    expect(graph.get("console/src/app.ts")).toContain("console/src/views/sidebar.ts");
    // A type-only import counts: views name the parts of the console they use.
    expect(graph.get("console/src/views/sidebar.ts")).toContain("console/src/consoleHost.ts");
  });

  it("finds a cycle, type-only or not, and no cycle in a chain", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(importCycles(looped)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(importCycles(new Map([["a.ts", ["a.ts"]]]))).toEqual([["a.ts"]]);
    expect(
      importCycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("has no import cycles", () => {
    // Each cycle is listed whole: break it by moving what both sides need into a file neither imports back.
    expect(importCycles(graph)).toEqual([]);
  });

  it("lets the ground floor import nothing above it", () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      onGroundFloor(file) ? targets.filter((t) => !onGroundFloor(t)).map((t) => `${file} -> ${t}`) : [],
    );
    expect(upward).toEqual([]);
  });

  it("keeps each feature's slice in its folder: the shared commands/ and presenters/ import no slice", () => {
    expect(SLICES).toEqual(expect.arrayContaining(["server/webhooks/", "server/channels/", "server/attachments/", "server/assignment/"]));
    const intoSlices = [...graph].flatMap(([file, targets]) =>
      SHARED_USE_CASES.some((dir) => file.startsWith(dir))
        ? targets.filter((t) => SLICES.some((slice) => t.startsWith(slice))).map((t) => `${file} -> ${t}`)
        : [],
    );
    expect(intoSlices).toEqual([]);
  });

  it("lets each browser bundle import only its own folder and shared/: the wire's shapes come from shared/wire, never the server", () => {
    const bundles = ["console/src/", "widget/src/"];
    const outside = [...graph].flatMap(([file, targets]) => {
      const own = bundles.find((dir) => file.startsWith(dir));
      return own ? targets.filter((t) => !t.startsWith(own) && !t.startsWith("shared/")).map((t) => `${file} -> ${t}`) : [];
    });
    expect(outside).toEqual([]);
  });

  it("has one constant-time comparison: everything else calls safeEqual", () => {
    const callers = [...graph.keys()].filter((file) => readFileSync(join(REPO_ROOT, file), "utf8").includes("timingSafeEqual("));
    expect(callers).toEqual(["server/security/safeEqual.ts"]);
  });
});
