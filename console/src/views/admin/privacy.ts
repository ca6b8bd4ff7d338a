import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, toast } from "../../ui.ts";
import type { Contact, LegalHold, OrganisationSettings, PrivacyErasure } from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, input, pageHeader, pill, table, textarea } from "./kit.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** What an admin must type to erase a customer: something of theirs they can read off the row, never a fixed word to type by habit. */
export const erasureConfirmation = (c: Pick<Contact, "email" | "name" | "id">): string => c.email ?? c.name ?? c.id;

/**
 * Legal holds and privacy requests (issue #13, server/retention): holds on a customer or
 * a conversation, placed and released with a reason; a customer's data exported (the
 * access request) or erased (after typing their e-mail or name). Every action is
 * audited by the server; exports are also on the access log.
 */
export async function privacySection(s: SectionContext): Promise<void> {
  const [holds, organisation] = await Promise.all([
    api.get<{ items: LegalHold[] }>("/admin/legal-holds").then((r) => r.items),
    api.get<OrganisationSettings>("/admin/organisation"),
  ]);
  if (!s.alive()) return;

  const search = input({ name: "q", type: "search", placeholder: "Name, e-mail, phone or customer id", class: "input", maxlength: 100 });
  const results = h("div", { class: "privacy-results", "data-role": "contact-results" });
  let seq = 0;
  const find = async () => {
    const q = search.value.trim();
    const mine = ++seq;
    if (q.length < 2) return replace(results, null);
    const r = await api.get<{ items: Contact[] }>("/contacts", { q, limit: 10 });
    if (mine !== seq || !s.alive()) return;
    replace(
      results,
      r.items.length
        ? table<Contact>(
            [
              {
                label: "Customer",
                cell: (c) => [
                  h("div", { class: "person-name" }, c.name ?? "Unnamed"),
                  h("div", { class: "person-sub" }, c.email ?? c.phone ?? ""),
                ],
              },
              { label: "Id", cell: (c) => h("span", { class: "mono person-sub" }, c.id) },
              {
                label: "",
                class: "col-actions",
                cell: (c) =>
                  h(
                    "div",
                    { class: "row-actions" },
                    h(
                      "button",
                      {
                        type: "button",
                        class: "btn btn-secondary btn-sm",
                        "data-action": "hold-contact",
                        onclick: () => placeHold({ contactId: c.id }, c.name ?? c.email ?? c.id),
                      },
                      "Place legal hold",
                    ),
                    h(
                      "button",
                      {
                        type: "button",
                        class: "btn btn-secondary btn-sm",
                        "data-action": "export",
                        onclick: (e: Event) => void exportData(c, e.currentTarget as HTMLButtonElement),
                      },
                      "Export data",
                    ),
                    h(
                      "button",
                      { type: "button", class: "btn btn-danger btn-sm", "data-action": "erase", onclick: () => erase(c) },
                      "Erase…",
                    ),
                  ),
              },
            ],
            r.items,
            (c) => ({ "data-contact-id": c.id }),
          )
        : emptyState("users", "No customers found", "Try their e-mail address or customer id."),
    );
  };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void find().catch((err) => replace(results, h("div", { class: "form-error" }, String(err)))), 250);
  });

  function placeHold(target: { contactId?: string; conversationId?: string }, label: string) {
    const reason = textarea({
      name: "reason",
      rows: 3,
      maxlength: 1000,
      placeholder: "e.g. Litigation hold, case 2024/118, requested by Legal",
    });
    formModal({
      title: "Place a legal hold",
      body: [
        h(
          "p",
          { class: "modal-text" },
          `Retention and erasure stop for ${target.contactId ? "this customer" : "this conversation"} (${label}) until the hold is released.`,
        ),
        field("Reason", reason, { name: "reason" }),
      ],
      submit: "Place hold",
      run: async () => {
        await api.post("/admin/legal-holds", { ...target, reason: reason.value.trim() });
        toast("Legal hold placed", { kind: "success" });
        s.reload();
      },
    });
  }

  function release(hold: LegalHold) {
    const reason = textarea({ name: "reason", rows: 3, maxlength: 1000, placeholder: "e.g. Case closed, Legal confirmed on 3 May" });
    formModal({
      title: "Release the legal hold",
      body: [
        h("p", { class: "modal-text" }, `Placed for: ${hold.reason}. Released, it stays on record; retention then applies again.`),
        field("Reason for releasing", reason, { name: "reason" }),
      ],
      submit: "Release hold",
      run: async () => {
        await api.post(`/admin/legal-holds/${hold.id}/release`, { reason: reason.value.trim() });
        toast("Legal hold released", { kind: "success" });
        s.reload();
      },
    });
  }

  async function exportData(c: Contact, button: HTMLButtonElement) {
    button.disabled = true;
    try {
      const data = await api.get<unknown>(`/admin/privacy/contacts/${c.id}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const a = h("a", { href: url, download: `privacy-export-${c.id}.json`, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast("Export downloaded (recorded in the audit and access logs)", { kind: "success" });
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), { kind: "error" });
    } finally {
      button.disabled = false;
    }
  }

  function erase(c: Contact) {
    const expected = erasureConfirmation(c);
    const typed = input({ name: "confirmation", autocomplete: "off", class: "input", "data-role": "erase-confirmation" });
    confirmAction({
      title: "Erase this customer's data",
      text: `Every conversation of ${c.name ?? expected} is deleted with its messages and files, and the customer record is anonymised. Complaint cases are kept without their details. This cannot be undone. It is refused while a legal hold covers the customer.`,
      extra: field(`Type ${expected} to confirm`, typed, { name: "confirmation" }),
      confirm: "Erase",
      danger: true,
      run: async () => {
        if (typed.value.trim() !== expected) throw new Error(`Type ${expected} exactly to confirm.`);
        const r = await api.post<PrivacyErasure>(`/admin/privacy/contacts/${c.id}/erase`);
        toast(`Erased: ${r.conversations ?? 0} conversations deleted, ${r.casesKept} cases kept`, { kind: "success" });
        void find();
        s.reload();
      },
    });
  }

  const conversationId = input({ name: "conversationId", placeholder: "Conversation id", class: "input input-sm" });
  const holdConversation = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary btn-sm",
      "data-action": "hold-conversation",
      onclick: () => {
        const id = conversationId.value.trim();
        if (!UUID.test(id)) {
          toast("Paste the conversation's id (from its details panel)", { kind: "error" });
          return;
        }
        placeHold({ conversationId: id }, id);
      },
    },
    "Hold a conversation",
  );

  // How long closed complaint cases are kept (the organisation's setting; the server checks the range).
  const caseDays = input({
    name: "caseRetentionDays",
    type: "number",
    min: 365,
    max: 36500,
    placeholder: "Keep for ever",
    class: "input input-sm",
    value: organisation.caseRetentionDays === null ? "" : String(organisation.caseRetentionDays),
  });
  const saveCaseDays = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary btn-sm",
      "data-action": "save-case-retention",
      onclick: () => {
        const raw = caseDays.value.trim();
        const days = raw === "" ? null : Number(raw);
        void api
          .patch<OrganisationSettings>("/admin/organisation", { caseRetentionDays: days })
          .then((r) =>
            toast(
              r.caseRetentionDays === null
                ? "Complaint cases are kept for ever"
                : `Closed complaint cases kept ${r.caseRetentionDays} days`,
              {
                kind: "success",
                timeout: 2500,
              },
            ),
          )
          .catch((err) => toast(err instanceof Error ? err.message : String(err), { kind: "error" }));
      },
    },
    "Save",
  );

  replace(
    s.body,
    pageHeader(
      "Legal holds & privacy",
      "Stop retention and erasure for a customer or a conversation under a legal hold; answer a customer's request for their data or for its erasure. Every action is in the audit log.",
    ),
    h(
      "section",
      { class: "privacy-block" },
      h("h2", null, "Complaint case retention"),
      h(
        "p",
        { class: "muted" },
        "Days after a complaint case is closed before the daily retention run anonymises it (its text goes; reports still count it). Empty keeps cases for ever. Check your regulator's minimum first.",
      ),
      h("div", { class: "filters" }, field("Keep closed cases (days)", caseDays, { name: "caseRetentionDays" }), saveCaseDays),
    ),
    h("section", { class: "privacy-block" }, h("h2", null, "Customers"), field("Find a customer", search, { name: "q" }), results),
    h(
      "section",
      { class: "privacy-block" },
      h("h2", null, "Legal holds"),
      h("div", { class: "filters" }, conversationId, holdConversation),
      holds.length
        ? table<LegalHold>(
            [
              {
                label: "Covers",
                cell: (x) => [
                  h("div", null, x.contactId ? "Customer" : "Conversation"),
                  h("div", { class: "mono person-sub" }, (x.contactId ?? x.conversationId)!),
                ],
              },
              { label: "Reason", cell: (x) => x.reason },
              { label: "Placed", cell: (x) => when(x.createdAt) },
              { label: "Status", cell: (x) => (x.releasedAt ? pill(`Released ${when(x.releasedAt)}`) : pill("Active", "amber")) },
              {
                label: "",
                class: "col-actions",
                cell: (x) =>
                  x.releasedAt
                    ? null
                    : h(
                        "button",
                        { type: "button", class: "btn btn-secondary btn-sm", "data-action": "release", onclick: () => release(x) },
                        "Release…",
                      ),
              },
            ],
            holds,
            (x) => ({ "data-hold-id": x.id, "data-active": x.releasedAt ? "false" : "true" }),
          )
        : emptyState("file", "No legal holds", "Find a customer above to place one, or paste a conversation's id."),
    ),
  );
}
