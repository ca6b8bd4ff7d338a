import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, rowActions, table } from "./kit.ts";
import type { AdminLabel } from "./types.ts";

const SWATCHES = ["#1f4fd8", "#12805c", "#b54708", "#d92d20", "#7a5af8", "#0e9384", "#c11574", "#667085"];

export function labelChip(l: Pick<AdminLabel, "name" | "colour">): HTMLElement {
  return h("span", { class: "label-chip", style: { "--c": l.colour } }, h("span", { class: "label-dot", "aria-hidden": "true" }), l.name);
}

export async function labelsSection(s: SectionContext): Promise<void> {
  const { items } = await api.get<{ items: AdminLabel[] }>("/admin/labels");
  if (!s.alive()) return;

  const edit = (l: AdminLabel | null) => {
    const name = input({ name: "name", value: l?.name ?? "", maxlength: 50, placeholder: "card-fraud" });
    const colour = h("input", {
      type: "color",
      name: "colour",
      class: "colour-input",
      value: l?.colour ?? SWATCHES[items.length % SWATCHES.length],
    });
    const description = input({ name: "description", value: l?.description ?? "", maxlength: 200 });
    const swatches = h(
      "div",
      { class: "swatches" },
      colour,
      SWATCHES.map((c) =>
        h("button", {
          type: "button",
          class: "swatch",
          style: { "--c": c },
          title: c,
          "aria-label": `Colour ${c}`,
          onclick: () => (colour.value = c),
        }),
      ),
    );
    formModal({
      title: l ? `Edit “${l.name}”` : "New label",
      body: h(
        "div",
        { class: "af-grid af-grid-1" },
        field("Name", name, {
          name: "name",
          hint: l?.conversations
            ? `Renaming also renames it on ${l.conversations} conversation${l.conversations === 1 ? "" : "s"}.`
            : "Stored in lower case, spaces as dashes.",
        }),
        field("Colour", swatches, { name: "colour" }),
        field("Description", description, { name: "description", hint: "When agents should use it." }),
      ),
      submit: l ? "Save changes" : "Add label",
      run: async () => {
        const body = { name: name.value, colour: colour.value, description: description.value };
        if (l) await api.patch(`/admin/labels/${l.id}`, body);
        else await api.post("/admin/labels", body);
        toast(l ? "Label updated" : "Label added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const remove = (l: AdminLabel) =>
    confirmAction({
      title: `Delete “${l.name}”?`,
      text: l.conversations
        ? `It is removed from the ${l.conversations} conversation${l.conversations === 1 ? "" : "s"} that carry it.`
        : "No conversation carries it.",
      confirm: "Delete label",
      danger: true,
      run: async () => {
        await api.del(`/admin/labels/${l.id}`);
        toast(`“${l.name}” deleted`, { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  replace(
    s.body,
    pageHeader(
      "Labels",
      "The labels agents tag conversations with; reports and filters use them.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-label", onclick: () => edit(null) }, "New label"),
    ),
    items.length
      ? table(
          [
            { label: "Label", cell: labelChip },
            { label: "Description", cell: (l) => l.description || h("span", { class: "muted" }, "—") },
            { label: "Conversations", cell: (l) => (l.conversations ?? 0).toLocaleString(), class: "col-num" },
            {
              label: "",
              class: "col-actions",
              cell: (l) =>
                rowActions(
                  iconButton("edit", `Edit ${l.name}`, () => edit(l)),
                  iconButton("trash", `Delete ${l.name}`, () => remove(l)),
                ),
            },
          ],
          items,
          (l) => ({ "data-id": l.id }),
        )
      : emptyState("tag", "No labels yet", "Add labels such as “fraud” or “complaint” so agents tag conversations consistently."),
  );
}
