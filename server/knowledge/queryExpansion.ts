/**
 * Query expansion with a general retail-banking lexicon: customers say "nicked",
 * "pinched" or 被偷 where articles say "stolen" or 被盗, "sign up" where they say
 * "open an account", 打钱 for 转账. Each line below is one concept: English and
 * Chinese words and phrases that a customer may use for it. A question that
 * contains one of them gains the tokens of the others in the same language, at a
 * lower weight than its own words. (Adding the other language's words too, so that
 * a Chinese question could reach an English-only article, was measured and did not
 * help: the Chinese articles still match better.)
 *
 * The lexicon is about banking in general, not about any one bank's articles: keep
 * it that way, since the same search serves every bank's knowledge base. Terms are
 * written in plain form; they are tokenised like the articles (stemmed English,
 * simplified Chinese), so "stolen" also covers "steal" and 帳戶 covers 账户.
 */
import { normalize, tokenize } from "./text.ts";

const LEXICON = `
lost | lose | missing | misplaced | stolen | theft | thief | pickpocketed | pickpocket | robbed | mugged | nicked | pinched | report lost | 丢 | 丢失 | 遗失 | 弄丢 | 被偷 | 被盗 | 失窃 | 被窃 | 被抢 | 不见 | 找不到 | 挂失
wallet | purse | handbag | 钱包 | 皮夹
freeze | frozen | block | blocked | suspend | deactivate | disable | temporarily lock | 冻结 | 锁卡 | 停用 | 止付 | 暂停使用
unfreeze | unblock | unlock | reactivate | turn back on | switch back on | found my card | 解冻 | 解除冻结 | 解锁 | 恢复使用 | 重新启用 | 找到了
replacement | replace | new card | reissue | 补卡 | 补办 | 换卡 | 新卡 | 补发
activate | activation | get it working | start using | 激活 | 开卡 | 启用
expire | expiry | expiration | expiry date | valid until | 到期 | 过期 | 有效期
pin | pin code | 取款密码 | 交易密码 | 卡密码 | 密码
password | passcode | login password | 登录密码 | 密码
forgot | can't remember | don't remember | 忘记 | 忘了 | 想不起来
reset | set a new | new pin | new password | 重置 | 重设 | 找回 | 修改密码
locked out | too many attempts | wrong pin | wrong password | incorrect | 锁定 | 被锁 | 输错 | 错误次数
login | log in | logon | sign in | 登录 | 登陆 | 登不上 | 进不去
app | banking app | mobile banking | online banking | internet banking | 手机银行 | 网银 | 网上银行 | 客户端
new phone | new device | changed phone | switched phone | phone upgrade | 换手机 | 新手机 | 新设备 | 换设备
phone number | mobile number | registered number | sim | sim card | carrier | 手机号 | 手机号码 | 预留手机号 | 换号 | 号码
otp | verification code | security code | one-time code | sms code | text code | 验证码 | 动态码 | 短信验证码 | 校验码
sms | text message | texts | notification | alert | 短信 | 通知 | 提醒 | 简讯
transfer | send money | wire | remit | move money | 转账 | 汇款 | 打钱 | 转钱 | 汇钱 | 打款 | 转给
international | abroad | overseas | foreign | cross-border | swift | 境外 | 国外 | 海外 | 跨境 | 国际
remittance | international transfer | send money abroad | wire transfer | 境外汇款 | 跨境汇款 | 国际汇款 | 电汇
arrive | arrival | how long | reach | credited | show up | go through | received | 到账 | 多久 | 收到 | 入账
failed | returned | bounced | reversed | didn't arrive | not received | 失败 | 退回 | 没收到 | 未到账 | 被退
wrong account | wrong person | by mistake | mistake | wrong recipient | recall | 转错 | 汇错 | 错转 | 追回
limit | cap | maximum | max | ceiling | quota | 限额 | 额度 | 上限 | 最多
increase | raise | bump up | higher | lift | 提高 | 调高 | 提升 | 提额 | 上调
fee | charge | cost | price | commission | 手续费 | 费用 | 收费 | 扣费 | 费
annual fee | yearly fee | membership fee | 年费
waive | waiver | avoid | free | no charge | exempt | 免 | 免费 | 减免 | 免收 | 不收
interest | rate | apr | apy | yield | 利率 | 利息 | 年化 | 收益 | 收益率
time deposit | fixed deposit | fixed term | term deposit | certificate of deposit | cd | lock money | 定期 | 定期存款 | 存单 | 整存整取
early withdrawal | withdraw early | take out early | before maturity | 提前支取 | 提前取 | 提前取出
maturity | mature | term ends | rollover | roll over | renew | auto-renew | 到期 | 转存 | 自动转存 | 续存
savings | save | saving | 储蓄 | 存钱 | 攒钱 | 存款
instalment savings | recurring deposit | monthly deposit | save monthly | save every month | 零存整取 | 每月存 | 按月存
deposit insurance | deposit protection | bankrupt | bankruptcy | bust | go under | collapse | insolvent | insolvency | bank failure | 存款保险 | 倒闭 | 破产 | 存款保障
open account | open an account | sign up | set up an account | new account | register | 开户 | 开立 | 办卡 | 新开
close account | close | closing | shut | shut down | terminate | get rid of | 销户 | 注销 | 关闭 | 销卡 | 注销账户
dormant | inactive | unused | not used | 睡眠 | 久悬 | 不动户 | 长期不动 | 休眠 | 好久没用
documents | document | identity card | passport | papers | identification | proof of address | residence permit | 证件 | 身份证 | 护照 | 材料 | 资料 | 居留证 | 居留许可
foreigner | foreign national | expat | non-resident | 外国人 | 外籍 | 老外 | 境外人士
home return permit | mainland travel permit | travel permit | hong kong | macau | macao | taiwan | 港澳台 | 香港 | 澳门 | 台湾 | 台胞证 | 回乡证 | 通行证
child | kid | son | daughter | minor | under 18 | teenager | teen | year old | 孩子 | 小孩 | 未成年 | 儿子 | 女儿 | 子女
elderly | parents | senior | old people | grandparent | 老人 | 父母 | 爸妈 | 老年人 | 长辈
branch | in person | counter | teller | 网点 | 柜台 | 营业厅 | 支行 | 分行 | 临柜 | 柜面
hours | opening hours | business hours | open until | 营业时间 | 几点 | 开门 | 关门
weekend | saturday | sunday | 周末 | 周六 | 周日 | 星期六 | 星期天 | 星期日 | 礼拜六 | 礼拜天
holiday | public holiday | bank holiday | national day | chinese new year | spring festival | 节假日 | 假期 | 放假 | 国庆 | 春节 | 法定节假日
contact | call | hotline | customer service | helpline | talk to someone | speak to someone | phone number | 客服 | 电话 | 热线 | 联系 | 人工
complaint | complain | unhappy | dissatisfied | not happy | poor service | feedback | 投诉 | 申诉 | 不满 | 不满意 | 反映 | 意见
escalate | escalation | ombudsman | regulator | appeal | not accept | 升级 | 上诉 | 监管 | 不接受
scam | fraud | phishing | fake | suspicious | pretending | impersonate | scammer | 诈骗 | 骗子 | 钓鱼 | 冒充 | 假冒 | 可疑 | 欺诈 | 被骗 | 自称
unauthorised | unauthorized | don't recognise | don't recognize | dispute | chargeback | 盗刷 | 不明交易 | 未授权 | 陌生交易 | 争议
declined | decline | rejected | refused | won't go through | didn't go through | not working | 被拒 | 拒绝 | 刷不了 | 付不了 | 支付失败 | 不成功
online | online shopping | online payment | shop online | website | e-commerce | 网购 | 网上 | 线上 | 海淘 | 网上支付 | 在线
contactless | tap | tap to pay | nfc | without pin | quickpass | 闪付 | 免密 | 小额免密 | 挥卡
atm | cash machine | withdraw | withdrawal | cash | take out money | get cash | 取款 | 取现 | 取钱 | 提款 | 现金 | 自动取款机
balance | how much money | funds | 余额 | 查余额
statement | bank statement | transaction history | history | records | 账单 | 对账单 | 流水 | 明细 | 交易记录
repay | repayment | pay back | pay off | pay the bill | bill | due date | payment due | 还款 | 还钱 | 还清 | 账单日 | 还款日
minimum payment | minimum repayment | pay part | partial payment | minimum | 最低还款 | 部分还款 | 最低
instalment | installment | monthly payments | split | spread the cost | emi | 分期 | 分期付款 | 分期还款
late | overdue | missed | miss a payment | arrears | behind on | default | 逾期 | 晚还 | 迟还 | 没还 | 拖欠 | 欠款
credit report | credit score | credit history | credit record | credit bureau | 征信 | 信用记录 | 信用报告 | 个人征信 | 黑名单
early repayment | prepay | prepayment | pay off early | repay early | settle early | pay in full | 提前还款 | 提前还 | 一次还清 | 提前结清
personal loan | consumer loan | cash loan | unsecured loan | borrow | borrow money | 个人贷款 | 消费贷 | 信用贷 | 借钱 | 无抵押
loan | lending | borrowing | 贷款 | 借款
mortgage | home loan | housing loan | property loan | buy a house | buy a flat | buy a home | 房贷 | 住房贷款 | 按揭 | 买房
car loan | auto loan | vehicle loan | car finance | buy a car | 车贷 | 汽车贷款 | 买车
down payment | 首付 | 首付款
points | reward points | rewards | miles | cashback | redeem points | 积分 | 奖励 | 里程 | 返现
premium card | platinum | gold card | classic card | 白金 | 白金卡 | 金卡 | 普卡
credit card | 信用卡
debit card | bank card | atm card | cash card | 借记卡 | 储蓄卡 | 银行卡 | 金融卡
account | 账户 | 账号 | 户头
invest | investment | wealth management | fund | money market | mutual fund | financial product | 理财 | 理财产品 | 基金 | 投资 | 货币基金
risk assessment | risk questionnaire | risk profile | risk level | risk test | 风险测评 | 风险评估 | 风险等级 | 风评
redeem | redemption | sell | cash out | 赎回 | 卖出 | 卖掉
buy | purchase | subscribe | 购买 | 买入 | 申购 | 认购
exchange rate | currency | foreign currency | foreign exchange | fx | us dollar | usd | 汇率 | 外币 | 外汇 | 换汇 | 美元 | 结汇 | 购汇
tuition | school fees | study abroad | university | studying | 学费 | 留学 | 读书
address | change of address | moved house | relocate | 地址 | 搬家
died | death | deceased | passed away | bereavement | estate | inheritance | 去世 | 过世 | 死亡 | 身故 | 继承 | 遗产
power of attorney | on behalf | representative | proxy | third party | 代办 | 代理 | 委托 | 委托书
direct debit | autopay | automatic payment | standing order | recurring payment | auto debit | 自动扣款 | 代扣 | 自动还款 | 代缴 | 自动扣缴
salary | wages | payroll | paycheck | 工资 | 薪水 | 代发工资 | 薪资
apple pay | google pay | alipay | wechat | wechat pay | mobile wallet | payment app | 支付宝 | 微信 | 微信支付 | 第三方支付 | 快捷支付
bind | 绑定 | 关联 | 解绑
qr code | scan | 二维码 | 扫码
security | secure | safe | protect | 安全 | 保护 | 防范
fingerprint | face id | facial recognition | biometric | touch id | 指纹 | 人脸 | 刷脸 | 面容
error | not working | broken | glitch | crash | doesn't work | 故障 | 报错 | 闪退 | 用不了 | 打不开
refund | money back | reimburse | compensation | 退款 | 退钱 | 赔偿 | 补偿
account type | account class | class | type | tier | 账户类型 | 类 | 一类 | 二类 | 三类
e-account | electronic account | virtual account | virtual card | 电子账户 | 虚拟卡 | 电子户
upgrade | 升级
verify | verification | identity check | prove who i am | authenticate | kyc | 验证 | 身份验证 | 实名 | 认证 | 核实
shop | store | merchant | supermarket | restaurant | hotel | checkout | in-store | pos | 商户 | 商家 | 超市 | 商场 | 收银 | 结账 | 线下
pay by card | swipe | card payment | 刷卡
travel | trip | vacation | 出国 | 旅游 | 出差 | 出境
working days | business days | how many days | 工作日 | 几天
update | change | modify | amend | 修改 | 更改 | 变更 | 更新
cancel | stop | unsubscribe | turn off | switch off | opt out | 取消 | 退订 | 停止
overdraft | overdrawn | negative balance | 透支
cheque | chequebook | checkbook | 支票
deposit cash | pay in | put money in | top up | 存现 | 充值
tax | taxes | tax residency | 税 | 税务 | 纳税
insurance | policy | insurer | 保险 | 保单
receipt | proof of payment | confirmation | certificate | 凭证 | 回单 | 证明
`;

type Lang = "en" | "zh";
interface Term {
  lang: Lang;
  /** English: stemmed tokens to find as a phrase. Chinese: the normalised string. */
  match: string[] | string;
  /** Tokens added to a question that mentions another term of the concept. */
  tokens: string[];
}

const HAN = /[\u3400-\u9fff]/;

// Tokens too common to add by themselves: a phrase such as "go under" or 找不到 still
// triggers its concept, but expanding into it adds only its specific words.
const GENERIC = new Set(
  (
    "go get new money set show up through out long much mani day put take make find start use work not talk speak someon pay bank card number " +
    "phone account time person year old move send open turn back on off under too way thing need want 银行 行卡 不到 找不 账户 手机 卡号"
  ).split(" ").map((w) => (HAN.test(w) ? w : tokenize(w)[0] ?? w)),
);

interface Lexicon {
  concepts: Term[][];
  /** English terms by their first token; Chinese terms by their text. */
  byFirstToken: Map<string, Array<{ concept: number; term: Term }>>;
  byText: Map<string, Array<{ concept: number; term: Term }>>;
  longestZh: number;
}

function compile(): Lexicon {
  const lex: Lexicon = { concepts: [], byFirstToken: new Map(), byText: new Map(), longestZh: 1 };
  const add = (m: Map<string, Array<{ concept: number; term: Term }>>, key: string, concept: number, term: Term) => {
    const l = m.get(key);
    if (l) l.push({ concept, term });
    else m.set(key, [{ concept, term }]);
  };
  for (const line of LEXICON.split("\n")) {
    if (!line.trim()) continue;
    const concept = lex.concepts.length;
    const terms: Term[] = [];
    for (const raw of line.split("|").map((s) => s.trim())) {
      if (!raw) continue;
      if (HAN.test(raw)) {
        const s = normalize(raw);
        // A Chinese word's bigrams; a one-character word stands for itself.
        const tokens = s.length === 1 ? [s] : tokenize(s).filter((t) => t.length > 1 && !GENERIC.has(t));
        const term: Term = { lang: "zh", match: s, tokens };
        terms.push(term);
        add(lex.byText, s, concept, term);
        lex.longestZh = Math.max(lex.longestZh, s.length);
      } else {
        const tokens = tokenize(raw);
        if (!tokens.length) continue;
        const term: Term = { lang: "en", match: tokens, tokens: tokens.filter((t) => !GENERIC.has(t)) };
        terms.push(term);
        add(lex.byFirstToken, tokens[0]!, concept, term);
      }
    }
    lex.concepts.push(terms);
  }
  return lex;
}

let compiled: Lexicon | undefined;

/** The concepts a text mentions, with the languages of the terms found. */
function mentioned(text: string, tokens: string[]): Map<number, Set<Lang>> {
  compiled ??= compile();
  const out = new Map<number, Set<Lang>>();
  const found = (concept: number, lang: Lang) => {
    const l = out.get(concept);
    if (l) l.add(lang);
    else out.set(concept, new Set([lang]));
  };
  for (let i = 0; i < tokens.length; i++) {
    for (const { concept, term } of compiled.byFirstToken.get(tokens[i]!) ?? []) {
      const p = term.match as string[];
      let ok = i + p.length <= tokens.length;
      for (let j = 1; j < p.length && ok; j++) ok = tokens[i + j] === p[j];
      if (ok) found(concept, "en");
    }
  }
  for (const run of text.match(/[\u3400-\u9fff]+/g) ?? []) {
    for (let i = 0; i < run.length; i++) {
      for (let n = 1; n <= compiled.longestZh && i + n <= run.length; n++) {
        for (const { concept } of compiled.byText.get(run.slice(i, i + n)) ?? []) found(concept, "zh");
      }
    }
  }
  return out;
}

/** Tokens related to the question's words, each with `weight` (the question's own tokens excluded). */
export function expandQuery(question: string, weight: number): Map<string, number> {
  const out = new Map<string, number>();
  if (weight <= 0) return out;
  const tokens = tokenize(question);
  const own = new Set(tokens);
  for (const [concept, langs] of mentioned(normalize(question), tokens)) {
    for (const t of compiled!.concepts[concept]!) {
      if (!langs.has(t.lang)) continue;
      for (const tok of t.tokens) if (!own.has(tok)) out.set(tok, weight);
    }
  }
  return out;
}

/**
 * The banking concepts a text mentions, in either language (ids stable for a given
 * lexicon): a language-independent feature for the offline embedder.
 */
export function conceptsOf(text: string, tokens = tokenize(text)): number[] {
  return [...mentioned(normalize(text), tokens).keys()];
}
