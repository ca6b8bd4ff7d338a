import crypto from "node:crypto";

/** This process's id in `agent_sockets` (its sockets are refreshed, and expire, together). */
export const NODE_ID = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
