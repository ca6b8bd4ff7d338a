/**
 * A small bilingual glossary of retail-banking concepts. Each matched term adds a
 * shared "@concept" feature, so that what the classifier learns from an English
 * example ("freeze my card") also applies to a Chinese one ("冻结我的卡") and to
 * English synonyms it has not seen ("suspend", "put a hold on").
 *
 * Written from general banking vocabulary and the intent descriptions, not from
 * evaluation data. Terms are concepts, not intents: "lock" appears in freezing a
 * card, a locked PIN and a locked app login alike, and the model learns which
 * combination means what.
 *
 * English terms are matched on stemmed word sequences (so "declined" matches
 * "decline"); Chinese terms by substring, longest first, each character used by at
 * most one term (so 解锁 is "unlock" and not also "lock").
 */

export interface ConceptTerms {
  en?: string[];
  zh?: string[];
}

// One concept per line: a data table reads better than one term per line.
// prettier-ignore
export const CONCEPTS: Record<string, ConceptTerms> = {
  lose: { en: ["lost", "lose", "missing", "misplaced", "can not find", "gone", "dropped", "left my card", "left it"], zh: ["丢", "遗失", "找不到", "不见了", "落在", "弄丢", "掉了"] },
  steal: { en: ["stolen", "stole", "steal", "theft", "pickpocket", "pickpocketed", "robbed", "snatched"], zh: ["被偷", "偷了", "被盗", "被抢", "扒手", "抢了"] },
  report_loss: { en: ["report lost", "report stolen", "report it lost", "report my card"], zh: ["挂失"] },
  found: { en: ["found", "found it", "turned up"], zh: ["找到了", "找回"] },
  freeze: { en: ["freeze", "frozen", "froze", "lock", "locked", "block", "blocked", "suspend", "pause", "hold", "disable", "deactivate", "stop"], zh: ["冻结", "锁", "锁定", "停用", "暂停", "止付", "冻"] },
  unfreeze: { en: ["unfreeze", "unlock", "unblock", "reactivate", "re-enable", "enable", "lift", "undo", "turn back on", "working again", "use it again"], zh: ["解冻", "解锁", "解除", "恢复", "解封", "重新启用", "解开", "取消冻结"] },
  temporary: { en: ["temporarily", "temporary", "for now", "for a while", "for a bit", "for the moment", "until"], zh: ["临时", "暂时", "先"] },
  decline: { en: ["declined", "decline", "rejected", "failed", "fail", "not working", "will not work", "does not work", "can not pay", "not accepted", "not permitted", "refused"], zh: ["刷不了", "支付失败", "付款失败", "交易失败", "被拒", "拒绝", "用不了", "扣款失败", "付不了", "支付不了", "失败", "刷卡", "取不出", "取不了"] },
  pay_purchase: { en: ["pay", "payment", "purchase", "shop", "checkout", "terminal", "pos", "contactless", "online shopping", "apple pay", "alipay", "wechat pay", "taobao"], zh: ["支付", "付款", "消费", "购物", "刷卡", "支付宝", "微信支付", "网购", "买东西", "pos"] },
  fraud: { en: ["fraud", "scam", "scammer", "scammed", "unauthorized", "did not make", "do not recognize", "hacked", "phishing", "suspicious", "someone used", "not me", "fake", "safe account", "never made", "someone logged", "logged into my", "impersonat", "pretending to be"], zh: ["诈骗", "骗", "盗刷", "不是我", "陌生", "可疑", "钓鱼", "冒用", "不认识", "被盗用", "假冒", "冒充", "公检法", "安全账户", "被盗刷", "被转走", "转走了", "别人登录"] },
  complain: { en: ["complain", "complaint", "unacceptable", "terrible", "rude", "escalate", "disgraceful", "useless", "worst", "formal complaint", "regulator", "fed up", "unhappy", "not happy"], zh: ["投诉", "不满", "态度差", "太差", "恶劣", "说法", "监管", "失望", "不满意", "没人管"] },
  human: { en: ["human", "person", "agent", "real person", "someone real", "staff", "representative", "operator", "colleague", "somebody", "customer service", "talk to someone", "speak to someone", "not a bot", "not a robot"], zh: ["人工", "真人", "客服", "转人工", "工作人员", "人工服务", "机器人"] },
  death: { en: ["died", "die", "passed away", "death", "deceased", "late father", "late mother", "late husband", "late wife", "estate", "funeral", "inherit", "inheritance", "executor", "probate", "bereavement"], zh: ["去世", "过世", "已故", "逝者", "死亡", "继承", "遗产", "身故", "离世", "走了", "丧"] },
  family: { en: ["father", "mother", "dad", "mum", "mom", "husband", "wife", "son", "daughter", "parent", "relative", "grandmother", "grandfather"], zh: ["父亲", "母亲", "爸", "妈", "丈夫", "妻子", "老公", "老婆", "儿子", "女儿", "亲人", "家人", "奶奶", "爷爷"] },
  hardship: { en: ["can not afford", "hardship", "struggling", "debt", "lost my job", "unemployed", "can not repay", "can not pay back", "behind on", "overwhelmed", "difficult time", "no money", "broke", "stressed", "debt collector", "divorce", "no income", "business went under", "nothing left", "can not pay the mortgage", "lost my income", "medical bills"], zh: ["还不上", "还不起", "困难", "失业", "压力", "逾期", "没钱", "走投无路", "负债", "撑不下去", "生病", "催收", "离婚", "没有收入", "生意失败", "不够还", "还贷"] },
  open: { en: ["open an account", "open a new", "new account", "sign up", "register", "apply for a debit", "get a new card", "opening an account", "salary card", "open one for my", "minor", "child account", "under 18", "for my kid", "for my son", "for my daughter"], zh: ["开户", "办卡", "开个账户", "新开", "办一张", "开一个", "办理银行卡", "工资卡", "未成年", "儿童", "给孩子办"] },
  close: { en: ["close", "closing", "cancel", "terminate", "shut", "get rid of", "no longer use", "anymore", "do not need it"], zh: ["销户", "注销", "关闭", "取消", "销卡", "关掉", "销掉", "不用了", "不想要了"] },
  transfer: { en: ["transfer", "send money", "wire", "remit", "remittance", "pay someone", "move money", "sent money"], zh: ["转账", "汇款", "转钱", "打钱", "汇钱", "转给", "转出", "汇", "电汇"] },
  abroad: { en: ["abroad", "overseas", "international", "foreign", "swift", "cross-border", "another country", "usd", "dollar", "euro", "fx", "currency", "quota", "wire transfer"], zh: ["境外", "海外", "国外", "跨境", "外汇", "美元", "出国", "国际", "外币", "结汇", "购汇", "外汇额度", "便利化额度", "电汇"] },
  limit: { en: ["limit", "maximum", "max", "cap", "raise the", "increase the", "lower the", "per day", "daily", "per transaction", "a day", "each day", "single transaction"], zh: ["限额", "额度", "上限", "最多", "最高", "提额", "调高", "调低", "每天", "每日", "单笔", "能转多少", "只能转"] },
  arrive: { en: ["arrive", "arrived", "arrival", "received", "receive", "pending", "delay", "delayed", "not yet", "show up", "reach", "processing", "in progress", "still pending"], zh: ["到账", "到了", "没到", "收到", "延迟", "在途", "还没到", "处理中", "还没收到"] },
  how_long: { en: ["how long", "how many days", "how soon", "when will", "take to"], zh: ["多久", "多长时间", "几天", "什么时候到", "要多久"] },
  fee: { en: ["fee", "charge", "charges", "cost", "commission", "annual fee", "how much does it cost", "free of charge", "waive"], zh: ["手续费", "费用", "收费", "年费", "管理费", "扣费", "费", "免费", "减免"] },
  points: { en: ["points", "point", "reward", "rewards", "miles", "redeem", "cashback", "loyalty"], zh: ["积分", "兑换", "里程", "奖励", "返现"] },
  instalment: { en: ["instalment", "installment", "installments", "split", "spread", "monthly payments", "in parts", "emi"], zh: ["分期", "分几期", "分12期", "分成"] },
  repay: { en: ["repay", "repayment", "pay off", "pay my bill", "minimum payment", "due date", "autopay", "pay back", "statement balance", "grace period", "overpay", "partial payment", "full amount", "statement date", "overpayment", "outstanding"], zh: ["还款", "还钱", "最低还款", "还款日", "自动还款", "还信用卡", "免息期", "多还", "溢缴款", "欠款", "全额", "账单日", "逾期"] },
  bill: { en: ["bill", "statement", "billing"], zh: ["账单"] },
  fixed_deposit: { en: ["fixed deposit", "time deposit", "term deposit", "cd", "certificate of deposit", "fixed term"], zh: ["定期", "定存", "大额存单", "存单"] },
  maturity: { en: ["mature", "maturity", "matures", "expire", "expires", "due", "end of the term"], zh: ["到期", "到期日"] },
  monthly_saving: { en: ["instalment savings", "installment savings", "monthly savings", "recurring deposit", "save every month", "monthly deposit", "missed deposit", "regular savings", "regular saver", "saving plan", "savings plan", "fixed amount every month", "lingcun zhengqu"], zh: ["零存整取", "每月存", "按月存", "每个月存", "漏存", "零存", "每月固定"] },
  savings: { en: ["savings", "save", "deposit", "deposits"], zh: ["存款", "存钱", "储蓄", "存"] },
  interest: { en: ["interest", "rate", "rates", "apr", "yield", "return", "returns"], zh: ["利息", "利率", "收益", "年化", "回报"] },
  invest: { en: ["invest", "investment", "fund", "funds", "wealth management", "wmp", "stock", "stocks", "portfolio", "risk assessment", "structured deposit", "wealth product", "financial product", "risk level", "questionnaire", "bestselling product"], zh: ["理财", "基金", "投资", "风险评估", "结构性存款", "赎回", "净值", "风险等级", "风险测评", "测评", "产品"] },
  mortgage: { en: ["mortgage", "home loan", "house", "property", "flat", "apartment", "down payment", "provident fund", "buy a home", "equal principal", "equal instalment", "first-time buyer", "first home", "30 year"], zh: ["房贷", "按揭", "买房", "首付", "公积金", "房子", "住房贷款", "商贷", "等额本息", "等额本金", "首套", "二套"] },
  loan: { en: ["loan", "borrow", "lend", "credit line", "personal loan", "car loan", "renovation"], zh: ["贷款", "借钱", "借款", "消费贷", "车贷", "装修贷", "借"] },
  app: { en: ["app", "mobile banking", "online banking", "internet banking", "website", "phone banking"], zh: ["手机银行", "网上银行", "app", "网银", "客户端"] },
  login: { en: ["login", "log", "sign", "access", "get in", "let me in", "locked out"], zh: ["登录", "登不上", "登入", "进不去", "登"] },
  code: { en: ["verification code", "otp", "sms", "text message", "code", "face recognition", "face id", "fingerprint", "device"], zh: ["验证码", "短信", "人脸", "刷脸", "指纹", "设备", "绑定"] },
  password: { en: ["password", "passcode"], zh: ["登录密码", "网银密码"] },
  pin: { en: ["pin", "pin code", "atm pin", "query password", "transaction password"], zh: ["密码", "取款密码", "交易密码", "支付密码", "查询密码"] },
  forget: { en: ["forgot", "forget", "forgotten", "can not remember", "do not remember"], zh: ["忘记", "忘了", "想不起来"] },
  reset: { en: ["reset", "change", "set a new", "new one", "modify", "update"], zh: ["重置", "修改", "改", "设置", "换一个", "重设"] },
  wrong_tries: { en: ["too many", "wrong", "attempts", "tries", "incorrect"], zh: ["输错", "错误", "次数太多", "错了"] },
  hours: { en: ["opening hours", "open", "close", "closing", "what time", "hours", "weekend", "holiday", "saturday", "sunday", "tomorrow", "lunch"], zh: ["几点", "营业时间", "开门", "关门", "上班", "下班", "周末", "节假日", "营业", "春节", "国庆", "中午", "明天"] },
  branch: { en: ["branch", "atm", "nearest", "near me", "nearby", "location", "address", "counter", "office", "appointment", "visit a branch"], zh: ["网点", "营业厅", "支行", "附近", "最近的", "地址", "柜台", "atm", "分行", "预约", "去银行"] },
  hello: { en: ["hi", "good morning", "good afternoon", "good evening", "anyone there", "are you there", "greetings", "yo", "morning", "afternoon", "evening", "hey there"], zh: ["你好", "您好", "在吗", "早上好", "下午好", "晚上好", "有人吗", "哈喽", "嗨"] },
  thanks: { en: ["thanks", "thank you", "cheers", "appreciate", "that is all", "that helped", "great thanks"], zh: ["谢谢", "感谢", "多谢", "辛苦了"] },
  bye: { en: ["bye", "goodbye", "see you", "have a nice day", "no more questions", "that is everything"], zh: ["再见", "拜拜", "没有其他问题", "没事了", "就这样"] },
  balance: { en: ["balance", "how much money", "available credit", "how much do i have", "how much is left", "funds available", "money left"], zh: ["余额", "还有多少钱", "剩多少", "可用额度"] },
  history: { en: ["transaction", "transactions", "history", "recent", "activity", "spending", "spent", "last payment", "payments", "record", "records", "mini statement", "what was that charge", "where did my money go"], zh: ["交易记录", "明细", "流水", "消费记录", "收支", "记录", "最近", "花了", "花在哪", "花了多少", "支出"] },
  card: { en: ["card", "debitcard", "creditcard", "visa", "mastercard"], zh: ["卡", "银行卡", "借记卡", "储蓄卡"] },
  credit_card: { en: ["creditcard", "credit"], zh: ["信用卡"] },
  account: { en: ["account", "accounts"], zh: ["账户", "账号", "户头"] },
  money: { en: ["money", "cash", "funds", "salary", "rent"], zh: ["钱", "现金", "资金", "工资", "房租"] },
  q_how: { en: ["how do i", "how can i", "how to", "what do i do", "what should i do"], zh: ["怎么", "如何", "怎么办", "怎样"] },
  q_why: { en: ["why"], zh: ["为什么", "为啥", "怎么回事"] },
  q_when: { en: ["when", "what time", "what date"], zh: ["什么时候", "几时", "哪天"] },
  q_where: { en: ["where"], zh: ["哪里", "在哪", "哪儿"] },
  q_how_much: { en: ["how much", "how many"], zh: ["多少", "几"] },
  want: { en: ["want to", "would like", "need to", "i want", "i need"], zh: ["我要", "我想", "想要", "需要"] },
  mistake: { en: ["by mistake", "accidentally", "by accident", "mistakenly"], zh: ["误操作", "不小心", "误"] },
  app_problem: { en: ["crash", "crashes", "crashing", "keeps loading", "down", "not loading", "error", "maintenance", "update"], zh: ["闪退", "打不开", "白屏", "维护", "更新", "加载", "卡住"] },
  replace_card: { en: ["replace", "replacement", "new card", "damaged", "broken card", "expired card", "reissue"], zh: ["补卡", "换卡", "补办", "坏了", "过期", "消磁"] },
  urgent: { en: ["urgent", "immediately", "right now", "quickly", "hurry"], zh: ["紧急", "马上", "赶紧", "快点", "立刻", "急"] },
};
