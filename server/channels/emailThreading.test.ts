import { describe, expect, it } from "vitest";
import {
  addressDomain,
  conversationIdFromMessageId,
  outboundMessageId,
  parseMessageIds,
  replySubject,
  stripQuotedReply,
  threadCandidates,
} from "./emailThreading.ts";

describe("e-mail threading", () => {
  it("parses Message-ID lists with or without brackets", () => {
    expect(parseMessageIds("<a@x> <b@y>\r\n <c@z>")).toEqual(["a@x", "b@y", "c@z"]);
    expect(parseMessageIds(["<a@x>", "<b@y>"])).toEqual(["a@x", "b@y"]);
    expect(parseMessageIds("a@x")).toEqual(["a@x"]);
    expect(parseMessageIds(undefined)).toEqual([]);
  });

  it("tries In-Reply-To first, then References newest first, without duplicates", () => {
    expect(threadCandidates("<c@z>", "<a@x> <b@y> <c@z>")).toEqual(["c@z", "b@y", "a@x"]);
    expect(threadCandidates(undefined, ["<a@x>", "<b@y>"])).toEqual(["b@y", "a@x"]);
  });

  it("finds the conversation in our own Message-IDs only", () => {
    const conv = "0b7c3f9e-1d2a-4c5b-8e6f-7a8b9c0d1e2f";
    const msg = "5f4e3d2c-1b0a-4978-8695-a4b3c2d1e0f9";
    const id = outboundMessageId(conv, msg, "bank.example");
    expect(id).toBe(`bankdesk.${conv}.${msg}@bank.example`);
    expect(conversationIdFromMessageId(`<${id}>`)).toBe(conv);
    expect(conversationIdFromMessageId("CAF=abc@mail.gmail.com")).toBeUndefined();
  });

  it("takes the domain of a sender address", () => {
    expect(addressDomain('"Bank" <help@Bank.Example>')).toBe("bank.example");
    expect(addressDomain("help@bank.example")).toBe("bank.example");
    expect(addressDomain("nonsense")).toBe("localhost");
  });

  it("prefixes Re: once", () => {
    expect(replySubject("Statement")).toBe("Re: Statement");
    expect(replySubject("RE: Re: Statement")).toBe("Re: Statement");
    expect(replySubject("回复：对账单")).toBe("Re: 对账单");
    expect(replySubject("")).toBe("Re: your message");
  });

  it("cuts quoted history from replies", () => {
    expect(stripQuotedReply("Thanks!\n\nOn Mon, 23 Nov 2026 at 10:00, Bank <help@bank.example> wrote:\n> old text")).toBe("Thanks!");
    expect(stripQuotedReply("好的\r\n\r\n在 2026年11月23日 写道：\r\n> 旧内容")).toBe("好的");
    expect(stripQuotedReply("Yes\n-----Original Message-----\nFrom: Bank")).toBe("Yes");
    expect(stripQuotedReply("Answer\n> quoted\n> more\n")).toBe("Answer");
    // Inline quoting with answers in between is kept whole.
    expect(stripQuotedReply("> question 1\nanswer 1\n> question 2\nanswer 2")).toBe("> question 1\nanswer 1\n> question 2\nanswer 2");
    // Only quoted text: kept rather than emptied.
    expect(stripQuotedReply("> just a quote")).toBe("> just a quote");
  });
});
