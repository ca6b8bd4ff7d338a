/**
 * A reply or letter template with its `{name}` placeholders filled in. A placeholder
 * without a value reads as nothing: a customer should never see "{date}".
 */
export function fillIn(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}
