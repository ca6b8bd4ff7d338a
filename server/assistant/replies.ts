import { fillIn } from "../../shared/fillIn.ts";
import { baseLanguage, inTraditional, type ReplyLanguage } from "./replyLanguage.ts";

/**
 * The assistant's own fixed sentences, in the customer's language (Chinese ones are written
 * here in simplified characters and converted for a customer who writes traditional ones:
 * replyLanguage.ts). Everything else it says comes from the knowledge base or the
 * core-banking system.
 */
const TEXT = {
  greeting: {
    en: "Hello! I'm Bayview's virtual assistant. I can answer questions about our accounts, cards, transfers, deposits and loans, and — once you're signed in — check your balance, recent transactions or freeze a card. How can I help?",
    zh: "您好！我是湾景银行智能助手，可以解答账户、银行卡、转账、存款和贷款等问题；登录后还可以帮您查询余额、近期交易或冻结银行卡。请问有什么可以帮您？",
  },
  thanks: {
    en: "You're welcome! Is there anything else I can help with?",
    zh: "不客气！还有其他可以帮您的吗？",
  },
  anotherTry: {
    en: "Sorry about that. This part of our guide may be what you need:",
    zh: "抱歉，刚才没答到点子上。这部分说明也许是您需要的：",
  },
  decline: {
    en: "I'm not sure about that, and I'd rather not guess. I can connect you with a colleague who can help.",
    zh: "这个问题我不太确定，不想给您不准确的答案。我可以为您转接人工客服。",
  },
  declineWithSuggestions: {
    en: "I'm not sure about that, and I'd rather not guess. Is your question about one of these? Reply with its number or tap it; if not, I can connect you with a colleague.\n{choices}",
    zh: "这个问题我不太确定，不想给您不准确的答案。请问您想了解的是下面哪一项？请回复序号或直接点选；如果都不是，我可以为您转接人工客服。\n{choices}",
  },
  handoffOnline: {
    en: "I'm passing you to a colleague now — they'll see our conversation so you won't need to repeat yourself. Someone usually joins within a few minutes.",
    zh: "正在为您转接人工客服，客服会看到我们之前的对话，您无需重复说明。通常几分钟内就会有人接入。",
  },
  handoffOffline: {
    en: "Our team isn't online right now{hours}. Leave your message and e-mail address here and we'll get back to you as soon as we're open.",
    zh: "人工客服目前不在线{hours}。请在这里留言并留下您的邮箱，我们上班后会尽快回复您。",
  },
  handoffBusy: {
    en: "I've asked a colleague to take over, but everyone is busy or away just now. Your conversation is in our queue and the next person free will pick it up here, or leave your message and e-mail address and we'll reply by e-mail.",
    zh: "已为您转接人工客服，但同事们暂时都在忙或不在座位。您的对话已进入排队，有人空闲时会在这里接待您；您也可以留下邮箱，我们会通过邮件回复。",
  },
  empathy: {
    en: "I'm sorry you're going through this.",
    zh: "非常抱歉给您带来困扰。",
  },
  hours: { en: " (we're available {hours})", zh: "（服务时间：{hours}）" },
  signIn: {
    en: "For your security I can only look at your accounts once you're signed in. Please sign in to online banking or the Bayview Mobile app and open this chat again.",
    zh: "为了您的账户安全，需要您登录后才能查询账户信息。请先登录网上银行或湾景手机银行，再打开本对话。",
  },
  /** After the guide's steps for a change the bot can also make (freeze, report lost...): what signing in adds. */
  signInToAct: {
    en: "If you sign in to online banking or the Bayview Mobile app and open this chat again, I can also do this for you here.",
    zh: "您也可以登录网上银行或湾景手机银行后再打开本对话，我可以直接在这里为您办理。",
  },
  coreBusy: {
    en: "Our systems are busy right now, so I can't reach your accounts. Here is what you can do: check your balance and cards in Bayview Mobile or online banking, and if a card is lost or stolen, freeze it there (Cards → Freeze) or call 400-820-5588, option 1, at any hour.",
    zh: "我们的系统暂时繁忙，目前无法查询您的账户。您可以：在湾景手机银行或网上银行查看余额和银行卡；如卡片丢失或被盗，请在手机银行（卡片 → 冻结）冻结，或随时拨打 400-820-5588 按 1。",
  },
  noCards: { en: "I couldn't find an active card on your profile.", zh: "您名下没有可操作的银行卡。" },
  confirmFreeze: {
    en: "Do you want me to freeze your card ending {last4}? Payments and withdrawals will be blocked until you unfreeze it.",
    zh: "确认要冻结尾号 {last4} 的银行卡吗？冻结后将无法消费和取现，直到您解冻。",
  },
  confirmUnfreeze: { en: "Do you want me to unfreeze your card ending {last4}?", zh: "确认要解冻尾号 {last4} 的银行卡吗？" },
  frozen: {
    en: "Done — your card ending {last4} is now frozen. You can unfreeze it any time here or in Bayview Mobile (Cards → Unfreeze). If it is lost for good, say “report it lost” and I'll cancel it and order a replacement.",
    zh: "已为您冻结尾号 {last4} 的银行卡。您可以随时在这里或湾景手机银行（卡片 → 解冻）解冻。如确认丢失，说“挂失补卡”即可注销原卡并补办新卡。",
  },
  unfrozen: { en: "Done — your card ending {last4} is active again.", zh: "已为您解冻尾号 {last4} 的银行卡，现在可以正常使用。" },
  cancelled: { en: "OK, I haven't changed anything.", zh: "好的，未做任何更改。" },
  /** The bank's own tools (customTools/): asking for an input, confirming a change, failing. */
  customWhich: {
    en: "Which of these would you like me to do? Reply with its number or tap it.\n{choices}",
    zh: "请问您想办理以下哪一项？请回复序号或直接点选。\n{choices}",
  },
  customAsk: { en: "To {action}, I need {what}. Please type it here.", zh: "为了{action}，请提供{what}。" },
  customAskAgain: {
    en: "That doesn't look like {what}. Please check it and type it again.",
    zh: "这似乎不是有效的{what}，请核对后重新输入。",
  },
  customConfirm: { en: "Shall I {action} for you?{details}", zh: "确认要为您{action}吗？{details}" },
  customToolFailed: {
    en: "I couldn't {action} just now: the service didn't answer as expected, and I won't guess.",
    zh: "暂时无法{action}：相关系统未能正常响应，为避免给您错误信息，我不会凭猜测回答。",
  },
  customToolChanged: {
    en: "That service was changed a moment ago, so I haven't done anything. Please ask again.",
    zh: "该服务刚刚有更新，未做任何操作，请重新提出您的需求。",
  },
  confirmReportLost: {
    en: "Report your card ending {last4} as {reason} and order a replacement? This is permanent: the card is cancelled at once and can't be used again, even if you find it. The new card has a new number; once it's ordered I'll tell you when to expect it.",
    zh: "确认将尾号 {last4} 的银行卡挂失并补办新卡吗？挂失是永久的：原卡立即注销，即使找回也不能再使用。新卡卡号不同，下单后我会告诉您预计送达日期。",
  },
  confirmReportLostOnly: {
    en: "Report your card ending {last4} as {reason}, without a replacement? This is permanent: the card is cancelled at once and can't be used again, even if you find it.",
    zh: "确认将尾号 {last4} 的银行卡挂失（不补办新卡）吗？挂失是永久的：原卡立即注销，即使找回也不能再使用。",
  },
  reportedLost: {
    en: "Done — your card ending {last4} is cancelled and can't be used any more. Your replacement card ending {newLast4} is ordered{delivery}.",
    zh: "已为您挂失尾号 {last4} 的银行卡，原卡已注销。新卡（尾号 {newLast4}）已下单{delivery}。",
  },
  deliveryBy: { en: " and should arrive by {date}", zh: "，预计 {date} 前送达" },
  reportedLostOnly: {
    en: "Done — your card ending {last4} is cancelled and can't be used any more. No replacement was ordered.",
    zh: "已为您挂失尾号 {last4} 的银行卡，原卡已注销，未补办新卡。",
  },
  noInstalmentPlan: { en: "You have no instalment savings (零存整取) with us.", zh: "您目前没有零存整取存款。" },
  noMissedInstalment: {
    en: "Your instalment savings are up to date: there is no missed month to make up.",
    zh: "您的零存整取没有漏存，无需补存。",
  },
  whichPlan: { en: "Which instalment savings plan?", zh: "请选择要补存的零存整取：" },
  noPayingAccount: {
    en: "I couldn't find an everyday account to pay the instalment from. You can make it up at any branch.",
    zh: "没有找到可用于扣款的活期账户。您可以到任一网点办理补存。",
  },
  notEnoughToMakeUp: {
    en: "Your {account} has {balance}, less than the {amount} instalment. Top it up and ask me again, or make it up at a branch.",
    zh: "您的{account}余额为 {balance}，不足补存的 {amount}。请先存入资金后再找我，或到网点办理。",
  },
  confirmMakeUp: {
    en: "Your instalment savings of {monthly} a month (maturing {maturity}) have {missed} missed month(s). Pay one missed instalment of {amount} from your {account} now? Two missed months breach the plan, so it is worth making it up this month.",
    zh: "您的零存整取（每月 {monthly}，{maturity} 到期）漏存 {missed} 期。确认现在从{account}扣款 {amount} 补存一期吗？累计漏存两期视为违约，建议本月内补存。",
  },
  madeUp: {
    en: "Done — {amount} paid from your {account}. Your plan now has {paid} months paid and {missed} missed; it matures {maturity}.",
    zh: "已从{account}扣款 {amount} 完成补存。您的零存整取已存 {paid} 期，漏存 {missed} 期，{maturity} 到期。",
  },
  changeRefused: {
    en: "I couldn't do that: the bank's system did not accept it, and nothing was changed. A colleague can look into it with you.",
    zh: "未能办理：银行系统没有受理，未做任何更改。可以为您转人工处理。",
  },
  explainAskAmount: {
    en: "Which transaction do you mean? Tell me its amount, for example “what is the ¥38 charge?”",
    zh: "请告诉我是哪一笔交易的金额，例如“这笔38元是什么”。",
  },
  explainFound: { en: "Here is what I found in the last 60 days:", zh: "近 60 天内找到以下交易：" },
  explainMore: {
    en: "…and {n} more of the same amount. Tell me a word from the description to narrow it down.",
    zh: "……另有 {n} 笔同样金额的交易，告诉我商户名称中的词可以缩小范围。",
  },
  explainNone: {
    en: "I couldn't find a transaction of {amount} in the last 60 days. If it's a payment you don't recognise: freeze your card (Bayview Mobile, Cards → Freeze), then tell us in the app (Transactions → tap the payment → Report a problem) or call 400-820-5588, option 1, at any hour. I can also pass you to a colleague.",
    zh: "近 60 天内没有找到金额为 {amount} 的交易。如果是您不认识的扣款：请先冻结卡片（湾景手机银行，卡片 → 冻结），再在手机银行中申报（交易 → 点选该笔交易 → 报告问题），或随时拨打 400-820-5588 按 1。也可以为您转人工。",
  },
  disputeAskAmount: {
    en: "Which payment do you want to dispute? Tell me its amount, for example “dispute the ¥3,280 payment”.",
    zh: "请告诉我要申诉的交易金额，例如“申诉这笔3280元的消费”。",
  },
  disputeNone: {
    en: "I couldn't find a payment of {amount} in the last 60 days, so I haven't opened a dispute. Please check the amount, or talk to a colleague who can look further back.",
    zh: "近 60 天内没有找到金额为 {amount} 的支出，因此未提交申诉。请核对金额，或转人工为您查询更早的交易。",
  },
  disputeWhich: {
    en: "I found several payments of {amount}. Which one do you want to dispute?",
    zh: "找到多笔金额为 {amount} 的支出，请选择要申诉的一笔：",
  },
  confirmDispute: {
    en: "Open a dispute for {amount} at {merchant} on {date}? Reply yes or no.",
    zh: "确认对 {date} 在 {merchant} 的 {amount} 消费提出申诉吗？请回复“确认”或“取消”。",
  },
  disputeOpened: {
    en: "I've opened a dispute for {amount} at {merchant} on {date} under reference {reference}. We'll be in touch by {ack}, and you will have our final response by {by} at the latest. Please quote {reference} whenever you contact us about it.",
    zh: "已为您就 {date} 在 {merchant} 的 {amount} 消费提出申诉，编号 {reference}。我们将于 {ack} 前与您联系，最迟于 {by} 前给您最终答复。今后联系我们时请提供编号 {reference}。",
  },
  disputeOpenedNoAck: {
    en: "I've opened a dispute for {amount} at {merchant} on {date} under reference {reference}. You will have our final response by {by} at the latest. Please quote {reference} whenever you contact us about it.",
    zh: "已为您就 {date} 在 {merchant} 的 {amount} 消费提出申诉，编号 {reference}。最迟于 {by} 前给您最终答复。今后联系我们时请提供编号 {reference}。",
  },
  disputeFreezeTip: {
    en: "If you didn't make this payment, your card may be in someone else's hands: I recommend freezing it now. You can unfreeze it at any time.",
    zh: "如果这笔消费不是您本人所为，卡片信息可能已泄露，建议您立即冻结该卡，之后可随时解冻。",
  },
  disputeOffer: {
    en: "If there's a payment you don't recognise, I can open a dispute for it or freeze your card first.",
    zh: "如有不认识的扣款，我可以为您提出申诉，或先冻结银行卡。",
  },
  disputeHere: {
    en: "I can open a dispute only in a chat with us on our website or app. You can also report the payment in Bayview Mobile (Transactions → tap the payment → Report a problem) or call 400-820-5588, option 1, at any hour.",
    zh: "只能在官网或手机银行的在线客服对话中为您提出申诉。您也可以在湾景手机银行中申报（交易 → 点选该笔交易 → 报告问题），或随时拨打 400-820-5588 按 1。",
  },
  disputeOfferDispute: { en: "Dispute a payment", zh: "申诉交易" },
  disputeOfferDisputeText: { en: "I want to dispute a payment", zh: "我要申诉一笔交易" },
  disputeOfferFreeze: { en: "Freeze my card", zh: "冻结银行卡" },
  disputeOfferFreezeText: { en: "freeze my card", zh: "冻结我的银行卡" },
  signInToDispute: {
    en: "If you sign in to online banking or the Bayview Mobile app and open this chat again, I can open a dispute for the payment here.",
    zh: "您也可以登录网上银行或湾景手机银行后再打开本对话，我可以直接在这里为您提出申诉。",
  },
  stepUpAsk: {
    en: "For your security I need to check it's you before I {action}: I'll send a one-time code to the phone or e-mail address we have on file.",
    zh: "为了您的账户安全，{action}前需要验证是您本人：我们会向您在本行登记的手机或邮箱发送一次性验证码。",
  },
  stepUpSent: {
    en: "For your security I need to check it's you before I {action}. I've sent a 6-digit code to {destination}: enter it in the box below. It expires in 5 minutes. Never share it with anyone, including bank staff.",
    zh: "为了您的账户安全，{action}前需要验证是您本人。6 位验证码已发送至 {destination}，请在下方输入框中输入，5 分钟内有效。请勿将验证码告诉任何人，包括银行工作人员。",
  },
  stepUpNotSent: {
    en: "For your security this needs a one-time code, but I couldn't send one just now, so I haven't done anything. You can do it in Bayview Mobile or online banking, call 400-820-5588 (option 1, at any hour), or talk to a colleague here.",
    zh: "为了您的账户安全，此操作需要一次性验证码，但目前无法发送，因此未做任何操作。您可以在湾景手机银行或网上银行办理，拨打 400-820-5588 按 1（24 小时），或在这里转人工。",
  },
  stepUpNoDestination: {
    en: "For your security this needs a one-time code, but we have no phone number or e-mail address on file to send it to, so I haven't done anything. Please update your details at a branch or in Bayview Mobile, call 400-820-5588 (option 1), or talk to a colleague here.",
    zh: "为了您的账户安全，此操作需要一次性验证码，但您在本行没有可接收验证码的手机号或邮箱，因此未做任何操作。请到网点或在湾景手机银行更新联系方式，拨打 400-820-5588 按 1，或在这里转人工。",
  },
  stepUpTooMany: {
    en: "Several codes were sent in this chat in the last hour, so I can't send another now and I haven't done anything. Please try again later, use Bayview Mobile, or talk to a colleague here.",
    zh: "本次对话在一小时内已发送多条验证码，暂时不能再发送，因此未做任何操作。请稍后再试、使用湾景手机银行，或在这里转人工。",
  },
  stepUpUseBox: {
    en: "Please type the code in the code box under my message, not in the chat: that keeps it out of the conversation.",
    zh: "请在我消息下方的验证码输入框中输入验证码，不要发在聊天中，以免验证码留在对话记录里。",
  },
  stepUpDone: { en: "Thank you, that's confirmed.", zh: "验证成功，谢谢。" },
  balances: { en: "Here are your balances:", zh: "您的账户余额如下：" },
  transactions: { en: "Your most recent transactions:", zh: "您最近的交易：" },
  deposits: { en: "Your deposits:", zh: "您的存款：" },
  noDeposits: { en: "You have no time deposits or instalment savings with us.", zh: "您目前没有定期或零存整取存款。" },
  talkToPerson: { en: "Talk to a person", zh: "转人工" },
  yes: { en: "Yes, go ahead", zh: "确认" },
  no: { en: "No, cancel", zh: "取消" },
} as const;

export type ReplyKey = keyof typeof TEXT;

/** The sentence in `lang`, its placeholders filled in (the values as given: they are not the assistant's words). */
export function say(key: ReplyKey, lang: ReplyLanguage, vars: Record<string, string> = {}): string {
  const text = TEXT[key][baseLanguage(lang)];
  return fillIn(lang === "zh-Hant" ? inTraditional(text) : text, vars);
}

/** An amount in yuan as both languages' replies write it: ¥1,234.50. */
export function money(amount: number): string {
  const s = Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? "-" : ""}¥${s}`;
}
