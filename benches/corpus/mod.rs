//! The deterministic benchmark corpus and pattern sets.
//!
//! Shared by the `throughput` bench and the allocation test (included with
//! `#[path]`). No `rand` crate: a splitmix64 generator with a fixed seed, so
//! the same seed gives the same corpus, byte for byte, on every machine.
//!
//! The messages are built from a built-in list of phrases written for this
//! benchmark (police notices, residents' questions, chatter, scam ads with
//! disguised keywords, victim reports), varied by: Traditional script,
//! disguised keywords (`刷*单`, `薇信`, `ＶＸ`), full-width digits, emoji,
//! phone numbers, money amounts, WeChat ids and URLs. Lengths: median about 30
//! characters, a long tail up to 2,000.
#![allow(dead_code)]

/// The seed of the published runs.
pub const SEED: u64 = 0x6a69_6e67_6d69_6e00; // "jingmin\0"

/// splitmix64: tiny, fast, good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0); the tiny modulo bias does not matter here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Short chatter: replies, greetings, reactions.
const CHATTER: &[&str] = &[
    "收到", "好的", "收到，谢谢", "谢谢警官", "辛苦了", "👍", "👍👍👍", "好的好的", "明白", "在吗", "哈哈哈",
    "早上好", "晚安", "谢谢民警同志", "已阅", "[强]", "[玫瑰]", "大家注意安全", "+1", "同意", "知道了",
    "谢谢提醒", "点赞", "🙏🙏", "好", "嗯嗯", "收到！", "辛苦辛苦", "谢谢🌹", "ok", "OK收到", "已转发家人群",
    "已经转给我妈看了", "这个好", "太及时了", "楼上说得对", "今天下雨路滑", "我也收到这种短信了", "哪里？",
    "几点？", "在哪个门", "我家孩子放学了", "天气真热", "明天见", "谢谢啦", "好的知道了😊", "支持！",
];

/// Residents' questions.
const QUESTIONS: &[&str] = &[
    "请问警务室几点开门？",
    "请问办身份证需要带什么材料",
    "这是刷单诈骗吗？",
    "有人加我微信说可以帮忙贷款，是真的吗",
    "请问户口迁移在哪里办理",
    "我收到一个电话说是公安局的，要我转账到安全账户，是骗子吗？",
    "请问居住证怎么办",
    "小区门口的车乱停谁管？",
    "有人说能帮我修复征信，靠谱吗",
    "请问电动车上牌要去哪里",
    "刚才有个自称快递客服的说要给我退款，让我下载一个APP，怎么办",
    "请问这个网站是不是假的 www.xx-licai.com",
    "有人在群里发兼职广告，能举报吗？",
    "民警同志，楼下一直有人吵架怎么办",
    "我家老人接到电话说儿子出事了要打钱，这是真的吗？",
    "请问丢了钱包去哪里报案",
    "游戏账号交易被骗了能追回来吗",
    "網上說可以貸款，需要先交保證金，是真的嗎？",
    "這個投資理財群可信嗎",
    "请问反诈APP在哪下载",
];

/// Police notices and warnings.
const NOTICES: &[&str] = &[
    "【警情通报】近期我辖区发生多起刷单返利诈骗案件，请广大群众提高警惕，凡是要求先垫付资金的兼职都是诈骗！",
    "明早9点在东门开展防诈宣传，欢迎大家参加",
    "温馨提示：公检法机关不会通过电话办案，更没有所谓的安全账户，请勿向陌生账户转账。",
    "各位居民，近期冒充电商客服退款诈骗高发，请勿点击陌生链接，请勿下载陌生APP，请勿开启屏幕共享。",
    "【反诈提醒】不听、不信、不转账！遇到可疑情况请拨打96110咨询。",
    "本周六上午在社区服务中心办理居住证，请带好身份证和租房合同。",
    "请大家安装国家反诈中心APP，开启来电预警功能。",
    "提醒：出租出借银行卡、电话卡属于违法行为，涉嫌帮助信息网络犯罪活动罪。",
    "近期有人冒充领导加微信借钱，请务必电话核实！",
    "【安全防范】夏季汛期来临，请家长看管好孩子，严禁到河边、水库游泳。",
    "小区近期发生电动车被盗，请大家停放在车棚并上好锁。",
    "網絡貸款先收費的都是詐騙，請大家不要相信“無抵押、秒到賬”的宣傳。",
    "警民联调成功化解一起邻里纠纷，双方握手言和。",
    "感谢群众张某某拾金不昧，将捡到的钱包交到警务室。",
    "凡是说“高额回报、稳赚不赔”的投资理财，都是诈骗！",
    "【通知】明天下午2点社区民警在警务室接待群众，有事可以来咨询。",
    "冒充“公检法”诈骗套路：说你涉嫌洗钱，要求你把钱转到“安全账户”配合调查。",
    "裸聊敲诈多以美女视频聊天为诱饵，录下不雅视频后敲诈勒索，请网友洁身自好。",
    "游戏装备交易请走官方平台，私下交易极易被骗。",
    "虚假征信诈骗：骗子自称银行或金融监管部门工作人员，称可以帮你消除不良记录。",
];

/// Scam ads and lures (some already disguised).
const SCAMS: &[&str] = &[
    "日结300 刷单 加V",
    "招聘网络兼职，在家动动手指日赚500，一单一结，加薇信详聊",
    "点赞关注就能赚钱，日结200，有意者加ＶＸ",
    "内部消息，稳赚不赔，带你投资理财，收益翻倍",
    "无抵押无担保，秒到账，低息贷款，先交保证金",
    "征信修复，逾期记录消除，包过",
    "高价收购银行卡、电话卡，一张800",
    "恭喜您中奖了，请点击链接领取奖品",
    "医保卡异常，请联系客服处理，否则冻结",
    "手机兼职，做任务返佣金，宝妈学生均可",
    "刷*单返利，每单佣金10%，扣扣联系",
    "炒股群免费荐股，老师带单，跟着买稳赚",
    "网贷不看征信，黑户也能下款，加威信",
    "出租微信号，一天50，不用本人操作",
    "游戏币低价出售，私下交易更便宜",
    "美女一对一视频聊天，加Q看更多",
    "我是你们领导，明天来我办公室，先帮我转一笔钱给客户",
    "数字货币挖矿，每天分红，拉人头奖励",
    "淘宝客服：您的订单出现问题，需要办理退款，请下载会议软件共享屏幕",
    "兼職刷單，日結工資，加薇芯了解",
];

/// Victim reports.
const VICTIMS: &[&str] = &[
    "我刷单被骗了3000",
    "我妈被冒充公安的骗了两万块，怎么办",
    "刚才转了5000给一个说能贷款的，现在联系不上了",
    "被投资理财平台骗了，提现不了，已经投了十几万",
    "我在网上买游戏装备被骗了800元",
    "被人冒充客服骗走了6万，已经报警了",
    "網上交友被騙了兩萬多，對方說要投資",
];

/// Disguises of keywords: what scammers write instead.
const DISGUISES: &[&str] = &[
    "刷*单", "刷 单", "刷😀单", "薇信", "威信", "ＶＸ", "vx", "V❤", "扣扣", "Q群", "返*利", "兼-职", "贷·款", "日結",
    "刷單", "徵信", "裸*聊", "投*资", "佣😊金", "薇芯",
];

/// Emoji sprinkled on messages.
const EMOJI: &[&str] = &["😊", "👍", "🙏", "🌹", "😂", "❤️", "🔥", "💰", "✅", "⚠️", "📢", "🚨"];

/// Simplified → Traditional for the characters of the phrases above (the
/// baseline's fold reverses it).
pub const TRAD: &[(char, char)] = &[
    ('这', '這'), ('说', '說'), ('请', '請'), ('问', '問'), ('骗', '騙'), ('诈', '詐'), ('单', '單'), ('钱', '錢'),
    ('银', '銀'), ('转', '轉'), ('账', '賬'), ('币', '幣'), ('网', '網'), ('络', '絡'), ('职', '職'), ('贷', '貸'),
    ('号', '號'), ('码', '碼'), ('门', '門'), ('开', '開'), ('会', '會'), ('发', '發'), ('现', '現'), ('时', '時'),
    ('间', '間'), ('东', '東'), ('区', '區'), ('务', '務'), ('险', '險'), ('证', '證'), ('报', '報'), ('关', '關'),
    ('点', '點'), ('击', '擊'), ('链', '鏈'), ('红', '紅'), ('优', '優'), ('资', '資'), ('财', '財'), ('员', '員'),
    ('领', '領'), ('导', '導'), ('实', '實'), ('对', '對'), ('过', '過'), ('还', '還'), ('没', '沒'), ('么', '麼'),
    ('吗', '嗎'), ('们', '們'), ('个', '個'), ('为', '為'), ('见', '見'), ('让', '讓'), ('认', '認'), ('识', '識'),
    ('话', '話'), ('电', '電'), ('视', '視'), ('买', '買'), ('卖', '賣'), ('货', '貨'), ('户', '戶'), ('头', '頭'),
    ('处', '處'), ('应', '應'), ('该', '該'), ('进', '進'), ('车', '車'), ('办', '辦'), ('结', '結'), ('赚', '賺'),
    ('给', '給'), ('样', '樣'), ('帮', '幫'), ('将', '將'), ('亲', '親'), ('刚', '剛'), ('机', '機'), ('计', '計'),
    ('动', '動'), ('复', '復'), ('众', '眾'), ('国', '國'), ('条', '條'), ('觉', '覺'), ('边', '邊'), ('脑', '腦'),
    ('气', '氣'), ('热', '熱'), ('爱', '愛'), ('两', '兩'), ('万', '萬'), ('块', '塊'), ('联', '聯'), ('系', '繫'),
    ('经', '經'), ('络', '絡'), ('征', '徵'), ('态', '態'), ('审', '審'), ('门', '門'), ('讯', '訊'), ('级', '級'),
];

/// Characters of the synthetic user-lexicon words: common ideographs, so
/// that the words look like real ones and sometimes occur by chance.
const WORD_CHARS: &str = "安百宝保报北本比边变表别宾冰并博布才财采彩菜参餐草层茶产长场唱超车城程吃池冲出初除楚川传船春词从村达大代带丹单当岛道德灯登低地点电店定东冬动豆都读度短段对多朵儿发法帆饭方房放飞分丰风峰服福府富港高歌格工公宫古谷关光广贵国果海寒汉行好号合和河黑红后湖花华画怀欢环黄回会活火机鸡吉集家佳嘉甲假间江将交教街节金锦进京经景九酒居菊巨聚开康科可客空口快宽矿兰蓝朗乐雷类冷里理力立丽连莲良亮林灵岭流龙楼路绿伦轮罗落马满茂梅美门梦米民明名木南年宁牛农欧盘培朋鹏平萍坡奇旗启千前强桥青清情秋泉群然人仁日荣瑞三山善上少深神生胜诗石时实食世市书树双水顺思松苏泰唐天田通同图团万王网伟文武西溪喜夏仙先贤香祥小晓新信星兴雄秀轩学雪阳洋叶一艺义银英迎永友雨玉元园源远月云运在泽长照珍真正之知中舟洲州竹庄卓子紫宗";

/// One generated corpus: all messages in one string, with their ends.
pub struct Corpus {
    pub text: String,
    pub ends: Vec<usize>,
}

impl Corpus {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    /// Total bytes of all messages.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
    /// FNV-1a over the messages and their boundaries: equal corpora, equal
    /// digests.
    pub fn digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.text.bytes().chain(self.ends.iter().flat_map(|e| (*e as u64).to_le_bytes())) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
    /// Length in characters of message `i`.
    pub fn chars(&self, i: usize) -> usize {
        self.get(i).chars().count()
    }
}

fn phone(r: &mut Rng, out: &mut String) {
    let prefixes = ["139", "138", "186", "177", "150", "188", "135", "199"];
    out.push_str(r.pick(&prefixes));
    for _ in 0..8 {
        out.push(char::from(b'0' + r.below(10) as u8));
    }
}

fn money(r: &mut Rng, out: &mut String) {
    let forms = ["{}元", "{}块", "¥{}", "{}万", "人民币{}元"];
    let form = r.pick(&forms);
    let amount = match r.below(4) {
        0 => r.below(100) + 1,
        1 => (r.below(100) + 1) * 100,
        2 => r.below(50_000) + 100,
        _ => (r.below(20) + 1) * 1000,
    };
    out.push_str(&form.replace("{}", &amount.to_string()));
}

fn wechat(r: &mut Rng, out: &mut String) {
    let cues = ["加微信", "加V：", "薇信 ", "ＶＸ：", "加我微信号"];
    out.push_str(r.pick(&cues));
    out.push_str("wxid_");
    for _ in 0..(6 + r.below(6)) {
        out.push(char::from(b'a' + r.below(26) as u8));
    }
}

fn url(r: &mut Rng, out: &mut String) {
    let hosts = ["http://t.cn/", "https://www.lc-", "www.dk", "https://app.fz"];
    out.push_str(r.pick(&hosts));
    for _ in 0..(4 + r.below(6)) {
        out.push(char::from(b'a' + r.below(26) as u8));
    }
    if r.percent(50) {
        out.push_str(".com");
    }
}

/// Full-width digits and Latin letters.
fn to_fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

fn to_traditional(s: &str) -> String {
    s.chars().map(|c| TRAD.iter().find(|(a, _)| *a == c).map_or(c, |(_, t)| *t)).collect()
}

/// Synthetic user-lexicon word number `i` (deterministic, 3 or 4
/// characters from `WORD_CHARS`). Words may repeat; [`user_words`] dedups.
fn synthetic_word(r: &mut Rng, chars: &[char]) -> String {
    let n = 3 + r.below(2);
    (0..n).map(|_| chars[r.below(chars.len())]).collect()
}

/// The first `n` distinct synthetic words, none equal to a word in `avoid`.
/// The list for a smaller `n` is a prefix of the list for a larger one.
pub fn user_words(n: usize, avoid: &[String]) -> Vec<String> {
    let chars: Vec<char> = WORD_CHARS.chars().collect();
    let mut r = Rng::new(SEED ^ 0x7573_6572); // "user"
    let mut seen: std::collections::HashSet<String> = avoid.iter().cloned().collect();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let w = synthetic_word(&mut r, &chars);
        if seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// A user lexicon (JSON) of `words` as fraud entries, types in rotation.
pub fn user_lexicon_json(words: &[String]) -> String {
    const TYPES: &[&str] = &[
        "task_rebate", "investment", "fake_loan", "fake_customer_service", "impersonate_authority", "credit_repair",
        "fake_shopping", "impersonate_acquaintance", "game_trade", "romance", "card_trafficking", "predatory_loan",
        "illegal_fundraising", "fake_prize", "insurance_benefit", "impersonate_military", "sextortion",
    ];
    let mut s = String::from("{\"entries\":[\n");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(&format!(
            "{{\"pattern\":\"{}\",\"kind\":\"fraud\",\"type\":\"{}\",\"weight\":{}}}",
            w,
            TYPES[i % TYPES.len()],
            1 + i % 3
        ));
    }
    s.push_str("\n]}");
    s
}

/// Append one phrase-level fragment of a random kind.
fn fragment(r: &mut Rng, out: &mut String, user_pool: &[String]) {
    let k = r.below(100);
    let mut piece = String::new();
    match k {
        0..=31 => piece.push_str(r.pick(CHATTER)),
        32..=53 => piece.push_str(r.pick(QUESTIONS)),
        54..=69 => piece.push_str(r.pick(NOTICES)),
        70..=86 => piece.push_str(r.pick(SCAMS)),
        87..=91 => piece.push_str(r.pick(VICTIMS)),
        92..=95 => {
            // A disguised keyword in a short lure.
            let lead = ["", "找", "招", "专业", "靠谱"];
            piece.push_str(r.pick(&lead));
            piece.push_str(r.pick(DISGUISES));
            let tail = ["", "日结", "详聊", "私聊", "秒回", "有意者联系"];
            piece.push_str(r.pick(&tail));
        }
        _ => {
            // A user-lexicon word, for the runs with user lexicons.
            if !user_pool.is_empty() {
                let lead = ["最近有", "听说", "", "注意"];
                piece.push_str(r.pick(&lead));
                piece.push_str(&user_pool[r.below(user_pool.len())]);
            } else {
                piece.push_str(r.pick(CHATTER));
            }
        }
    }
    if r.percent(8) {
        piece = to_traditional(&piece);
    }
    out.push_str(&piece);
    // Entities and decoration.
    if r.percent(6) {
        out.push_str(r.pick(&["电话", "联系", "手机", "tel:", "打"]));
        let mut p = String::new();
        phone(r, &mut p);
        if r.percent(20) {
            p = to_fullwidth(&p);
        }
        out.push_str(&p);
    }
    if r.percent(6) {
        out.push_str(r.pick(&["，转了", "，损失", "，日赚", "，共", " "]));
        money(r, out);
    }
    if r.percent(3) {
        out.push(' ');
        wechat(r, out);
    }
    if r.percent(2) {
        out.push(' ');
        url(r, out);
    }
    if r.percent(12) {
        out.push_str(r.pick(EMOJI));
    }
}

/// Generate `n` messages from `seed`. Messages may contain user-lexicon
/// words from the first 20,000 synthetic words (see [`user_words`]).
pub fn generate(n: usize, seed: u64) -> Corpus {
    let pool = user_words(20_000, &[]);
    let mut r = Rng::new(seed);
    let mut text = String::with_capacity(n * 64);
    let mut ends = Vec::with_capacity(n);
    let mut msg = String::new();
    for _ in 0..n {
        msg.clear();
        if r.percent(1) {
            // Long tail: a long notice or a pasted article, 200 to 2,000
            // characters (log-uniform).
            let target = (200.0 * 10f64.powf(r.below(1001) as f64 / 1000.0)) as usize;
            let mut chars = 0;
            while chars < target {
                let before = msg.len();
                fragment(&mut r, &mut msg, &pool);
                chars += msg[before..].chars().count();
                if r.percent(30) {
                    msg.push('\n');
                }
            }
            // Cut at the target length on a character boundary.
            if let Some((b, _)) = msg.char_indices().nth(target) {
                msg.truncate(b);
            }
        } else {
            // One to three fragments.
            let parts = match r.below(100) {
                0..=33 => 1,
                34..=77 => 2,
                _ => 3,
            };
            for p in 0..parts {
                if p > 0 {
                    msg.push_str(r.pick(&["，", " ", "。", "\n", "！", ""]));
                }
                fragment(&mut r, &mut msg, &pool);
            }
            if r.percent(4) {
                msg = to_fullwidth(&msg);
            }
        }
        text.push_str(&msg);
        ends.push(text.len());
    }
    Corpus { text, ends }
}

/// Messages of exactly `chars` characters each, cut from the corpus text
/// (messages joined by a newline), covering about `total_chars` characters.
pub fn fixed_length(corpus: &Corpus, chars: usize, total_chars: usize) -> Vec<String> {
    let count = (total_chars / chars).max(1);
    let mut out = Vec::with_capacity(count);
    let mut it = (0..corpus.len()).cycle().flat_map(|i| corpus.get(i).chars().chain(std::iter::once('\n')));
    for _ in 0..count {
        let s: String = (&mut it).take(chars).collect();
        out.push(s);
    }
    out
}

/// The baseline's own per-character fold, standing in for the engine's
/// normaliser (which the library does not expose): full-width ASCII to
/// ASCII, ASCII lower case, the Traditional characters of [`TRAD`] to
/// Simplified, and noise (anything but letters, digits and ideographs)
/// dropped; sentence breaks become `\n`.
pub struct Fold {
    trad: std::collections::HashMap<char, char>,
}

impl Fold {
    pub fn new() -> Fold {
        Fold { trad: TRAD.iter().map(|(s, t)| (*t, *s)).collect() }
    }

    pub fn fold(&self, s: &str, out: &mut String) {
        out.clear();
        for c in s.chars() {
            let u = c as u32;
            let c = if (0xFF01..=0xFF5E).contains(&u) { char::from_u32(u - 0xFEE0).unwrap_or(c) } else { c };
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    out.push(c.to_ascii_lowercase());
                } else if matches!(c, '\n' | '!' | '?') {
                    out.push('\n');
                }
                continue;
            }
            if c == '。' {
                out.push('\n');
                continue;
            }
            if c.is_alphanumeric() {
                out.push(self.trad.get(&c).copied().unwrap_or(c));
            }
        }
    }
}
