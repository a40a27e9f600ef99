//! The taxonomy's codes as `#[repr(u32)]` enums with explicit values, and
//! their `snake_case` names.

use std::ffi::{c_char, CString};
use std::ptr;

use once_cell::sync::Lazy;

use jingmin::{Category, EntityKind, FraudType, Role, Stance};

use super::status::guard_or;

/// Work categories (taxonomy §1). `jm_summary.category` holds one of these
/// codes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_category {
    /// `other` (其他).
    JM_CATEGORY_OTHER = 0,
    /// `legal_publicity` (法治宣传).
    JM_CATEGORY_LEGAL_PUBLICITY = 1,
    /// `reminder` (提醒告知).
    JM_CATEGORY_REMINDER = 2,
    /// `dispute` (化解矛盾).
    JM_CATEGORY_DISPUTE = 3,
    /// `safety` (安全防范).
    JM_CATEGORY_SAFETY = 4,
    /// `service` (便民服务).
    JM_CATEGORY_SERVICE = 5,
    /// `anomaly` (异常报告).
    JM_CATEGORY_ANOMALY = 6,
    /// `praise` (弘扬正气).
    JM_CATEGORY_PRAISE = 7,
}

/// Fraud types (taxonomy §2). `jm_summary.fraud_type` holds one of these
/// codes; `JM_FRAUD_TYPE_NONE` when the message has no fraud content.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_fraud_type {
    /// `none` (无).
    JM_FRAUD_TYPE_NONE = 0,
    /// `task_rebate` (刷单返利).
    JM_FRAUD_TYPE_TASK_REBATE = 1,
    /// `investment` (虚假投资理财).
    JM_FRAUD_TYPE_INVESTMENT = 2,
    /// `fake_loan` (虚假网络贷款).
    JM_FRAUD_TYPE_FAKE_LOAN = 3,
    /// `fake_customer_service` (冒充电商物流客服).
    JM_FRAUD_TYPE_FAKE_CUSTOMER_SERVICE = 4,
    /// `impersonate_authority` (冒充公检法).
    JM_FRAUD_TYPE_IMPERSONATE_AUTHORITY = 5,
    /// `credit_repair` (虚假征信).
    JM_FRAUD_TYPE_CREDIT_REPAIR = 6,
    /// `fake_shopping` (虚假购物服务).
    JM_FRAUD_TYPE_FAKE_SHOPPING = 7,
    /// `impersonate_acquaintance` (冒充领导熟人).
    JM_FRAUD_TYPE_IMPERSONATE_ACQUAINTANCE = 8,
    /// `game_trade` (网络游戏虚假交易).
    JM_FRAUD_TYPE_GAME_TRADE = 9,
    /// `romance` (网络婚恋交友).
    JM_FRAUD_TYPE_ROMANCE = 10,
    /// `card_trafficking` (帮信/出租出售两卡).
    JM_FRAUD_TYPE_CARD_TRAFFICKING = 11,
    /// `predatory_loan` (套路贷).
    JM_FRAUD_TYPE_PREDATORY_LOAN = 12,
    /// `illegal_fundraising` (非法集资).
    JM_FRAUD_TYPE_ILLEGAL_FUNDRAISING = 13,
    /// `fake_prize` (虚假中奖).
    JM_FRAUD_TYPE_FAKE_PRIZE = 14,
    /// `insurance_benefit` (冒充医保社保).
    JM_FRAUD_TYPE_INSURANCE_BENEFIT = 15,
    /// `impersonate_military` (冒充军警购物).
    JM_FRAUD_TYPE_IMPERSONATE_MILITARY = 16,
    /// `sextortion` (裸聊敲诈).
    JM_FRAUD_TYPE_SEXTORTION = 17,
    /// `generic` (泛诈骗).
    JM_FRAUD_TYPE_GENERIC = 99,
}

/// Stances (taxonomy §2). `jm_summary.stance` holds one of these codes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_stance {
    /// `none` (无): no fraud content.
    JM_STANCE_NONE = 0,
    /// `warning` (预警宣传).
    JM_STANCE_WARNING = 1,
    /// `inquiry` (求证咨询).
    JM_STANCE_INQUIRY = 2,
    /// `solicitation` (诈骗引流).
    JM_STANCE_SOLICITATION = 3,
    /// `victim_report` (受害报告).
    JM_STANCE_VICTIM_REPORT = 4,
}

/// Entity kinds (taxonomy §3), as named by `jm_entity_kind_name`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_entity_kind {
    /// `phone` (电话).
    JM_ENTITY_KIND_PHONE = 1,
    /// `url` (网址).
    JM_ENTITY_KIND_URL = 2,
    /// `id_card` (身份证号).
    JM_ENTITY_KIND_ID_CARD = 3,
    /// `bank_card` (银行卡号).
    JM_ENTITY_KIND_BANK_CARD = 4,
    /// `money` (金额).
    JM_ENTITY_KIND_MONEY = 5,
    /// `wechat_id` (微信号).
    JM_ENTITY_KIND_WECHAT_ID = 6,
    /// `qq_number` (QQ号).
    JM_ENTITY_KIND_QQ_NUMBER = 7,
    /// `license_plate` (车牌).
    JM_ENTITY_KIND_LICENSE_PLATE = 8,
}

/// Sender roles (taxonomy §4), passed in the role bits of `flags` or in the
/// `roles` array of `jm_analyze_batch_ex`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_role {
    /// `unknown` (未知).
    JM_ROLE_UNKNOWN = 0,
    /// `police` (民警).
    JM_ROLE_POLICE = 1,
    /// `resident` (群众).
    JM_ROLE_RESIDENT = 2,
}

// ---------------------------------------------------------------------------
// Names of the codes.

/// A table of NUL-terminated names, indexed by code.
pub(crate) struct Names(Vec<(u32, CString)>);

impl Names {
    fn new(entries: impl Iterator<Item = (u32, &'static str)>) -> Self {
        Names(entries.filter_map(|(code, name)| CString::new(name).ok().map(|c| (code, c))).collect())
    }

    fn get(&self, code: u32) -> *const c_char {
        self.0.iter().find(|(c, _)| *c == code).map_or(ptr::null(), |(_, name)| name.as_ptr())
    }
}

pub(crate) static CATEGORY_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Category::ALL.iter().map(|c| (c.code(), c.name()))));
pub(crate) static FRAUD_TYPE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(FraudType::ALL.iter().map(|c| (c.code(), c.name()))));
pub(crate) static STANCE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Stance::ALL.iter().map(|c| (c.code(), c.name()))));
pub(crate) static ENTITY_KIND_NAMES: Lazy<Names> =
    Lazy::new(|| Names::new(EntityKind::ALL.iter().map(|c| (c.code(), c.name()))));
pub(crate) static ROLE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Role::ALL.iter().map(|c| (c.code(), c.name()))));

/// The `snake_case` name of a `jm_category` code (`"safety"`, as in the
/// JSON), or NULL for an unknown code. Static string: never freed.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn jm_category_name(code: u32) -> *const c_char {
    guard_or(ptr::null(), || CATEGORY_NAMES.get(code))
}

/// The `snake_case` name of a `jm_fraud_type` code, or NULL for an unknown
/// code. Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_fraud_type_name(code: u32) -> *const c_char {
    guard_or(ptr::null(), || FRAUD_TYPE_NAMES.get(code))
}

/// The `snake_case` name of a `jm_stance` code, or NULL for an unknown code.
/// Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_stance_name(code: u32) -> *const c_char {
    guard_or(ptr::null(), || STANCE_NAMES.get(code))
}

/// The `snake_case` name of a `jm_entity_kind` code, or NULL for an unknown
/// code. Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_entity_kind_name(code: u32) -> *const c_char {
    guard_or(ptr::null(), || ENTITY_KIND_NAMES.get(code))
}

/// The `snake_case` name of a `jm_role` code, or NULL for an unknown code.
/// Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_role_name(code: u32) -> *const c_char {
    guard_or(ptr::null(), || ROLE_NAMES.get(code))
}
