import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, signInAgent, type TestApp } from "../helpers/testApp.ts";
import { SoftAuthenticator } from "../helpers/softAuthenticator.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { updateOrganisationSettings } from "../../server/commands/updateOrganisationSettings.ts";
import { resetAgentTwoFactor } from "../../server/twoFactor/commands/resetAgentTwoFactor.ts";
import { presentAgentForAdmin } from "../../server/presenters/presentAgent.ts";
import { findAgentWithTeamIds } from "../../server/agents/agentQueries.ts";

/**
 * Security keys and passkeys as a second factor (issue #13), against the real server
 * and database with a key in software (tests/helpers/softAuthenticator.ts): registering
 * (bound to the session, single-use, from our origin only), signing in with one (bound
 * to the sign-in attempt, single-use, our RP ID only), a counter that goes backwards
 * (a cloned key), removal, the organisation's requirement, and failed answers counting
 * towards the lock-out. Outside production without configuration the relying party is
 * http://localhost on any port, RP ID "localhost".
 */
let app: TestApp;
type Who = { cookie: string; csrf: string };
const PASSWORD = "correct-horse-battery";
const ORIGIN = { origin: "http://localhost:3000" };

beforeAll(async () => {
  app = await startTestApp();
  for (const email of ["key-agent@bank.example", "key-two@bank.example", "key-lock@bank.example", "key-req@bank.example"]) {
    await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split("@")[0]!, role: "agent", password: PASSWORD });
  }
});
afterAll(() => app?.close());

// Each request from an address of its own: the per-address sign-in limit is not under test.
let address = 0;
async function call(who: Who | undefined, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-forwarded-for": `10.8.${address >> 8}.${address++ & 255}`,
  };
  if (who) Object.assign(headers, { cookie: who.cookie, "x-csrf-token": who.csrf });
  const res = await fetch(`${app.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, cookie: res.headers.get("set-cookie")?.split(";")[0] };
}

async function register(who: Who, key: SoftAuthenticator, name: string) {
  const options = await call(who, "POST", "/auth/security-keys/registration");
  expect(options.status).toBe(200);
  return call(who, "POST", "/auth/security-keys", { name, response: key.register(options.body, ORIGIN) });
}

const password = (email: string) => call(undefined, "POST", "/auth/login", { email, password: PASSWORD });
const keyOptions = (challenge: string) => call(undefined, "POST", "/auth/login/security-key/options", { challenge });
const keyAnswer = (challenge: string, response: unknown) => call(undefined, "POST", "/auth/login/security-key", { challenge, response });

async function signInWithKey(email: string, key: SoftAuthenticator) {
  const first = await password(email);
  expect(first.body.twoFactorRequired).toBe(true);
  const options = await keyOptions(first.body.challenge);
  expect(options.status).toBe(200);
  return keyAnswer(first.body.challenge, key.authenticate(options.body, ORIGIN));
}

const audited = async (email: string, action: string) =>
  (
    await app.db.query<{ data: Record<string, unknown> }>(
      "SELECT l.data FROM audit_log l JOIN agents a ON a.id = l.actor_id WHERE a.email = $1 AND l.action = $2 ORDER BY l.id",
      [email, action],
    )
  ).rows.map((r) => r.data);

const key = new SoftAuthenticator();
let homeKey: SoftAuthenticator;

describe("registering a security key", () => {
  it("stores the key under the agent's name for it, and answers only what tells keys apart", async () => {
    const who = await signInAgent(app, "key-agent@bank.example", PASSWORD);
    const options = await call(who, "POST", "/auth/security-keys/registration");
    expect(options.body).toMatchObject({
      rp: { id: "localhost", name: "BankDesk" },
      user: { name: "key-agent@bank.example" },
      attestation: "none",
      excludeCredentials: [],
    });
    const added = await call(who, "POST", "/auth/security-keys", {
      name: "YubiKey on my keyring",
      response: key.register(options.body, ORIGIN),
    });
    expect(added.status).toBe(201);
    expect(Object.keys(added.body).sort()).toEqual(["backedUp", "createdAt", "id", "lastUsedAt", "name", "transports"]);
    const list = await call(who, "GET", "/auth/security-keys");
    expect(list.body).toEqual({
      available: true,
      items: [expect.objectContaining({ name: "YubiKey on my keyring", transports: ["usb"], lastUsedAt: null })],
    });
    const { rows } = await app.db.query(
      "SELECT credential_id, counter::int AS counter, length(public_key) > 60 AS has_key FROM agent_security_keys",
    );
    expect(rows).toEqual([{ credential_id: key.id, counter: 0, has_key: true }]);
    expect(await audited("key-agent@bank.example", "auth.security_key_added")).toEqual([
      { name: "YubiKey on my keyring", transports: ["usb"], backedUp: false },
    ]);
    // Registered keys are excluded from the next registration, so none is added twice.
    expect((await call(who, "POST", "/auth/security-keys/registration")).body.excludeCredentials).toEqual([
      { id: key.id, type: "public-key", transports: ["usb"] },
    ]);
  });

  it("takes a challenge once, from the session it was given to, answered on our origin", async () => {
    const who = await signInAgent(app, "key-two@bank.example", PASSWORD);
    const other = await signInAgent(app, "key-two@bank.example", PASSWORD);
    const k = new SoftAuthenticator();
    const options = await call(who, "POST", "/auth/security-keys/registration");
    const response = k.register(options.body, ORIGIN);
    // Another session of the same agent cannot complete it ...
    expect((await call(other, "POST", "/auth/security-keys", { name: "x", response })).status).toBe(400);
    // ... nor can a look-alike site the agent was lured to (its origin is in the signed client data).
    const phished = await call(who, "POST", "/auth/security-keys/registration");
    const fromPhish = await call(who, "POST", "/auth/security-keys", {
      name: "x",
      response: k.register(phished.body, { origin: "https://bank-desk-login.example" }),
    });
    expect(fromPhish.status).toBe(400);
    expect(fromPhish.body.error.message).toContain("WEBAUTHN_ORIGINS");
    // The right session can (the failed tries above did not use its challenge) ...
    const fresh = await call(who, "POST", "/auth/security-keys/registration");
    expect((await call(who, "POST", "/auth/security-keys", { name: "Backup key", response: k.register(fresh.body, ORIGIN) })).status).toBe(
      201,
    );
    // ... once.
    const again = await call(who, "POST", "/auth/security-keys", { name: "Again", response: k.register(fresh.body, ORIGIN) });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain("already used");
    // Expired challenges are refused too.
    const late = await call(who, "POST", "/auth/security-keys/registration");
    await app.db.query("UPDATE agent_webauthn_challenges SET expires_at = now() - interval '1 second'");
    const third = new SoftAuthenticator();
    expect((await call(who, "POST", "/auth/security-keys", { name: "Late", response: third.register(late.body, ORIGIN) })).status).toBe(
      400,
    );
    expect((await call(who, "POST", "/auth/security-keys", { name: "  ", response: third.register(late.body, ORIGIN) })).status).toBe(400);
  });
});

describe("signing in with a security key", () => {
  it("offers the key after the password and opens a session with it, audited", async () => {
    const first = await password("key-agent@bank.example");
    expect(first.body).toEqual({
      twoFactorRequired: true,
      challenge: expect.any(String),
      expiresAt: expect.any(String),
      methods: ["security_key"],
    });
    const options = await keyOptions(first.body.challenge);
    expect(options.body).toMatchObject({ rpId: "localhost", allowCredentials: [{ id: key.id, type: "public-key" }] });
    const r = await keyAnswer(first.body.challenge, key.authenticate(options.body, ORIGIN));
    expect(r.status).toBe(200);
    expect(r.cookie).toMatch(/^bd_session=/);
    expect((await call({ cookie: r.cookie!, csrf: r.body.csrfToken }, "GET", "/auth/me")).status).toBe(200);
    expect((await audited("key-agent@bank.example", "auth.login")).at(-1)).toEqual({ secondFactor: "security_key" });
    const { rows } = await app.db.query(
      "SELECT counter::int AS counter, last_used_at IS NOT NULL AS used FROM agent_security_keys WHERE credential_id = $1",
      [key.id],
    );
    expect(rows[0]).toEqual({ counter: key.counter, used: true });
  });

  it("refuses a superseded challenge, another sign-in attempt's, a replayed answer, another RP ID and another origin", async () => {
    const a = await password("key-agent@bank.example");
    const b = await password("key-agent@bank.example");
    const superseded = await keyOptions(a.body.challenge);
    const optionsA = await keyOptions(a.body.challenge);
    // Asking again replaces the attempt's challenge: the earlier one is answered in vain.
    expect((await keyAnswer(a.body.challenge, key.authenticate(superseded.body, ORIGIN))).status).toBe(401);
    // Attempt A's challenge, posted with attempt B.
    expect((await keyAnswer(b.body.challenge, key.authenticate(optionsA.body, ORIGIN))).status).toBe(401);
    // A look-alike site: its own RP ID (the key would have no credential there, so it signs another hash) ...
    const optionsB = await keyOptions(b.body.challenge);
    expect(
      (await keyAnswer(b.body.challenge, key.authenticate(optionsB.body, { ...ORIGIN, rpId: "bank-desk-login.example" }))).status,
    ).toBe(401);
    // ... or a relay of ours from another origin.
    const optionsB2 = await keyOptions(b.body.challenge);
    expect(
      (await keyAnswer(b.body.challenge, key.authenticate(optionsB2.body, { origin: "https://bank-desk-login.example" }))).status,
    ).toBe(401);
    // A good answer signs in once; sent again (the challenge used up), it opens nothing.
    const optionsB3 = await keyOptions(b.body.challenge);
    const good = key.authenticate(optionsB3.body, ORIGIN);
    expect((await keyAnswer(b.body.challenge, good)).status).toBe(200);
    const c = await password("key-agent@bank.example");
    expect((await keyAnswer(c.body.challenge, good)).status).toBe(401);
  });

  it("refuses a key whose counter went backwards, as a possible clone, and audits it", async () => {
    const clone = Object.assign(Object.create(Object.getPrototypeOf(key)), key) as SoftAuthenticator;
    clone.counter = 1;
    const r = await signInWithKey("key-agent@bank.example", clone);
    expect(r.status).toBe(401);
    const [regressed] = await audited("key-agent@bank.example", "auth.security_key_counter_regressed");
    expect(regressed).toEqual({ name: "YubiKey on my keyring", storedCounter: key.counter, presentedCounter: 2 });
    // The same counter again is no better than a lower one.
    const first = await password("key-agent@bank.example");
    const options = await keyOptions(first.body.challenge);
    expect((await keyAnswer(first.body.challenge, key.authenticate(options.body, { ...ORIGIN, keepCounter: true }))).status).toBe(401);
    // The genuine key, counting on, still works.
    expect((await signInWithKey("key-agent@bank.example", key)).status).toBe(200);
  });

  it("counts failed answers towards the lock-out, and a correct password does not", async () => {
    const who = await signInAgent(app, "key-lock@bank.example", PASSWORD);
    const k = new SoftAuthenticator();
    expect((await register(who, k, "Only key")).status).toBe(201);
    const first = await password("key-lock@bank.example");
    for (let i = 0; i < 5; i++) {
      const options = await keyOptions(first.body.challenge);
      const bad = k.authenticate(options.body, ORIGIN);
      bad.response.signature = new SoftAuthenticator().authenticate(options.body, ORIGIN).response.signature;
      expect((await keyAnswer(first.body.challenge, bad)).status).toBe(401);
    }
    // Locked: even the right key's owner gets no further than the password now.
    expect((await password("key-lock@bank.example")).status).toBe(401);
    const { rows } = await app.db.query<{ locked: boolean }>(
      "SELECT locked_until > now() AS locked FROM agents WHERE email = 'key-lock@bank.example'",
    );
    expect(rows[0]!.locked).toBe(true);
  });
});

describe("removing a security key", () => {
  it("is audited; the removed key signs nobody in, the agent's other key still does", async () => {
    const who = await signInAgent(app, "key-req@bank.example", PASSWORD);
    const [one, two] = [new SoftAuthenticator(), new SoftAuthenticator()];
    const added = await register(who, one, "Office key");
    expect((await register(who, two, "Home key")).status).toBe(201);
    expect((await call(who, "DELETE", `/auth/security-keys/${added.body.id}`)).status).toBe(204);
    expect(await audited("key-req@bank.example", "auth.security_key_removed")).toEqual([{ name: "Office key" }]);
    expect((await call(who, "DELETE", `/auth/security-keys/${added.body.id}`)).status).toBe(404);
    expect((await signInWithKey("key-req@bank.example", one)).status).toBe(401);
    const r = await signInWithKey("key-req@bank.example", two);
    expect(r.status).toBe(200);
    homeKey = two;
  });

  it("satisfies the organisation's requirement, and the last key cannot go while it holds", async () => {
    await updateOrganisationSettings(app.ctx, { actor: SYSTEM, changes: { requireStaffTwoFactor: true } });
    try {
      const r = await signInWithKey("key-req@bank.example", homeKey);
      const who = { cookie: r.cookie!, csrf: r.body.csrfToken };
      // Not limited to setting up two-factor sign-in: a key is a second factor.
      expect((await call(who, "GET", "/conversations")).status).toBe(200);
      const { body } = await call(who, "GET", "/auth/security-keys");
      const removed = await call(who, "DELETE", `/auth/security-keys/${body.items[0].id}`);
      expect(removed.status).toBe(403);
      expect(removed.body.error.details.reason).toBe("two_factor_required");
      expect((await call(who, "GET", "/auth/security-keys")).body.items).toHaveLength(1);
    } finally {
      await updateOrganisationSettings(app.ctx, { actor: SYSTEM, changes: { requireStaffTwoFactor: false } });
    }
  });

  it("is what an admin's reset does to every key of a user who lost theirs, and the admin list shows the key as two-factor", async () => {
    const agentId = (await app.db.query<{ id: string }>("SELECT id FROM agents WHERE email = 'key-req@bank.example'")).rows[0]!.id;
    expect(presentAgentForAdmin((await findAgentWithTeamIds(app.db, agentId))!).twoFactorEnabled).toBe(true);
    await resetAgentTwoFactor(app.ctx, { actor: SYSTEM, agentId });
    expect((await app.db.query("SELECT 1 FROM agent_security_keys WHERE agent_id = $1", [agentId])).rowCount).toBe(0);
    expect(presentAgentForAdmin((await findAgentWithTeamIds(app.db, agentId))!).twoFactorEnabled).toBe(false);
    const [reset] = (
      await app.db.query<{ data: Record<string, unknown> }>(
        "SELECT data FROM audit_log WHERE action = 'agent.two_factor_reset' AND target_id = $1",
        [agentId],
      )
    ).rows;
    expect(reset!.data).toMatchObject({ wasEnabled: true, securityKeysRemoved: 1 });
    // The password alone signs in now.
    expect((await password("key-req@bank.example")).cookie).toMatch(/^bd_session=/);
  });
});

describe("renaming a security key", () => {
  it("renames the agent's own key, audited; another agent's key is not found", async () => {
    await createAgent(app.ctx, { actor: SYSTEM, email: "key-rename@bank.example", name: "rename", role: "agent", password: PASSWORD });
    const who = await signInAgent(app, "key-rename@bank.example", PASSWORD);
    const added = await register(who, new SoftAuthenticator(), "YubiKey");
    const renamed = await call(who, "PATCH", `/auth/security-keys/${added.body.id}`, { name: "Spare key in the safe" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: added.body.id, name: "Spare key in the safe" });
    expect((await call(who, "GET", "/auth/security-keys")).body.items.map((k: { name: string }) => k.name)).toEqual([
      "Spare key in the safe",
    ]);
    expect(await audited("key-rename@bank.example", "auth.security_key_renamed")).toEqual([
      { from: "YubiKey", to: "Spare key in the safe" },
    ]);
    expect((await call(who, "PATCH", `/auth/security-keys/${added.body.id}`, { name: "bad\u0007name" })).status).toBe(400);
    await createAgent(app.ctx, { actor: SYSTEM, email: "key-stranger@bank.example", name: "stranger", role: "agent", password: PASSWORD });
    const stranger = await signInAgent(app, "key-stranger@bank.example", PASSWORD);
    expect((await call(stranger, "PATCH", `/auth/security-keys/${added.body.id}`, { name: "Mine now" })).status).toBe(404);
    expect((await call(who, "GET", "/auth/security-keys")).body.items[0].name).toBe("Spare key in the safe");
  });
});

describe("signing in with a passkey, without a password", () => {
  const passkeys = new Map<string, { key: SoftAuthenticator; userHandle: string }>();
  /** A registered passkey of a new agent, and the user handle the authenticator keeps with it (the agent's id). */
  async function agentWithPasskey(email: string) {
    const agent = await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split("@")[0]!, role: "agent", password: PASSWORD });
    const who = await signInAgent(app, email, PASSWORD);
    const key = new SoftAuthenticator();
    expect((await register(who, key, "Phone passkey")).status).toBe(201);
    const entry = { key, userHandle: Buffer.from(agent.id.replace(/-/g, ""), "hex").toString("base64url") };
    passkeys.set(email, entry);
    return entry;
  }
  const start = async () => {
    const r = await call(undefined, "POST", "/auth/login/passkey/options");
    expect(r.status).toBe(200);
    return r.body as {
      attempt: string;
      options: { challenge: string; rpId: string; allowCredentials: unknown[]; userVerification: string };
    };
  };
  const answer = (attempt: string, response: unknown) => call(undefined, "POST", "/auth/login/passkey", { attempt, response });
  const failures = async () =>
    (
      await app.db.query<{ data: { reason?: string } }>(
        "SELECT data FROM audit_log WHERE action = 'auth.login_failed' AND data->>'method' = 'passkey' ORDER BY id",
      )
    ).rows.map((r) => r.data.reason);

  it("asks for any passkey of this site with the user verified, and signs its agent in, audited; the organisation's two-factor requirement is met", async () => {
    const { key, userHandle } = await agentWithPasskey("passkey@bank.example");
    const { attempt, options } = await start();
    expect(options).toMatchObject({ rpId: "localhost", allowCredentials: [], userVerification: "required" });
    await updateOrganisationSettings(app.ctx, { actor: SYSTEM, changes: { requireStaffTwoFactor: true } });
    try {
      const r = await answer(attempt, key.authenticate(options, { ...ORIGIN, userVerified: true, userHandle }));
      expect(r.status).toBe(200);
      expect(r.body.agent.email).toBe("passkey@bank.example");
      const who = { cookie: r.cookie!, csrf: r.body.csrfToken };
      expect((await call(who, "GET", "/conversations")).status).toBe(200);
    } finally {
      await updateOrganisationSettings(app.ctx, { actor: SYSTEM, changes: { requireStaffTwoFactor: false } });
    }
    expect(await audited("passkey@bank.example", "auth.login")).toContainEqual({ secondFactor: "passkey" });
  });

  it("refuses an answer without user verification, a replayed one, another attempt's, another origin's, another user handle and an unknown key", async () => {
    const { key, userHandle } = passkeys.get("passkey@bank.example")!;
    const before = (await failures()).length;
    // Touched but not verified (no PIN or fingerprint): one factor only.
    let s = await start();
    expect((await answer(s.attempt, key.authenticate(s.options, { ...ORIGIN, userHandle }))).status).toBe(401);
    // The right answer, given twice: the challenge is used up by the first.
    s = await start();
    const good = key.authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle });
    expect((await answer(s.attempt, good)).status).toBe(200);
    expect((await answer(s.attempt, good)).status).toBe(401);
    // Answered with another browser's attempt token.
    const [mine, theirs] = [await start(), await start()];
    expect((await answer(theirs.attempt, key.authenticate(mine.options, { ...ORIGIN, userVerified: true, userHandle }))).status).toBe(401);
    // Signed on a look-alike site.
    s = await start();
    expect(
      (await answer(s.attempt, key.authenticate(s.options, { origin: "https://bank-desk.example", userVerified: true, userHandle })))
        .status,
    ).toBe(401);
    // A user handle that is not the key's agent.
    s = await start();
    const other = Buffer.alloc(16, 7).toString("base64url");
    expect((await answer(s.attempt, key.authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle: other }))).status).toBe(401);
    // A key nobody registered.
    s = await start();
    const r = await answer(s.attempt, new SoftAuthenticator().authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle }));
    expect(r.status).toBe(401);
    expect(r.body.error.details.reason).toBe("passkey_refused");
    expect((await failures()).slice(before)).toEqual([undefined, "challenge", "challenge", "origin", "user_handle", "unknown_key"]);
  });

  it("counts refused answers towards the lock-out; a locked or deactivated agent's passkey gets the same refusal", async () => {
    const { key, userHandle } = await agentWithPasskey("passkey-lock@bank.example");
    for (let i = 0; i < 5; i++) {
      const s = await start();
      const bad = key.authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle });
      bad.response.signature = new SoftAuthenticator().authenticate(s.options, ORIGIN).response.signature;
      expect((await answer(s.attempt, bad)).status).toBe(401);
    }
    let s = await start();
    const locked = await answer(s.attempt, key.authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle }));
    expect(locked.status).toBe(401);
    expect((await password("passkey-lock@bank.example")).status).toBe(401);

    const off = await agentWithPasskey("passkey-off@bank.example");
    await app.db.query("UPDATE agents SET disabled_at = now() WHERE email = 'passkey-off@bank.example'");
    s = await start();
    const deactivated = await answer(
      s.attempt,
      off.key.authenticate(s.options, { ...ORIGIN, userVerified: true, userHandle: off.userHandle }),
    );
    expect(deactivated.status).toBe(401);
    expect(deactivated.body).toEqual(locked.body);
  });
});
