import crypto from "node:crypto";
import type { Database, Queryable } from "../db/Database.ts";
import {
  maskNumber,
  type Account,
  type Card,
  type CardReplacement,
  type ContactDetails,
  type CoreBanking,
  type Deposit,
  type Instalment,
  type TransactionDetail,
  type TransactionPage,
  type TransactionQuery,
  type WriteOptions,
} from "./CoreBanking.ts";
import { CoreBankingError } from "./errors.ts";
import { DEMO_CONTACT_DETAILS } from "./seedDemoBank.ts";

const yuan = (cents: string | number | null) => (cents === null ? null : Number(cents) / 100);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
/** How long the demo says a replacement card takes to arrive. */
const DELIVERY_DAYS = 7;

const CARD_COLUMNS = "id, kind, product, last4, status, expires";

interface DepositRow {
  id: string;
  kind: Deposit["kind"];
  principal: string;
  monthly: string | null;
  rate_percent: number;
  term_months: number;
  opened_on: Date;
  maturity_on: Date;
  paid_instalments: number | null;
  missed_instalments: number;
  auto_rollover: boolean;
}
const DEPOSIT_COLUMNS = `id, kind, principal_cents::text AS principal, monthly_cents::text AS monthly, rate_percent, term_months,
  opened_on, maturity_on, paid_instalments, missed_instalments, auto_rollover`;

/**
 * CoreBanking over the demo tables (migrations 003 and 020), seeded for the demo
 * customers. It is the embedded default and what the reference server
 * (referenceServer/) serves over HTTP, so both behave alike.
 */
export class DemoCoreBanking implements CoreBanking {
  constructor(private readonly db: Pick<Database, "query" | "transaction">) {}

  async accounts(customerId: string): Promise<Account[]> {
    const { rows } = await this.db.query<{
      id: string;
      kind: Account["kind"];
      name: string;
      number: string;
      currency: string;
      balance: string;
      credit_limit: string | null;
    }>(
      `SELECT id, kind, name, number, currency, balance_cents::text AS balance, credit_limit_cents::text AS credit_limit
       FROM demo_accounts WHERE customer_id = $1 ORDER BY kind, name`,
      [customerId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      maskedNumber: maskNumber(r.number),
      currency: r.currency,
      balance: yuan(r.balance)!,
      creditLimit: yuan(r.credit_limit),
    }));
  }

  async cards(customerId: string): Promise<Card[]> {
    const { rows } = await this.db.query<Card>(
      `SELECT ${CARD_COLUMNS} FROM demo_cards WHERE customer_id = $1 AND status <> 'cancelled' ORDER BY kind, last4`,
      [customerId],
    );
    return rows;
  }

  async transactions(customerId: string, query: TransactionQuery = {}): Promise<TransactionPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    for (const d of [query.from, query.to]) {
      if (d !== undefined && !ISO_DATE.test(d)) throw new CoreBankingError("rejected", "Dates must be YYYY-MM-DD");
    }
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    // Keyset paging on (posted_at, id): a page stays right while new transactions post.
    const { rows } = await this.db.query<{
      id: string;
      name: string;
      posted_at: Date;
      posted_key: string;
      description: string;
      amount: string;
    }>(
      // posted_key: the time at the database's precision (microseconds), which a JS Date would round.
      `SELECT t.id, a.name, t.posted_at, t.posted_at::text AS posted_key, t.description, t.amount_cents::text AS amount
       FROM demo_transactions t JOIN demo_accounts a ON a.id = t.account_id
       WHERE a.customer_id = $1
         AND ($2::date IS NULL OR t.posted_at >= $2::date)
         AND ($3::date IS NULL OR t.posted_at < $3::date + 1)
         AND ($4::timestamptz IS NULL OR (t.posted_at, t.id) < ($4::timestamptz, $5::uuid))
       ORDER BY t.posted_at DESC, t.id DESC LIMIT $6`,
      [customerId, query.from ?? null, query.to ?? null, after?.postedAt ?? null, after?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        accountName: r.name,
        postedAt: r.posted_at,
        description: r.description,
        amount: yuan(r.amount)!,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.posted_key, last.id) : null,
    };
  }

  async transaction(customerId: string, transactionId: string): Promise<TransactionDetail> {
    if (!UUID.test(transactionId)) throw new CoreBankingError("not_found", "Transaction not found");
    const { rows } = await this.db.query<{
      id: string;
      account_id: string;
      name: string;
      number: string;
      currency: string;
      posted_at: Date;
      description: string;
      amount: string;
    }>(
      `SELECT t.id, a.id AS account_id, a.name, a.number, a.currency, t.posted_at, t.description, t.amount_cents::text AS amount
       FROM demo_transactions t JOIN demo_accounts a ON a.id = t.account_id
       WHERE a.customer_id = $1 AND t.id = $2`,
      [customerId, transactionId],
    );
    const r = rows[0];
    if (!r) throw new CoreBankingError("not_found", "Transaction not found");
    const amount = yuan(r.amount)!;
    return {
      id: r.id,
      accountId: r.account_id,
      accountName: r.name,
      accountMaskedNumber: maskNumber(r.number),
      currency: r.currency,
      postedAt: r.posted_at,
      description: r.description,
      amount,
      direction: amount < 0 ? "debit" : "credit",
      // The demo posts everything at once; a real core also has card authorisations pending.
      status: "posted",
    };
  }

  async deposits(customerId: string): Promise<Deposit[]> {
    const { rows } = await this.db.query<DepositRow>(
      `SELECT ${DEPOSIT_COLUMNS} FROM demo_deposits WHERE customer_id = $1 ORDER BY maturity_on`,
      [customerId],
    );
    return rows.map(toDeposit);
  }

  async depositSchedule(customerId: string, depositId: string): Promise<Instalment[]> {
    const d = await this.deposit(this.db, customerId, depositId);
    if (d.kind !== "instalment" || d.monthly === null) return [];
    // The demo keeps counts (paid, missed), not which months: the paid ones are taken
    // to be the first, the missed ones those after them, as a plan usually slips.
    const today = new Date().toISOString().slice(0, 10);
    const paid = d.paidInstalments ?? 0;
    return Array.from({ length: d.termMonths }, (_, i) => {
      const dueOn = addMonths(d.openedOn, i);
      const status: Instalment["status"] =
        i < paid ? "paid" : i < paid + d.missedInstalments ? "missed" : dueOn <= today ? "due" : "upcoming";
      return { number: i + 1, dueOn, amount: d.monthly!, status };
    });
  }

  async contactDetails(customerId: string): Promise<ContactDetails> {
    const { rows } = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_accounts WHERE customer_id = $1", [
      customerId,
    ]);
    const details = DEMO_CONTACT_DETAILS.get(customerId);
    // A customer the bank does not hold is "not found": there is nobody to send a code to.
    if (!rows[0]!.n || !details) throw new CoreBankingError("not_found", "Customer not found");
    return { ...details };
  }

  /**
   * Setting a status is idempotent by itself (freezing a frozen card changes
   * nothing), so the demo needs no record of the key.
   */
  async setCardStatus(customerId: string, cardId: string, status: "active" | "frozen", _opts?: WriteOptions): Promise<Card> {
    if (!UUID.test(cardId)) throw new CoreBankingError("not_found", "Card not found");
    const { rows } = await this.db.query<Card>(
      `UPDATE demo_cards SET status = $3 WHERE id = $2 AND customer_id = $1 AND status <> 'cancelled' RETURNING ${CARD_COLUMNS}`,
      [customerId, cardId, status],
    );
    if (!rows[0]) throw new CoreBankingError("not_found", "Card not found");
    return rows[0];
  }

  async reportCardLost(
    customerId: string,
    cardId: string,
    request: { reason: "lost" | "stolen"; orderReplacement: boolean },
    opts: WriteOptions = {},
  ): Promise<CardReplacement> {
    if (!UUID.test(cardId)) throw new CoreBankingError("not_found", "Card not found");
    const key = opts.idempotencyKey ?? crypto.randomUUID();
    return await this.once(
      () => this.replacementByKey(customerId, key),
      async () =>
        await this.db.transaction(async (tx) => {
          const card = (
            await tx.query<Card>(
              `UPDATE demo_cards SET status = 'cancelled' WHERE id = $2 AND customer_id = $1 AND status <> 'cancelled' RETURNING ${CARD_COLUMNS}`,
              [customerId, cardId],
            )
          ).rows[0];
          if (!card) {
            const exists = await tx.query("SELECT 1 FROM demo_cards WHERE id = $2 AND customer_id = $1", [customerId, cardId]);
            throw exists.rowCount
              ? new CoreBankingError("conflict", "The card is already cancelled")
              : new CoreBankingError("not_found", "Card not found");
          }
          const last4 = request.orderReplacement ? String(crypto.randomInt(0, 10_000)).padStart(4, "0") : null;
          const delivery = request.orderReplacement ? new Date(Date.now() + DELIVERY_DAYS * 86_400_000).toISOString().slice(0, 10) : null;
          const { rows } = await tx.query<{ id: string }>(
            `INSERT INTO demo_card_replacements (customer_id, card_id, reason, replacement_last4, estimated_delivery_on, idempotency_key)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [customerId, cardId, request.reason, last4, delivery, key],
          );
          return toReplacement({ id: rows[0]!.id, replacement_last4: last4, estimated_delivery_on: delivery, ...prefix(card) });
        }),
    );
  }

  async makeUpInstalment(
    customerId: string,
    depositId: string,
    request: { fromAccountId: string },
    opts: WriteOptions = {},
  ): Promise<Deposit> {
    if (!UUID.test(request.fromAccountId)) throw new CoreBankingError("not_found", "Account not found");
    const key = opts.idempotencyKey ?? crypto.randomUUID();
    return await this.once(
      async () => {
        const done = await this.db.query<{ deposit_id: string }>(
          "SELECT deposit_id FROM demo_instalment_makeups WHERE customer_id = $1 AND idempotency_key = $2",
          [customerId, key],
        );
        return done.rows[0] ? await this.deposit(this.db, customerId, done.rows[0].deposit_id) : null;
      },
      async () =>
        await this.db.transaction(async (tx) => {
          const d = await this.deposit(tx, customerId, depositId, { forUpdate: true });
          if (d.kind !== "instalment" || d.monthly === null)
            throw new CoreBankingError("conflict", "Only instalment savings have instalments");
          if (d.missedInstalments < 1) throw new CoreBankingError("conflict", "No missed instalment to make up");
          const cents = Math.round(d.monthly * 100);
          const debited = await tx.query(
            `UPDATE demo_accounts SET balance_cents = balance_cents - $3
             WHERE id = $2 AND customer_id = $1 AND kind <> 'credit' AND balance_cents >= $3`,
            [customerId, request.fromAccountId, cents],
          );
          if (!debited.rowCount) {
            const exists = await tx.query("SELECT 1 FROM demo_accounts WHERE id = $2 AND customer_id = $1 AND kind <> 'credit'", [
              customerId,
              request.fromAccountId,
            ]);
            throw exists.rowCount
              ? new CoreBankingError("conflict", "Not enough money in the account")
              : new CoreBankingError("not_found", "Account not found");
          }
          await tx.query("INSERT INTO demo_transactions (account_id, posted_at, description, amount_cents) VALUES ($1, now(), $2, $3)", [
            request.fromAccountId,
            "Instalment savings make-up (零存整取补存)",
            -cents,
          ]);
          await tx.query(
            "UPDATE demo_deposits SET paid_instalments = paid_instalments + 1, missed_instalments = missed_instalments - 1 WHERE id = $1",
            [depositId],
          );
          await tx.query(
            `INSERT INTO demo_instalment_makeups (customer_id, deposit_id, from_account_id, amount_cents, idempotency_key)
             VALUES ($1, $2, $3, $4, $5)`,
            [customerId, depositId, request.fromAccountId, cents, key],
          );
          return await this.deposit(tx, customerId, depositId);
        }),
    );
  }

  private async deposit(q: Queryable, customerId: string, depositId: string, opts: { forUpdate?: boolean } = {}): Promise<Deposit> {
    if (!UUID.test(depositId)) throw new CoreBankingError("not_found", "Deposit not found");
    const { rows } = await q.query<DepositRow>(
      `SELECT ${DEPOSIT_COLUMNS} FROM demo_deposits WHERE customer_id = $1 AND id = $2${opts.forUpdate ? " FOR UPDATE" : ""}`,
      [customerId, depositId],
    );
    if (!rows[0]) throw new CoreBankingError("not_found", "Deposit not found");
    return toDeposit(rows[0]);
  }

  private async replacementByKey(customerId: string, key: string): Promise<CardReplacement | null> {
    const { rows } = await this.db.query<ReplacementRow>(
      `SELECT r.id, r.replacement_last4, r.estimated_delivery_on, c.id AS card_id, c.kind AS card_kind, c.product AS card_product,
              c.last4 AS card_last4, c.status AS card_status, c.expires AS card_expires
       FROM demo_card_replacements r JOIN demo_cards c ON c.id = r.card_id
       WHERE r.customer_id = $1 AND r.idempotency_key = $2`,
      [customerId, key],
    );
    return rows[0] ? toReplacement(rows[0]) : null;
  }

  /**
   * A keyed write: the first result when the key was seen, else the write. Two
   * requests with one key at once: one commits, and the other (stopped by the unique
   * key, or finding the change already made once it has the row's lock) answers with
   * what that one did.
   */
  private async once<T>(seen: () => Promise<T | null>, write: () => Promise<T>): Promise<T> {
    const before = await seen();
    if (before) return before;
    try {
      return await write();
    } catch (err) {
      const raced = (err as { code?: string }).code === "23505" || (err instanceof CoreBankingError && err.failure === "conflict");
      if (!raced) throw err;
      const after = await seen();
      if (!after) throw err;
      return after;
    }
  }
}

interface ReplacementRow {
  id: string;
  replacement_last4: string | null;
  estimated_delivery_on: Date | string | null;
  card_id: string;
  card_kind: Card["kind"];
  card_product: string;
  card_last4: string;
  card_status: Card["status"];
  card_expires: string;
}

const prefix = (c: Card) => ({
  card_id: c.id,
  card_kind: c.kind,
  card_product: c.product,
  card_last4: c.last4,
  card_status: c.status,
  card_expires: c.expires,
});

function toReplacement(r: ReplacementRow): CardReplacement {
  return {
    id: r.id,
    card: {
      id: r.card_id,
      kind: r.card_kind,
      product: r.card_product,
      last4: r.card_last4,
      status: r.card_status,
      expires: r.card_expires,
    },
    replacementLast4: r.replacement_last4,
    status: r.replacement_last4 ? "ordered" : "not_ordered",
    estimatedDeliveryOn: r.estimated_delivery_on === null ? null : isoDate(r.estimated_delivery_on),
  };
}

function toDeposit(r: DepositRow): Deposit {
  const principal = yuan(r.principal)!;
  const monthly = yuan(r.monthly);
  const rate = r.rate_percent / 100;
  // 零存整取 interest: each instalment earns for the months it is held (the
  // "cumulative months" method banks publish); a time deposit simple interest.
  const expectedInterest =
    r.kind === "instalment" && monthly
      ? (monthly * ((r.term_months * (r.term_months + 1)) / 2) * rate) / 12
      : (principal * rate * r.term_months) / 12;
  return {
    id: r.id,
    kind: r.kind,
    principal,
    monthly,
    ratePercent: Number(r.rate_percent.toFixed(2)),
    termMonths: r.term_months,
    openedOn: isoDate(r.opened_on),
    maturityOn: isoDate(r.maturity_on),
    paidInstalments: r.paid_instalments,
    missedInstalments: r.missed_instalments,
    autoRollover: r.auto_rollover,
    expectedInterest: Math.round(expectedInterest * 100) / 100,
  };
}

function isoDate(d: Date | string): string {
  return d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
}

/** An ISO date a number of months on, kept within the month (31 Jan + 1 → 28/29 Feb). */
function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

function encodeCursor(postedAt: string, id: string): string {
  return Buffer.from(`${postedAt}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { postedAt: string; id: string } {
  const [postedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!postedAt || !id || !UUID.test(id) || !TIMESTAMP.test(postedAt)) throw new CoreBankingError("rejected", "Invalid cursor");
  return { postedAt, id };
}
