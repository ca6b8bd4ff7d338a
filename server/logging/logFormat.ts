/**
 * `LOG_FORMAT`: `auto` gives readable lines when the logs go to a terminal and JSON
 * lines otherwise (files, pipes, log collectors); `pretty` and `json` force one.
 */
export type LogFormatSetting = "auto" | "pretty" | "json";

export function resolveLogFormat(setting: LogFormatSetting, destination: { isTTY?: boolean }): "pretty" | "json" {
  if (setting !== "auto") return setting;
  return destination.isTTY ? "pretty" : "json";
}
