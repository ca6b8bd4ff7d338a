import { Command, Option } from "commander";
import { createAgent } from "../../commands/createAgent.ts";
import { resetAgentPassword } from "../../commands/resetAgentPassword.ts";
import { setAgentActive } from "../../commands/setAgentActive.ts";
import { resetAgentTwoFactor } from "../../twoFactor/commands/resetAgentTwoFactor.ts";
import { randomPassword } from "../../auth/password.ts";
import { SYSTEM } from "../../actor.ts";
import { ROLES } from "../../models/agents.ts";
import { cliContext } from "../runtime.ts";
import type { AppContext } from "../../context.ts";

export function userCommand(): Command {
  const user = new Command("user").description("Manage console users");
  user
    .command("create")
    .description("Create an admin, agent or content editor (prints a generated password unless --password is given)")
    .requiredOption("--email <email>", "e-mail address (the login)")
    .addOption(new Option("--role <role>", "role").choices(ROLES as unknown as string[]).default("agent"))
    .option("--name <name>", "display name")
    .option("--password <password>", "password (at least 10 characters, not easy to guess); generated when omitted")
    .action(async (opts: { email: string; role: (typeof ROLES)[number]; name?: string; password?: string }) => {
      const ctx = await cliContext();
      try {
        const password = opts.password ?? randomPassword();
        const agent = await createAgent(ctx, {
          actor: SYSTEM,
          email: opts.email,
          name: opts.name ?? opts.email.split("@")[0]!,
          role: opts.role,
          password,
          passwordGenerated: opts.password === undefined,
        });
        process.stdout.write(`Created ${agent.role} ${agent.email}${opts.password ? "" : ` password: ${password}`}\n`);
      } finally {
        await ctx.close();
      }
    });
  user
    .command("list")
    .description("List console users: e-mail, role, name, and whether active or locked out")
    .action(async () => {
      const ctx = await cliContext();
      try {
        const { rows } = await ctx.db.query<{ email: string; role: string; name: string; disabled: boolean; locked: boolean }>(
          `SELECT email, role, name, disabled_at IS NOT NULL AS disabled, COALESCE(locked_until > now(), false) AS locked
           FROM agents ORDER BY role, email`,
        );
        if (rows.length === 0) process.stdout.write("No console users yet: bankdesk user create --role admin --email you@bank.example\n");
        const width = Math.max(5, ...rows.map((r) => r.email.length));
        for (const r of rows) {
          const state = r.disabled ? "deactivated" : r.locked ? "locked out" : "active";
          process.stdout.write(`${r.email.padEnd(width)}  ${r.role.padEnd(7)}  ${state.padEnd(11)}  ${r.name}\n`);
        }
      } finally {
        await ctx.close();
      }
    });
  user
    .command("reset-password")
    .description("Set a new password (printed once unless --password is given), lift a lock-out and sign the user out everywhere")
    .requiredOption("--email <email>", "the user's e-mail address")
    .option("--password <password>", "the new password (at least 10 characters, not easy to guess); generated when omitted")
    .action(async (opts: { email: string; password?: string }) => {
      const ctx = await cliContext();
      try {
        const agentId = await agentIdByEmail(ctx, opts.email);
        const { generatedPassword } = await resetAgentPassword(ctx, { actor: SYSTEM, agentId, password: opts.password });
        process.stdout.write(`Password reset for ${opts.email}${generatedPassword ? ` password: ${generatedPassword}` : ""}\n`);
      } finally {
        await ctx.close();
      }
    });
  user
    .command("reset-2fa")
    .description("Take away a user's two-factor sign-in (a lost phone) and sign them out everywhere; they set it up again after signing in")
    .requiredOption("--email <email>", "the user's e-mail address")
    .action(async (opts: { email: string }) => {
      const ctx = await cliContext();
      try {
        await resetAgentTwoFactor(ctx, { actor: SYSTEM, agentId: await agentIdByEmail(ctx, opts.email) });
        process.stdout.write(`Two-factor sign-in reset for ${opts.email}: signed out everywhere\n`);
      } finally {
        await ctx.close();
      }
    });
  for (const [name, active] of [
    ["deactivate", false],
    ["activate", true],
  ] as const) {
    user
      .command(name)
      .description(
        active
          ? "Let a deactivated user sign in again"
          : "Stop a user signing in: ends their sessions and returns their open conversations to the queue",
      )
      .requiredOption("--email <email>", "the user's e-mail address")
      .action(async (opts: { email: string }) => {
        const ctx = await cliContext();
        try {
          await setAgentActive(ctx, { actor: SYSTEM, agentId: await agentIdByEmail(ctx, opts.email), active });
          process.stdout.write(`${active ? "Activated" : "Deactivated"} ${opts.email}\n`);
        } finally {
          await ctx.close();
        }
      });
  }
  return user;
}

async function agentIdByEmail(ctx: AppContext, email: string): Promise<string> {
  const { rows } = await ctx.db.query<{ id: string }>("SELECT id FROM agents WHERE lower(email) = lower($1)", [email]);
  if (!rows[0]) throw new Error(`No console user with the e-mail address ${email} (bankdesk user list shows them)`);
  return rows[0].id;
}
