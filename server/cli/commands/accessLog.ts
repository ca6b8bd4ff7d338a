import { Command } from "commander";
import { verifyAccessLog } from "../../accessLog/verifyAccessLog.ts";
import { cliContext } from "../runtime.ts";

/** `bankdesk access-log verify`: recomputes the access log's hash chain. */
export default function accessLogCommand(): Command {
  const log = new Command("access-log").description("The access log of staff reads (who read what), hash-chained");
  log
    .command("verify")
    .description("Recompute every link of the chain; exits 1 and names the first broken link when a row was edited, removed or cut off")
    .option("--json", "print the report as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = await cliContext();
      try {
        const report = await verifyAccessLog(ctx.db);
        if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else if (report.ok) process.stdout.write(`Access log intact: ${report.rows} row(s), last id ${report.lastId ?? "none"}\n`);
        else
          process.stdout.write(
            `Access log BROKEN at id ${report.firstBroken!.id} (${report.firstBroken!.reason}); ${report.rows} row(s) before it verified\n`,
          );
        if (!report.ok) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });
  return log;
}
