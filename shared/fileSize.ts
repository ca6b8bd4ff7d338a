/** A file's size as both browser apps show it beside its name: "340 KB", "2.5 MB" (never "0 KB"). */
export function fileSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
