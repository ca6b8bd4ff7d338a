type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;
type Child = Node | string | null | undefined | false;

/** Creates an element: `h("button", { class: "x", onclick: fn, "aria-label": "…" }, child…)`. Text is always text, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** An icon from our own constant SVG strings (never from message content). */
export function icon(svg: string, cls?: string): HTMLElement {
  const span = document.createElement("span");
  span.setAttribute("aria-hidden", "true");
  span.style.display = "contents";
  if (cls) span.className = cls;
  span.innerHTML = svg;
  return span;
}

/** Typing in a field clears its error until the next submit. */
export function clearError(e: Event): void {
  const input = e.target as HTMLInputElement;
  input.setAttribute("aria-invalid", "false");
  const err = input.parentElement && input.parentElement.querySelector<HTMLElement>(".bd-field-err");
  if (err) err.hidden = true;
}
