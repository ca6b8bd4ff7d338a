import type { ChannelAdapter, ChannelKind } from "./ChannelAdapter.ts";
import { emailAdapter } from "./email.ts";
import { twilioAdapter } from "./twilio.ts";
import { whatsappAdapter } from "./whatsapp.ts";
import { wechatAdapter } from "./wechat.ts";
import { apiAdapter } from "./api.ts";

/** Every channel but the website widget (which has its own socket service). */
export const channelAdapters: Record<ChannelKind, ChannelAdapter<unknown>> = {
  email: emailAdapter as ChannelAdapter<unknown>,
  sms: twilioAdapter as ChannelAdapter<unknown>,
  whatsapp: whatsappAdapter as ChannelAdapter<unknown>,
  wechat: wechatAdapter as ChannelAdapter<unknown>,
  api: apiAdapter as ChannelAdapter<unknown>,
};

export function adapterFor(channel: string): ChannelAdapter<unknown> | undefined {
  return Object.hasOwn(channelAdapters, channel) ? channelAdapters[channel as ChannelKind] : undefined;
}
