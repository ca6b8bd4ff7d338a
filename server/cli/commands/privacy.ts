import fs from "node:fs";
import { Command } from "commander";
import { z } from "zod";
import { SYSTEM } from "../../actor.ts";
import { eraseContact, exportContactData } from "../../retention/privacyRequests.ts";
import { cliContext } from "../runtime.ts";

const contactId = (v: string) => {
  const r = z.string().uuid().safeParse(v);
  if (!r.success) throw new Error("--contact must be a contact id (a UUID)");
  return r.data;
};

/** `bankdesk privacy export|erase --contact <id>`: a customer's privacy requests, audited as the system. */
export default function privacyCommand(): Command {
  const privacy = new Command("privacy").description("Customers' privacy requests: export everything held about one, or erase them");
  privacy
    .command("export")
    .description(
      "Print (or write to --out) a JSON of everything held about a customer: contact, conversations, messages, cases, CSAT, attachments",
    )
    .requiredOption("--contact <id>", "the contact's id")
    .option("--out <file>", "write the JSON to this file (mode 600) instead of standard output")
    .action(async (opts: { contact: string; out?: string }) => {
      const id = contactId(opts.contact);
      const ctx = await cliContext();
      try {
        const data = await exportContactData(ctx, { actor: SYSTEM, contactId: id });
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.out) fs.writeFileSync(opts.out, json, { mode: 0o600 });
        else process.stdout.write(json);
      } finally {
        await ctx.close();
      }
    });
  privacy
    .command("erase")
    .description("Delete a customer's conversations and anonymise them; refused while a legal hold covers them")
    .requiredOption("--contact <id>", "the contact's id")
    .action(async (opts: { contact: string }) => {
      const id = contactId(opts.contact);
      const ctx = await cliContext();
      try {
        const r = await eraseContact(ctx, { actor: SYSTEM, contactId: id });
        process.stdout.write(
          `Erased contact ${r.contactId}: ${r.conversations} conversation(s), ${r.messages} message(s), ${r.notes} note(s), ` +
            `${r.attachments} attachment(s) (${r.filesDeleted} file(s)), ${r.failedJobs} failed job(s), ${r.webhookDeliveries} delivery log(s); ` +
            `${r.casesKept} complaint case(s) kept as a regulatory record\n`,
        );
      } finally {
        await ctx.close();
      }
    });
  return privacy;
}
