import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWidget, emitAck, nextEvent, startTestApp, type TestApp } from "../helpers/testApp.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

type Ack = { ok: boolean; message?: { id: string; conversationId: string }; duplicate?: boolean; error?: { code: string } };

/**
 * A customer's message is acknowledged once stored, and its events (the fan-out to
 * sockets, the assistant's job) follow the acknowledgement instead of delaying it
 * (commands/receiveCustomerMessage.ts).
 */
describe("a customer's message from the widget", () => {
  it("is acknowledged before its live event reaches the customer's own sockets, and announced once", async () => {
    const { socket } = await connectWidget(app);
    const seen: string[] = [];
    let announced = 0;
    const off = app.ctx.bus.on("message.created", ({ message }) => void (message.sender_type === "contact" && announced++));
    socket.on("message", (m: { id: string; sender: { type: string } }) => m.sender.type === "contact" && seen.push(`event ${m.id}`));
    // The acknowledgement's callback runs as its packet is read, in the order the packets came.
    const acked = new Promise<Ack>((resolve) =>
      socket.emit("message:send", { clientId: "order-1", content: "How do I freeze my card?" }, (ack: Ack) => {
        seen.push(`ack ${ack.message?.id}`);
        resolve(ack);
      }),
    );
    const ack = await acked;
    expect(ack.ok).toBe(true);
    const id = ack.message!.id;
    await expect.poll(() => seen).toEqual([`ack ${id}`, `event ${id}`]);
    // The assistant still answers it (its job is queued by a listener, after the ack).
    await nextEvent(socket, "message", (m: { sender: { type: string }; attributes: { replyTo?: string } }) => m.attributes?.replyTo === id);
    // A re-send is acknowledged as a duplicate and announced no more.
    const again = await emitAck<Ack>(socket, "message:send", {
      conversationId: ack.message!.conversationId,
      clientId: "order-1",
      content: "How do I freeze my card?",
    });
    expect(again).toMatchObject({ ok: true, duplicate: true, message: { id } });
    expect(announced).toBe(1);
    off();
    socket.disconnect();
  });

  it("refuses a first message with neither text nor a file before opening a conversation", async () => {
    const { socket, session } = await connectWidget(app);
    const ack = await emitAck<Ack>(socket, "message:send", { clientId: "empty-1", content: "   " });
    expect(ack).toMatchObject({ ok: false, error: { code: "validation_error" } });
    const { rows } = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE contact_id = $1", [
      (session.contact as { id: string }).id,
    ]);
    expect(rows[0]!.n).toBe(0);
    socket.disconnect();
  });
});
