import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { dateTime } from "../../format.ts";
import { emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, rowActions, table, textarea } from "./kit.ts";
import type { AdminCannedResponse } from "./types.ts";

export async function cannedSection(s: SectionContext): Promise<void> {
  const { items } = await api.get<{ items: AdminCannedResponse[] }>("/admin/canned-responses");
  if (!s.alive()) return;

  const edit = (c: AdminCannedResponse | null) => {
    const code = input({ name: "shortCode", value: c?.shortCode ?? "", maxlength: 40, placeholder: "card-abroad", class: "input mono" });
    const content = textarea({ name: "content", value: c?.content ?? "", maxlength: 4000, rows: 6 });
    formModal({
      title: c ? `Edit /${c.shortCode}` : "New canned response",
      wide: true,
      body: h(
        "div",
        { class: "af-grid af-grid-1" },
        field("Short code", code, {
          name: "shortCode",
          hint: "Agents type /short-code in the reply box. Lower-case letters, digits, - and _.",
        }),
        field("Response", content, { name: "content", hint: "Sent as the agent's own message; they can edit it first." }),
      ),
      submit: c ? "Save changes" : "Add response",
      run: async () => {
        const body = { shortCode: code.value, content: content.value };
        if (c) await api.patch(`/admin/canned-responses/${c.id}`, body);
        else await api.post("/admin/canned-responses", body);
        s.page.app.canned = undefined; // the composer re-reads the list
        toast(c ? "Canned response updated" : "Canned response added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const remove = (c: AdminCannedResponse) =>
    confirmAction({
      title: `Delete /${c.shortCode}?`,
      text: "Agents will no longer find it in the reply box.",
      confirm: "Delete",
      danger: true,
      run: async () => {
        await api.del(`/admin/canned-responses/${c.id}`);
        s.page.app.canned = undefined;
        toast(`/${c.shortCode} deleted`, { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  replace(
    s.body,
    pageHeader(
      "Canned responses",
      "Answers agents insert with a short code while replying.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-canned", onclick: () => edit(null) }, "New response"),
    ),
    items.length
      ? table(
          [
            { label: "Short code", cell: (c) => h("code", { class: "code-chip" }, `/${c.shortCode}`), class: "col-code" },
            { label: "Response", cell: (c) => h("div", { class: "clamp" }, c.content) },
            { label: "Updated", cell: (c) => dateTime(c.updatedAt), class: "col-date" },
            {
              label: "",
              class: "col-actions",
              cell: (c) =>
                rowActions(
                  iconButton("edit", `Edit /${c.shortCode}`, () => edit(c)),
                  iconButton("trash", `Delete /${c.shortCode}`, () => remove(c)),
                ),
            },
          ],
          items,
          (c) => ({ "data-id": c.id, "data-code": c.shortCode }),
        )
      : emptyState("zap", "No canned responses yet", "Add the answers your team types most often."),
  );
}
