import { Command } from "commander";
import { ConfigError } from "../config.ts";
import { startCommand } from "./commands/start.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { userCommand } from "./commands/user.ts";
import { cliCommands } from "./registry.ts";

const program = new Command()
  .name("bankdesk")
  .description("BankDesk: AI customer service for retail banks")
  .version("0.1.0")
  .showHelpAfterError();

program.addCommand(startCommand());
program.addCommand(migrateCommand());
program.addCommand(userCommand());
for (const c of await cliCommands()) program.addCommand(c);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`bankdesk: ${err.message}\n`);
  } else {
    process.stderr.write(`bankdesk: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
}
