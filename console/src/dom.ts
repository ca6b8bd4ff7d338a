/**
 * A tiny DOM builder. Text always goes in as text nodes, never as markup: the
 * console never assigns innerHTML from data (Markdown goes through DOMPurify in
 * markdown.ts and comes back as nodes).
 */
export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, unknown>;

/** Properties assigned after children (a <select>'s value needs its options first). */
const LATE_PROPS = new Set(["value", "checked", "selected", "selectedIndex"]);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  const late: Array<[string, unknown]> = [];
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = String(v);
      else if (k === "dataset") Object.assign(el.dataset, v as Record<string, string>);
      else if (k === "style" && typeof v === "object") {
        for (const [prop, val] of Object.entries(v as Record<string, string>)) {
          if (prop.startsWith("--")) el.style.setProperty(prop, val);
          else (el.style as unknown as Record<string, string>)[prop] = val;
        }
      } else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      else if (LATE_PROPS.has(k)) late.push([k, v]);
      else if (k === "disabled" || k === "hidden" || k === "autofocus" || k === "required" || k === "multiple")
        (el as unknown as Record<string, unknown>)[k] = Boolean(v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  for (const [k, v] of late) (el as unknown as Record<string, unknown>)[k] = v;
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function qs<T extends Element = HTMLElement>(root: ParentNode, selector: string): T | null {
  return root.querySelector<T>(selector as never) as T | null;
}

/** An SVG element from trusted, static shape data (see icons.ts). */
export function svg(tag: string, attrs: Record<string, string | number>, children: SVGElement[] = []): SVGElement {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(c);
  return el;
}
