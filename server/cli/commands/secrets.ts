import { Command } from "commander";
import { cliContext } from "../runtime.ts";

/** `bankdesk secrets rotate`: re-encrypts the stored secrets with the current SECRET_KEY. */
export default function secretsCommand(): Command {
  const secrets = new Command("secrets").description("Secrets stored in the database (encrypted with SECRET_KEY)");
  secrets
    .command("rotate")
    .description(
      "Re-encrypt every stored secret with SECRET_KEY. To change the key: start every process with the new SECRET_KEY " +
        "and the old one in SECRET_KEY_PREVIOUS, run this, then remove SECRET_KEY_PREVIOUS.",
    )
    .action(async () => {
      // Imported here, not at the top: every `bankdesk` command loads this file.
      const { resealSecrets } = await import("../../commands/resealSecrets.ts");
      const { sealedSecrets } = await import("../../modules.ts");
      const ctx = await cliContext();
      try {
        const report = await resealSecrets(ctx, sealedSecrets);
        process.stdout.write(`Re-encrypted ${report.resealed} secret(s) with key ${report.keyId}\n`);
        if (report.unreadable.length > 0) {
          process.stdout.write(
            `Could not decrypt ${report.unreadable.length} (is their key in SECRET_KEY_PREVIOUS?):\n` +
              report.unreadable.map((w) => `  ${w}\n`).join(""),
          );
          process.exitCode = 1;
        }
      } finally {
        await ctx.close();
      }
    });
  return secrets;
}
