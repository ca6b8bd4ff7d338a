import { afterEach, describe, expect, it, vi } from "vitest";
import { newClientId } from "./clientId.ts";
import { fileSize } from "./fileSize.ts";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("a new client id", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is a v4 UUID, different each time", () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it("is one still on an http page, where crypto.randomUUID is missing", () => {
    vi.stubGlobal("crypto", { getRandomValues: (b: Uint8Array) => b.fill(0xff) });
    expect(newClientId()).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    vi.stubGlobal("crypto", undefined);
    expect(newClientId()).toMatch(V4);
  });
});

describe("a file's size", () => {
  it("is in KB below a megabyte (never 0), in MB with one decimal above", () => {
    expect(fileSize(10)).toBe("1 KB");
    expect(fileSize(340 * 1024)).toBe("340 KB");
    expect(fileSize(2.5 * 1048576)).toBe("2.5 MB");
  });
});
