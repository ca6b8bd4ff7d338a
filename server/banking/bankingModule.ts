import type { Module } from "../modules.ts";
import { closeCoreBanking } from "./createCoreBanking.ts";

/** The core-banking connection's share of the process's life: its connections close with it. */
export const bankingModule: Module = {
  name: "banking",
  async stop(ctx) {
    await closeCoreBanking(ctx);
  },
};
