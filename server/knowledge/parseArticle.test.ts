import { describe, expect, it } from "vitest";
import { ArticleError, parseArticle } from "./parseArticle.ts";

describe("parseArticle front matter", () => {
  it("reads YAML front matter and the body's first line", () => {
    const a = parseArticle("---\ntitle: Lost card\ntags: [cards]\nupdated: 2026-10-15\n---\n\nFreeze it now.\n");
    expect(a.meta).toMatchObject({ title: "Lost card", tags: ["cards"], updated: "2026-10-15", locale: "en" });
    expect(a.bodyLine).toBe(6);
    expect(a.passages[0]!.text).toBe("Freeze it now.");
  });

  it("never runs JavaScript front matter: ---js is an error", () => {
    const g = globalThis as { __bankdeskFrontMatterRan?: boolean };
    delete g.__bankdeskFrontMatterRan;
    const source = '---js\n({ title: (globalThis.__bankdeskFrontMatterRan = true, "x") })\n---\nBody.\n';
    expect(() => parseArticle(source)).toThrow(ArticleError);
    expect(() => parseArticle(source)).toThrow(/only YAML/);
    expect(g.__bankdeskFrontMatterRan).toBeUndefined();
  });

  it("refuses other engines and YAML's code tags", () => {
    expect(() => parseArticle('---coffee\ntitle: "x"\n---\nBody.\n')).toThrow(/only YAML/);
    expect(() => parseArticle("---\ntitle: !!js/function 'function () { return 1 }'\n---\nBody.\n")).toThrow(
      ArticleError,
    );
  });

  it("names the line of broken YAML, and a missing closing fence", () => {
    expect(() => parseArticle("---\ntitle: [unclosed\n---\nBody.\n")).toThrow(ArticleError);
    expect(() => parseArticle("---\ntitle: x\nBody.\n")).toThrow(/closing/);
  });

  it("accepts an article without front matter only if the schema does", () => {
    expect(() => parseArticle("Just text.\n")).toThrow(/title/);
  });

  it("places sample questions on their sections by anchor, the title's anchor naming the opening", () => {
    const a = parseArticle(
      "---\ntitle: Lost card\nquestions:\n  lost-card: [lost my card]\n  step-1-freeze-it: [how do i block it, stop my card]\n  no-such-section: [x]\n---\nAct now.\n\n## Step 1: freeze it\n\nTap Freeze.\n",
    );
    expect(a.passages.map((p) => p.questions)).toEqual([["lost my card"], ["how do i block it", "stop my card"]]);
    expect(a.questions).toEqual([]);
    expect(a.unknownQuestionAnchors).toEqual(["no-such-section"]);
    const list = parseArticle("---\ntitle: Lost card\nquestions: [lost my card]\n---\nAct now.\n");
    expect(list.questions).toEqual(["lost my card"]);
    expect(list.passages[0]!.questions).toEqual([]);
  });
});
