import { Command, Option } from "commander";
import { createAgent } from "../../commands/createAgent.ts";
import { randomPassword } from "../../auth/password.ts";
import { SYSTEM } from "../../context.ts";
import { ROLES } from "../../conversations/types.ts";
import { cliContext } from "../runtime.ts";

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
        });
        process.stdout.write(`Created ${agent.role} ${agent.email}${opts.password ? "" : ` password: ${password}`}\n`);
      } finally {
        await ctx.close();
      }
    });
  return user;
}
