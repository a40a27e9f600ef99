//! The codes of the taxonomy: work categories, fraud types, stances, entity
//! kinds and sender roles.
//!
//! Every enum has a stable numeric code (the `#[repr(u32)]` discriminant, the
//! same number the C header uses) and a stable `snake_case` name (the JSON,
//! Python and Rust spelling). Codes never change meaning once released: new
//! values are appended.
//!
//! ```
//! use jingmin::{Category, FraudType};
//!
//! assert_eq!(Category::Safety.code(), 4);
//! assert_eq!(Category::from_name("praise"), Some(Category::Praise));
//! assert_eq!(FraudType::from_code(99), Some(FraudType::Generic));
//! assert_eq!(FraudType::TaskRebate.name(), "task_rebate");
//! ```

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $text:literal, $zh:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u32)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $text, "` (", $zh, "), code ", stringify!($code), ".")] $variant = $code ),+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The stable numeric code.
            pub const fn code(self) -> u32 {
                self as u32
            }

            /// The stable `snake_case` name used in JSON.
            pub const fn name(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }

            /// The Chinese label.
            pub const fn label_zh(self) -> &'static str {
                match self { $( $name::$variant => $zh ),+ }
            }

            /// The value with this code, if any.
            pub const fn from_code(code: u32) -> Option<Self> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// The value with this `snake_case` name, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $text => Some($name::$variant), )+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

coded_enum! {
    /// The work category of a message (taxonomy §1): one primary per message.
    #[derive(Default)]
    pub enum Category {
        #[default]
        Other = 0 => "other", "其他",
        LegalPublicity = 1 => "legal_publicity", "法治宣传",
        Reminder = 2 => "reminder", "提醒告知",
        Dispute = 3 => "dispute", "化解矛盾",
        Safety = 4 => "safety", "安全防范",
        Service = 5 => "service", "便民服务",
        Anomaly = 6 => "anomaly", "异常报告",
        Praise = 7 => "praise", "弘扬正气",
    }
}

coded_enum! {
    /// A fraud type (taxonomy §2). `None` is only used where a code is needed
    /// for "no fraud type"; [`crate::FraudAssessment::types`] never contains it.
    pub enum FraudType {
        None = 0 => "none", "无",
        TaskRebate = 1 => "task_rebate", "刷单返利",
        Investment = 2 => "investment", "虚假投资理财",
        FakeLoan = 3 => "fake_loan", "虚假网络贷款",
        FakeCustomerService = 4 => "fake_customer_service", "冒充电商物流客服",
        ImpersonateAuthority = 5 => "impersonate_authority", "冒充公检法",
        CreditRepair = 6 => "credit_repair", "虚假征信",
        FakeShopping = 7 => "fake_shopping", "虚假购物服务",
        ImpersonateAcquaintance = 8 => "impersonate_acquaintance", "冒充领导熟人",
        GameTrade = 9 => "game_trade", "网络游戏虚假交易",
        Romance = 10 => "romance", "网络婚恋交友",
        CardTrafficking = 11 => "card_trafficking", "帮信/出租出售两卡",
        PredatoryLoan = 12 => "predatory_loan", "套路贷",
        IllegalFundraising = 13 => "illegal_fundraising", "非法集资",
        FakePrize = 14 => "fake_prize", "虚假中奖",
        InsuranceBenefit = 15 => "insurance_benefit", "冒充医保社保",
        ImpersonateMilitary = 16 => "impersonate_military", "冒充军警购物",
        Sextortion = 17 => "sextortion", "裸聊敲诈",
        Generic = 99 => "generic", "泛诈骗",
    }
}

coded_enum! {
    /// What a message does with fraud content (taxonomy §2).
    #[derive(Default)]
    pub enum Stance {
        #[default]
        None = 0 => "none", "无",
        Warning = 1 => "warning", "预警宣传",
        Inquiry = 2 => "inquiry", "求证咨询",
        Solicitation = 3 => "solicitation", "诈骗引流",
        VictimReport = 4 => "victim_report", "受害报告",
    }
}

coded_enum! {
    /// The kind of an entity (indicator) found in a message (taxonomy §3).
    pub enum EntityKind {
        Phone = 1 => "phone", "电话",
        Url = 2 => "url", "网址",
        IdCard = 3 => "id_card", "身份证号",
        BankCard = 4 => "bank_card", "银行卡号",
        Money = 5 => "money", "金额",
        WechatId = 6 => "wechat_id", "微信号",
        QqNumber = 7 => "qq_number", "QQ号",
        LicensePlate = 8 => "license_plate", "车牌",
    }
}

coded_enum! {
    /// Who sent a message (taxonomy §4).
    #[derive(Default)]
    pub enum Role {
        #[default]
        Unknown = 0 => "unknown", "未知",
        Police = 1 => "police", "民警",
        Resident = 2 => "resident", "群众",
    }
}


impl EntityKind {
    /// Whether values of this kind are personal data, masked in every output
    /// unless raw output is asked for.
    pub const fn is_personal(self) -> bool {
        matches!(self, EntityKind::Phone | EntityKind::IdCard | EntityKind::BankCard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(*c));
            assert_eq!(Category::from_name(c.name()), Some(*c));
            assert_eq!(serde_json::to_string(c).unwrap(), format!("\"{}\"", c.name()));
        }
        for t in FraudType::ALL {
            assert_eq!(FraudType::from_code(t.code()), Some(*t));
            assert_eq!(FraudType::from_name(t.name()), Some(*t));
        }
        for s in Stance::ALL {
            assert_eq!(Stance::from_name(s.name()), Some(*s));
        }
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::from_code(k.code()), Some(*k));
        }
    }

    #[test]
    fn codes_match_the_taxonomy() {
        assert_eq!(Category::ALL.len(), 8);
        assert_eq!(Category::Praise.code(), 7);
        assert_eq!(FraudType::Sextortion.code(), 17);
        assert_eq!(FraudType::Generic.code(), 99);
        assert_eq!(FraudType::from_code(18), None);
        assert_eq!(Stance::VictimReport.code(), 4);
        assert_eq!(EntityKind::LicensePlate.code(), 8);
        assert_eq!(EntityKind::from_code(0), None);
    }
}
