/**
 * Cheap, dependency-free language helpers for the assistant: which of our two
 * supported languages a message is in, whether Chinese text is written in
 * traditional characters, and folding traditional to simplified so that the
 * classifiers (trained mostly on simplified examples) see one script.
 *
 * These run on every incoming message, so they are plain character scans with no
 * allocation beyond the output string.
 */

export type Language = "en" | "zh";

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z\u00C0-\u024F]+/g;
const HAN_ALL = /\p{Script=Han}/gu;

/**
 * "en" or "zh". Han characters are compared with Latin *words* rather than letters,
 * because one Han character carries roughly one word's worth of meaning. Mixed text
 * such as "我的Visa卡被冻结了" is Chinese; "please check my 信用卡 bill for March" is
 * mostly Latin and therefore English. Text with neither (digits, emoji) is "en",
 * the assistant's default.
 */
export function detectLanguage(text: string): Language {
  if (!HAN.test(text)) return "en";
  const han = text.match(HAN_ALL)?.length ?? 0;
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  // Chinese when Han characters make up at least 40% of the "word" units.
  return han / (han + latinWords) >= 0.4 ? "zh" : "en";
}

/*
 * Traditional → simplified pairs for common characters (banking vocabulary first,
 * then frequent function words). Not a full OpenCC table: characters whose
 * mapping depends on context (乾/幹, 著, 藉 …) are left out so that we never turn a
 * correct character into a wrong one. Each token is "<traditional><simplified>".
 */
const T2S_PAIRS = `
們们 這这 個个 說说 為为 麼么 還还 沒没 時时 間间 問问 題题 請请 謝谢 體体 國国 會会 來来 對对
過过 後后 開开 關关 錢钱 帳账 賬账 戶户 號号 碼码 轉转 銀银 與与 讓让 給给 從从 嗎吗 幫帮 處处
務务 電电 話话 動动 發发 現现 經经 當当 樣样 種种 點点 學学 長长 裡里 裏里 頭头 見见 應应 該该
讀读 寫写 聽听 覺觉 認认 識识 記记 設设 計计 證证 據据 網网 絡络 線线 貸贷 額额 幣币 匯汇 兌兑
換换 費费 稅税 確确 驗验 機机 場场 車车 門门 東东 書书 買买 賣卖 價价 錯错 誤误 難难 辦办 際际
續续 紀纪 錄录 綁绑 凍冻 結结 鎖锁 掛挂 補补 實实 稱称 責责 質质 詢询 諮咨 撥拨 異异 餘余 儲储
筆笔 單单 歸归 積积 獎奖 勵励 禮礼 貨货 訂订 購购 壞坏 擊击 盜盗 騙骗 詐诈 損损 報报 險险 護护
隱隐 權权 雙双 復复 複复 歷历 曆历 鐘钟 週周 營营 業业 廳厅 櫃柜 臺台 颱台 員员 態态 惡恶 氣气
憤愤 滿满 愛爱 歡欢 樂乐 讚赞 煩烦 惱恼 擔担 憂忧 慮虑 張张 緊紧 無无 進进 遠远 運运 連连 選选
邊边 達达 遲迟 適适 遞递 啟启 陸陆 陽阳 隊队 雖虽 雜杂 離离 靈灵 響响 項项 順顺 須须 預预 領领
頁页 頻频 顯显 風风 飛飞 飯饭 館馆 馬马 髮发 鬥斗 魚鱼 鳥鸟 麵面 黃黄 齊齐 龍龙 歲岁 殺杀 毀毁
決决 況况 淨净 減减 測测 溝沟 滅灭 漢汉 潔洁 濟济 灣湾 災灾 熱热 燈灯 爭争 爾尔 牆墙 狀状 獨独
獲获 環环 產产 畫画 療疗 盡尽 儘尽 監监 盤盘 眾众 衆众 礎础 禍祸 穩稳 窮穷 競竞 節节 範范 簡简
簽签 類类 係系 紅红 約约 級级 紙纸 細细 組组 終终 綜综 維维 總总 績绩 織织 繳缴 罰罚 義义 習习
聯联 聲声 職职 腦脑 腳脚 興兴 舉举 舊旧 藝艺 藥药 虛虚 衛卫 衝冲 裝装 製制 覽览 親亲 觀观 規规
視视 討讨 訊讯 訓训 託托 訪访 許许 評评 詞词 試试 詳详 誠诚 誰谁 課课 調调 談谈 論论 諾诺 講讲
謹谨 議议 變变 豐丰 負负 財财 貧贫 販贩 貴贵 貼贴 資资 賓宾 賠赔 賞赏 贈赠 贏赢 趕赶 跡迹 軍军
軟软 載载 輕轻 輛辆 輸输 農农 遺遗 郵邮 鄉乡 醫医 釋释 針针 鈔钞 鋪铺 鍵键 閉闭 閱阅 闆板 陣阵
隨随 雲云 靜静 頂顶 頓顿 願愿 顧顾 飲饮 驚惊 鬆松 齡龄 憑凭 擁拥 擴扩 攜携 擇择 斷断 條条 構构
樓楼 標标 橋桥 檢检 歐欧 壓压 聖圣 塊块 墊垫 夠够 夢梦 奪夺 婦妇 媽妈 孫孙 寧宁 審审 寬宽 專专
將将 尋寻 導导 層层 屬属 師师 帶带 廣广 彈弹 彙汇 徑径 憶忆 戲戏 戰战 執执 揮挥 搶抢 擋挡 攔拦
數数 暫暂 術术 華华 萬万 葉叶 蓋盖 薦荐 藍蓝 訴诉 註注 語语 謂谓 優优 儀仪 傳传 債债 傷伤 億亿
僅仅 備备 偽伪 倆俩 僱雇 兒儿 兩两 冊册 劃划 動动 勞劳 勝胜 勢势 區区 協协 卻却 廠厂 厲厉 參参
喪丧 嚴严 圍围 園园 圖图 團团 堅坚 壽寿 娛娱 寶宝 寫写 爺爷 獻献 畢毕 瘋疯 礙碍 竊窃 籤签 糾纠
納纳 純纯 絕绝 統统 綠绿 練练 編编 緩缓 縮缩 繼继 羅罗 聞闻 臉脸 臨临 虧亏 觸触 誌志 謊谎 貿贸
賴赖 較较 輔辅 輪轮 辭辞 鄰邻 銷销 鋼钢 鏈链 鐵铁 鑰钥 閒闲 閑闲 陳陈 韓韩 鬧闹 麗丽 貸贷 噓嘘
歎叹 嘆叹 氣气 煉炼 爛烂 虜虏 誇夸 該该 謝谢 讓让 鑑鉴 鑒鉴 態态 慣惯 愛爱 懷怀 懶懒
戀恋 擾扰 擠挤 攤摊 敵敌 曬晒 權权 歸归 漲涨 灑洒 灣湾 煙烟 犧牺 獅狮 玀猡 瑣琐 癢痒 盜盗 睜睁
碼码 磚砖 穀谷 窩窝 竄窜 簾帘 糧粮 緻致 罵骂 羨羡 聰聪 肅肃 膽胆 艱艰 蘋苹 衚胡 補补 襲袭 訝讶
詭诡 諒谅 諷讽 謀谋 譏讥 譯译 豬猪 貓猫 賺赚 趨趋 蹤踪 躍跃 輩辈 輻辐 辯辩 遙遥 還还 鄭郑 釣钓
鈴铃 錶表 鍊链 鎮镇 鐘钟 閃闪 闖闯 陰阴 隻只 雞鸡 靂雳 鞏巩 頸颈 顆颗 颳刮 飽饱 餓饿 騷骚 驕骄
鬱郁 鹹咸 麼么 黨党 龜龟
`;

/** Traditional-only characters that are frequent enough to decide the script on. */
const TRADITIONAL_MARKERS = new Set(
  "們這個說為麼還沒時間問題請謝體國會來對過後開關錢帳賬戶號碼轉銀與讓給從嗎幫處務電話動發現經當樣種點學長裡頭見應該讀寫聽覺認識記設證據網線貸額幣匯換費確驗機場車門買賣價錯誤難辦際續錄綁凍結鎖掛補實詢諮異儲筆單歸積獎禮訂購壞盜騙詐損報險護權雙歷鐘週營業廳櫃臺員態惡氣滿愛歡樂讚煩擔憂慮張緊無進連選邊達遲",
);
/** Their simplified counterparts — seeing these instead means the text is simplified. */
const SIMPLIFIED_MARKERS = new Set(
  "们这说为么还没时间问题请谢体国会来对过开关钱账户号码转银与让给从吗帮处务电话动发现经当样种点学长头见应该读写听觉认识记设证据网线贷额币汇换费确验机场车门买卖价错误难办际续录绑冻结锁挂补实询咨异储笔单归积奖礼订购坏盗骗诈损报险护权双历钟营业厅柜员态恶气满爱欢乐赞烦担忧虑张紧无进连选边达迟",
);

const T2S: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const pair of T2S_PAIRS.split(/\s+/)) {
    const chars = [...pair];
    if (chars.length === 2 && chars[0] !== chars[1]) m.set(chars[0]!, chars[1]!);
  }
  return m;
})();

/**
 * True when the text is (mostly) traditional Chinese: at least one frequent
 * traditional-only character and no more simplified-only markers than traditional
 * ones (so one stray character in a simplified message does not flip it).
 */
export function isTraditional(text: string): boolean {
  let trad = 0;
  let simp = 0;
  for (const ch of text) {
    if (TRADITIONAL_MARKERS.has(ch)) trad++;
    else if (SIMPLIFIED_MARKERS.has(ch)) simp++;
  }
  return trad > 0 && trad >= simp;
}

/** Folds the common traditional characters to simplified; everything else is kept. */
export function toSimplified(text: string): string {
  let out = "";
  for (const ch of text) out += T2S.get(ch) ?? ch;
  return out;
}

/**
 * Full-width ASCII (Ａ-Ｚ, ０-９, full-width punctuation and the ideographic space) to
 * half-width, via NFKC, which also folds ligatures and compatibility forms. Chinese
 * sentence punctuation such as "，。？！" is normalised to ",.?!" as well, so rules
 * written for one language's punctuation apply to both.
 */
export function toHalfWidth(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[，、]/g, ",")
    .replace(/。/g, ".")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'");
}
