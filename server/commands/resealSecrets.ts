import type { AppContext } from "../context.ts";
import { SecretBox } from "../security/secretBox.ts";
import { resealIdentitySecret } from "../auth/identity.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { SYSTEM } from "../actor.ts";

export interface ResealReport {
  /** The key new values are sealed with. */
  keyId: string;
  /** Values (re)sealed by this run. */
  resealed: number;
  /** Values left as they were because no configured key opens them (where, never what). */
  unreadable: string[];
}

/** What one run gives each owner of sealed secrets: which values to rewrite, and the tally. */
export interface ResealRun {
  /** Whether a stored value is to be (re)sealed in this run. */
  due(value: unknown): boolean;
  /** Runs `fn`; if no configured key opens the value, records `where` (never what) and answers undefined. */
  attempt<T>(where: string, fn: () => T): T | undefined;
  /** Counts values rewritten. */
  resealed(count?: number): void;
}

/**
 * Secrets a feature stores sealed, and how to re-seal them. Each feature lists its own (`Module.sealedSecrets`),
 * so this command reads no feature's tables by itself; it owns only the core's (inboxes' identity secrets).
 */
export interface SealedSecrets {
  reseal(ctx: AppContext, run: ResealRun): Promise<void>;
}

/**
 * One column of sealed strings, each row rewritten under its own lock, so nodes starting at once and a concurrent
 * admin change do not undo each other. `table` and the column names are ours, never input.
 */
export function sealedColumn(spec: {
  table: string;
  /** The row's key columns. */
  keys: string[];
  column: string;
  /** What to call a row in the report (and the columns that needs besides the keys). */
  where: (row: Record<string, unknown>) => string;
  labelColumns?: string[];
  reseal: (secrets: SecretBox, stored: string) => string;
}): SealedSecrets {
  const { table, keys, column } = spec;
  const byKey = keys.map((k, i) => `${k} = $${i + 1}`).join(" AND ");
  return {
    async reseal(ctx, run) {
      // A first read without locks finds the rows to rewrite: at most starts there are none.
      const rows = (
        await ctx.db.query<Record<string, unknown>>(
          `SELECT ${[...keys, ...(spec.labelColumns ?? [])].join(", ")}, ${column} AS value FROM ${table}
           WHERE ${column} IS NOT NULL ORDER BY ${keys.join(", ")}`,
        )
      ).rows.filter((r) => run.due(r.value));
      for (const found of rows) {
        const key = keys.map((k) => found[k]);
        await ctx.db.transaction(async (tx) => {
          const row = (await tx.query<{ value: string | null }>(`SELECT ${column} AS value FROM ${table} WHERE ${byKey} FOR UPDATE`, key))
            .rows[0];
          if (!row?.value || !run.due(row.value)) return;
          const stored = row.value;
          const sealed = run.attempt(spec.where(found), () => spec.reseal(ctx.secrets, stored));
          if (!sealed) return;
          await tx.query(`UPDATE ${table} SET ${column} = $${keys.length + 1} WHERE ${byKey}`, [...key, sealed]);
          run.resealed();
        });
      }
    },
  };
}

/** The core's own: each inbox's identity secret (widget identity verification). */
const CORE_SECRETS: SealedSecrets[] = [
  sealedColumn({
    table: "inboxes",
    keys: ["id"],
    column: "identity_secret",
    labelColumns: ["slug"],
    where: (r) => `inbox ${String(r.slug)}: identity secret`,
    reseal: resealIdentitySecret,
  }),
];

/**
 * Seals every secret stored in the database with the current SECRET_KEY: plain
 * text left by an earlier version, and (unless `plainOnly`) values sealed with a
 * key now in SECRET_KEY_PREVIOUS. `owners` are the features' sealed secrets (their
 * modules' `sealedSecrets`). Every start runs it with `plainOnly` (an upgrade
 * encrypts what it finds); `bankdesk secrets rotate` runs it whole.
 */
export async function resealSecrets(
  ctx: AppContext,
  owners: readonly SealedSecrets[],
  opts: { plainOnly?: boolean } = {},
): Promise<ResealReport> {
  const report: ResealReport = { keyId: ctx.secrets.keyId, resealed: 0, unreadable: [] };
  const run: ResealRun = {
    due: (value) => typeof value === "string" && (opts.plainOnly ? !SecretBox.isSealed(value) : ctx.secrets.needsSealing(value)),
    attempt(where, fn) {
      try {
        return fn();
      } catch {
        report.unreadable.push(where);
        return undefined;
      }
    },
    resealed(count = 1) {
      report.resealed += count;
    },
  };
  for (const owner of [...CORE_SECRETS, ...owners]) await owner.reseal(ctx, run);

  if (report.resealed > 0 || report.unreadable.length > 0) {
    await writeAudit(ctx.db, {
      actor: SYSTEM,
      action: "secrets.resealed",
      data: { keyId: report.keyId, resealed: report.resealed, unreadable: report.unreadable.length, plainOnly: Boolean(opts.plainOnly) },
    });
  }
  return report;
}
