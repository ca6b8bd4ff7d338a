/**
 * What kind of answer a question wants, and what kind of information a piece of
 * text carries. "How long does it take" wants a duration, "how much" an amount or a
 * rate, "what's the number" a phone number, "how do I" steps: a passage (or a
 * sentence) that carries that kind of information is the likelier answer, and one
 * that does not is likely about the topic without answering it. General question
 * words of English and Chinese only, nothing about any bank's articles.
 */
import { foldHan } from "../../knowledge/hanFold.ts";

export type AnswerKind = "duration" | "amount" | "clock" | "contact" | "steps" | "condition" | "place";

const ASKS: Record<AnswerKind, RegExp[]> = {
  duration: [
    /\bhow (long|fast|quick(ly)?|soon|far back)\b|\bhow many (working |business )?(days|hours|weeks|minutes|months|years)\b|\bwhen (will|would|do|does|can|should) (i|we|it|they|you|my|the)\b.{0,30}\b(see|get|have|hear|receive|arrive|come|be)\b/i,
    /\bwhen (will|would|does|do|did|can|should|is|are)\b.{0,40}\b(arrive|get|come|reach|back|receive|clear|credit|refund|land|show|there|ready|delivered|done|processed|go through|hear|decided?|decision|paid|in my)/i,
    /\b(take|takes|taking)\b.{0,15}\b(days?|long|weeks?)\b|\bturnaround\b|\bwait(ing)?\b.{0,20}\b(days?|long)\b|\bby when\b/i,
    /多久|多长时间|多少天|几天|几个工作日|多快|什么时候.{0,6}(到|能到|到账|退|回|下来|批|审|拿到|收到|好)|要等|等多久|时效/,
  ],
  amount: [
    /\bhow much\b|\bfees?\b|\bcharges?\b|\bcharged\b|\bcosts?\b|\bprice\b|\brates?\b|\binterest\b|\blimits?\b|\bminimum\b|\bmaximum\b|\bmax\b|\bmin\b|\bpercent(age)?\b|\bworth\b|\bhow many points\b|\bpay for\b|\bfree\b|\bcheapest\b|\bexpensive\b|\bmost\b.{0,20}\b(send|take|withdraw|borrow|keep|transfer|spend|move)\b|\bup to\b|\bcap\b/i,
    /多少钱|多少|费用|手续费|收费|收钱|要钱|扣钱|年费|利率|利息|额度|限额|上限|下限|最低|最高|最多|最少|起存|起点|贵不贵|免费|划算|费率|几个点|折算|抵扣/,
  ],
  clock: [
    /\bwhat time\b|\bopening hours\b|\bhours\b|\bopen\b|\bclose[sd]?\b|\bcut-?off\b|\bdeadline\b|\bweekends?\b|\bsaturday\b|\bsunday\b|\bholidays?\b/i,
    /几点|营业|上班|下班|开门|关门|截止|周末|节假日|休息日|星期[六天日]|周[六日天]|礼拜/,
  ],
  contact: [
    /\b(call|phone|ring|number|hotline|contact|e-?mail|address|reach|write to|post)\b/i,
    /电话|热线|号码|联系|地址|邮箱|打给|打哪个|拨打|客服电话/,
  ],
  steps: [
    /\bhow (do|can|should|would|could) (i|we|you)\b|\bhow to\b|\bwhat (do|should|can) i do\b|\bwhat now\b|\bwhat next\b|\bsteps?\b|\bprocess\b|\bwhat happens\b/i,
    /怎么办|怎么|如何|咋|怎样|步骤|流程|手续|咋整|咋弄|怎么弄|怎么搞|该干嘛|然后呢/,
  ],
  condition: [
    /^\s*(can|could|may|am i|is it|is there|do i (need|have)|does it|are|will i|would i)\b|\beligib|\bqualif|\ballowed\b|\brequire|\bneed to\b|\bdo i need\b|\bwhat (do i|documents?|papers?)\b.{0,20}\b(need|bring)\b|\bonly\b/i,
    /能不能|可以吗|可不可以|能否|行不行|需要|要不要|是否|条件|资格|要求|吗[？?]?\s*$|带什么|带啥|什么材料|啥材料/,
  ],
  place: [/\bwhere\b|\bwhich branch(es)?\b|\bnearest\b|\blocation\b/i, /哪里|哪儿|在哪|哪个网点|哪家|哪些网点|附近/],
};

const CARRIES: Record<AnswerKind, RegExp> = {
  duration:
    /\b\d+(\.\d+)?\s*(?:[-–—]|to)?\s*\d*\s*(working |business |calendar |banking )?(days?|hours?|minutes?|mins|weeks?|months?|years?)\b|\bwithin (a|an|one|two|the same|\d)|\b(same day|next (working |business )?day|instantly|immediately|in seconds|real time|real-time|straight away|right away)\b|\d+\s*(个)?(工作日|自然日|天|小时|分钟|周|个月|年)|当天|当日|实时|即时|立即|秒|次日|隔天/i,
  amount:
    /[¥$€£]|\b(rmb|cny|usd|hkd)\b|\d+(\.\d+)?\s*%|\b(free|no fee|no charge|waived?|points?)\b|\d+(\.\d+)?\s*(元|万元|万|分)|免费|免收|不收|减免|年费|费率|积分/i,
  clock:
    /\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(am|pm)\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|public holidays?|24\/7|24 hours|around the clock)\b|\d{1,2}[:：]\d{2}|\d{1,2}点|周[一二三四五六日天]|星期|工作日|节假日|24小时|7×24|全天/i,
  contact: /\b\d{3,4}[- ]\d{3,4}[- ]\d{3,4}\b|\b95\d{3}\b|\+\d{2}|@[a-z0-9-]+\.|\bhotline\b|\bcall\b|热线|致电|拨打|电话/i,
  steps:
    /^\s*(\d+[.)、]|[-*+]\s)|\b(tap|go to|open|choose|select|enter|sign in|log in|call|contact us|bring|visit|fill in|upload)\b|点击|进入|选择|输入|登录|携带|前往|拨打|填写|联系我们|致电|请(立即|尽快|先|及时|马上)/im,
  condition:
    /\b(must|need(s|ed)? to|only|if|unless|at least|required?|eligible|as long as|provided|cannot|can't|not allowed|aged?|over|under)\b|须|需要|需|只|如果|若|不能|不可|可以|才|满|年满|以上|以下|条件/i,
  place: /\b(branch|road|street|district|floor|building|address)\b|路|街|区|号|楼|网点|支行|分行/i,
};

/** The kinds of answer the question asks for (often none or one; "how much and how long" two). */
export function askedKinds(question: string): Set<AnswerKind> {
  const out = new Set<AnswerKind>();
  for (const [kind, patterns] of Object.entries(ASKS) as Array<[AnswerKind, RegExp[]]>) {
    if (patterns.some((p) => p.test(question))) out.add(kind);
  }
  // "How long" is asked as a duration, not as steps; "how much" not as steps either.
  if (out.has("duration") || out.has("amount")) out.delete("steps");
  return out;
}

/** The kinds of information a piece of text carries. */
export function carriedKinds(text: string): Set<AnswerKind> {
  const out = new Set<AnswerKind>();
  for (const [kind, pattern] of Object.entries(CARRIES) as Array<[AnswerKind, RegExp]>) if (pattern.test(text)) out.add(kind);
  return out;
}

/** Share of the asked kinds the text carries (0 when nothing in particular is asked). */
export function kindMatch(asked: Set<AnswerKind>, text: string): number {
  return asked.size ? carriedShare(asked, carriedKinds(text)) : 0;
}

/** kindMatch of a text whose carried kinds are known (a passage's, kept with it: rankPassages.ts). */
export function carriedShare(asked: Set<AnswerKind>, carried: Set<AnswerKind>): number {
  if (!asked.size) return 0;
  let n = 0;
  for (const k of asked) if (carried.has(k)) n++;
  return n / asked.size;
}

/**
 * The facts a reply must show when the question asks for one, by stricter patterns
 * than ASKS (which rank passages and may be loose): "phone" in "use the app on my new
 * phone" or "open" in "open an account" ask for no number or time.
 */
const ASKS_FACT: Partial<Record<AnswerKind, RegExp[]>> = {
  duration: ASKS.duration,
  amount: ASKS.amount,
  clock: [
    /\bwhat time\b|\b(opening|business|office|branch|service|counter) hours\b|\bcut-?off\b|\bwhen (do|does|are|is)\b.{0,25}\b(open|close)\b|\bopen (on|at|during|until|till|late|today|tomorrow)\b/i,
    /几点|营业时间|开门|关门|截止时间/,
  ],
  contact: [
    /\bhotline\b|\b(phone|contact|telephone|tel|customer service) (number|no)\b|\bnumber (to|i can|should i|do i) call\b|\b(what|which) number\b|\b(call|ring|phone) you\b|\be-?mail address\b/i,
    /电话|热线|联系方式|邮箱|打哪个/,
  ],
  // An address is a place ("100 Harbour Road", "港湾路100号"), not a number to call: asked
  // as contact, a branch's address was declined for carrying no phone number.
  place: [/\b(postal |street |branch )?address\b/i, /地址/],
};

/**
 * Whether a reply shows the kind of fact the question asks for, when it asks for one
 * ("how much": an amount, "how long": a duration, "what number": one to call). A reply
 * about the topic without it ("combination loans are also available; ask at a
 * branch" to "what rate do you charge on a combination loan?") does not answer it,
 * however well its words match. Traditional characters are read as simplified ("15個工作日").
 */
export function showsFactAsked(question: string, reply: string): boolean {
  const q = foldHan(question);
  const asked = (Object.entries(ASKS_FACT) as Array<[AnswerKind, RegExp[]]>).filter(([, ps]) => ps.some((p) => p.test(q)));
  if (!asked.length) return true;
  const carried = carriedKinds(foldHan(reply));
  return asked.some(([k]) => carried.has(k));
}
