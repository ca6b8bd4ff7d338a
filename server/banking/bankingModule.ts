import type { Module } from "../Module.ts";
import { closeCoreBanking, coreBankingFor } from "./createCoreBanking.ts";

/** The core-banking connection's share of the process's life: made at start, closed with it. */
export const bankingModule: Module = {
  name: "banking",
  async setup(ctx) {
    // Made now, so a certificate path that cannot be read stops the process at start.
    coreBankingFor(ctx);
  },
  async stop(ctx) {
    await closeCoreBanking(ctx);
  },
};
