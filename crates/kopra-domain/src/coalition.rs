//! Buying and selling coalitions (domain.md §11, the office's approach): UMKM brought into
//! a cooperative to buy materials together and sell together — the doll cluster around
//! Bantargebang is the model case. The office records the coalition's joint transactions
//! and shows what they achieved.
//!
//! Rules:
//! - money is integer Rupiah and never negative (domain.md §4); a quantity is a measure
//!   (12.5 kg of dacron), not money, so it is an `f64` and must be above zero;
//! - a coalition records only what its purpose allows: a joint-selling coalition cannot
//!   record a purchase, a joint-buying one cannot record a sale;
//! - `individual_value` — what the members would have paid buying alone — is only for
//!   purchases; on a sale it is refused (not silently ignored), so nobody believes a figure
//!   that counts for nothing;
//! - savings = Σ over purchases with an `individual_value` of (individual_value − value).
//!   A joint purchase that cost more than buying alone gives a negative saving; it is kept,
//!   not clipped at zero, so a bad deal shows.

use crate::code_enum::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The longest goods description, in characters.
pub const GOODS_MAX: usize = 200;
/// The longest unit, in characters.
pub const UNIT_MAX: usize = 30;

code_enum! {
    /// What a coalition does together.
    pub enum Purpose {
        JointBuying => "joint_buying", "Pembelian bersama", "Joint buying";
        JointSelling => "joint_selling", "Penjualan bersama", "Joint selling";
        Both => "both", "Pembelian dan penjualan bersama", "Joint buying and selling";
    }
}

impl Purpose {
    /// Whether a coalition with this purpose records transactions of `kind`.
    pub fn allows(self, kind: TransactionKind) -> bool {
        matches!(
            (self, kind),
            (Purpose::Both, _)
                | (Purpose::JointBuying, TransactionKind::Purchase)
                | (Purpose::JointSelling, TransactionKind::Sale)
        )
    }
}

code_enum! {
    pub enum TransactionKind {
        Purchase => "purchase", "Pembelian", "Purchase";
        Sale => "sale", "Penjualan", "Sale";
    }
}

code_enum! {
    /// A coalition's life: drafted, running, paused, ended.
    pub enum CoalitionStatus {
        Draft => "draft", "Rancangan", "Draft";
        Active => "active", "Berjalan", "Active";
        Paused => "paused", "Dihentikan sementara", "Paused";
        Ended => "ended", "Selesai", "Ended";
    }
}

/// Why one field of a transaction was refused. The `code` is stable (message key
/// `coalition.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TransactionError {
    #[error("required")]
    Required,
    #[error("too_long")]
    TooLong,
    #[error("negative")]
    Negative,
    /// Zero, negative or not a number where a positive quantity is needed.
    #[error("not_positive")]
    NotPositive,
    #[error("date_in_future")]
    DateInFuture,
    /// The coalition's purpose does not allow this kind of transaction.
    #[error("kind_not_allowed")]
    KindNotAllowed,
    /// An individual value on a sale.
    #[error("only_for_purchase")]
    OnlyForPurchase,
    /// The same member listed twice.
    #[error("duplicate")]
    Duplicate,
}

impl TransactionError {
    pub fn code(self) -> &'static str {
        match self {
            TransactionError::Required => "required",
            TransactionError::TooLong => "too_long",
            TransactionError::Negative => "negative",
            TransactionError::NotPositive => "not_positive",
            TransactionError::DateInFuture => "date_in_future",
            TransactionError::KindNotAllowed => "kind_not_allowed",
            TransactionError::OnlyForPurchase => "only_for_purchase",
            TransactionError::Duplicate => "duplicate",
        }
    }
}

/// Errors keyed by field name, in a stable order; the first error per field is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionErrors(pub BTreeMap<&'static str, TransactionError>);

impl TransactionErrors {
    pub fn add(&mut self, field: &'static str, error: TransactionError) {
        self.0.entry(field).or_insert(error);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<TransactionError> {
        self.0.get(field).copied()
    }
}

/// A joint transaction as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionInput {
    pub kind: TransactionKind,
    pub date: Date,
    pub goods: String,
    pub quantity: f64,
    pub unit: String,
    /// What the coalition paid (purchase) or received (sale), integer Rupiah.
    pub value: i64,
    /// Purchases only: what the members would have paid buying alone.
    #[serde(default)]
    pub individual_value: Option<i64>,
    /// The UMKM members taking part.
    pub member_ids: Vec<i64>,
}

/// A valid joint transaction (text trimmed, members sorted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub kind: TransactionKind,
    pub date: Date,
    pub goods: String,
    pub quantity: f64,
    pub unit: String,
    pub value: i64,
    pub individual_value: Option<i64>,
    pub member_ids: Vec<i64>,
}

impl Transaction {
    /// individual_value − value for a purchase with an individual value; else none.
    pub fn saving(&self) -> Option<i64> {
        match (self.kind, self.individual_value) {
            (TransactionKind::Purchase, Some(alone)) => Some(alone - self.value),
            _ => None,
        }
    }
}

impl TransactionInput {
    /// Checks every field at once for a coalition with `purpose`, as of `today`.
    pub fn validate(&self, purpose: Purpose, today: Date) -> Result<Transaction, TransactionErrors> {
        let mut e = TransactionErrors::default();
        if !purpose.allows(self.kind) {
            e.add("kind", TransactionError::KindNotAllowed);
        }
        if self.date > today {
            e.add("date", TransactionError::DateInFuture);
        }
        let goods = self.goods.trim();
        if goods.is_empty() {
            e.add("goods", TransactionError::Required);
        } else if goods.chars().count() > GOODS_MAX {
            e.add("goods", TransactionError::TooLong);
        }
        if !(self.quantity.is_finite() && self.quantity > 0.0) {
            e.add("quantity", TransactionError::NotPositive);
        }
        let unit = self.unit.trim();
        if unit.is_empty() {
            e.add("unit", TransactionError::Required);
        } else if unit.chars().count() > UNIT_MAX {
            e.add("unit", TransactionError::TooLong);
        }
        if self.value < 0 {
            e.add("value", TransactionError::Negative);
        }
        if let Some(alone) = self.individual_value {
            if self.kind == TransactionKind::Sale {
                e.add("individual_value", TransactionError::OnlyForPurchase);
            } else if alone < 0 {
                e.add("individual_value", TransactionError::Negative);
            }
        }
        if self.member_ids.is_empty() {
            e.add("member_ids", TransactionError::Required);
        }
        let members: BTreeSet<i64> = self.member_ids.iter().copied().collect();
        if members.len() != self.member_ids.len() {
            e.add("member_ids", TransactionError::Duplicate);
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Transaction {
            kind: self.kind,
            date: self.date,
            goods: goods.to_string(),
            quantity: self.quantity,
            unit: unit.to_string(),
            value: self.value,
            individual_value: self.individual_value,
            member_ids: members.into_iter().collect(),
        })
    }
}

/// Σ over purchases with an individual value of (individual_value − value); may be
/// negative.
pub fn savings(transactions: &[Transaction]) -> i64 {
    transactions.iter().filter_map(Transaction::saving).sum()
}

/// What a coalition did in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthOutcome {
    pub year: i32,
    /// 1…12.
    pub month: u8,
    pub purchases: usize,
    pub sales: usize,
    pub purchases_value: i64,
    pub sales_value: i64,
    pub savings: i64,
}

/// One row per month that has transactions, oldest first.
pub fn outcomes_by_month(transactions: &[Transaction]) -> Vec<MonthOutcome> {
    let mut months: BTreeMap<(i32, u8), MonthOutcome> = BTreeMap::new();
    for t in transactions {
        let (year, month) = (t.date.year(), t.date.month() as u8);
        let m = months.entry((year, month)).or_insert(MonthOutcome {
            year,
            month,
            purchases: 0,
            sales: 0,
            purchases_value: 0,
            sales_value: 0,
            savings: 0,
        });
        match t.kind {
            TransactionKind::Purchase => {
                m.purchases += 1;
                m.purchases_value += t.value;
            }
            TransactionKind::Sale => {
                m.sales += 1;
                m.sales_value += t.value;
            }
        }
        m.savings += t.saving().unwrap_or(0);
    }
    months.into_values().collect()
}

impl From<TransactionErrors> for crate::FieldErrors {
    /// The transaction's errors as field errors (the codes the web layer translates).
    fn from(e: TransactionErrors) -> Self {
        use crate::FieldError as F;
        let mut out = crate::FieldErrors::default();
        for (field, error) in e.0 {
            out.add(
                field,
                match error {
                    TransactionError::Required => F::Required,
                    TransactionError::TooLong => F::TooLong,
                    TransactionError::Negative => F::Negative,
                    TransactionError::NotPositive => F::NotPositive,
                    TransactionError::DateInFuture => F::DateInFuture,
                    TransactionError::KindNotAllowed => F::KindNotAllowed,
                    TransactionError::OnlyForPurchase => F::OnlyForPurchase,
                    TransactionError::Duplicate => F::AlreadyUsed,
                },
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 07 - 31);

    fn purchase(date: Date, value: i64, alone: Option<i64>) -> TransactionInput {
        TransactionInput {
            kind: TransactionKind::Purchase,
            date,
            goods: "Kain velboa".into(),
            quantity: 250.0,
            unit: "meter".into(),
            value,
            individual_value: alone,
            member_ids: vec![3, 1, 2],
        }
    }

    fn sale(date: Date, value: i64) -> TransactionInput {
        TransactionInput {
            kind: TransactionKind::Sale,
            goods: "Boneka 30 cm".into(),
            quantity: 1200.0,
            unit: "buah".into(),
            individual_value: None,
            ..purchase(date, value, None)
        }
    }

    fn valid(inputs: &[TransactionInput]) -> Vec<Transaction> {
        inputs
            .iter()
            .map(|t| t.validate(Purpose::Both, TODAY).unwrap())
            .collect()
    }

    #[test]
    fn a_valid_purchase_is_trimmed_and_its_members_sorted() {
        let t = TransactionInput {
            goods: "  Dakron  ".into(),
            quantity: 12.5,
            unit: " kg ".into(),
            ..purchase(date!(2025 - 03 - 05), 1_500_000, Some(1_800_000))
        }
        .validate(Purpose::JointBuying, TODAY)
        .unwrap();
        assert_eq!((t.goods.as_str(), t.unit.as_str(), t.quantity), ("Dakron", "kg", 12.5));
        assert_eq!(t.member_ids, vec![1, 2, 3]);
        assert_eq!(t.saving(), Some(300_000));
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let bad = TransactionInput {
            kind: TransactionKind::Sale,
            date: date!(2025 - 08 - 01),
            goods: " ".into(),
            quantity: 0.0,
            unit: "".into(),
            value: -1,
            individual_value: Some(10),
            member_ids: vec![4, 4],
        };
        let e = bad.validate(Purpose::JointBuying, TODAY).unwrap_err();
        assert_eq!(e.get("kind"), Some(TransactionError::KindNotAllowed));
        assert_eq!(e.get("date"), Some(TransactionError::DateInFuture));
        assert_eq!(e.get("goods"), Some(TransactionError::Required));
        assert_eq!(e.get("quantity"), Some(TransactionError::NotPositive));
        assert_eq!(e.get("unit"), Some(TransactionError::Required));
        assert_eq!(e.get("value"), Some(TransactionError::Negative));
        assert_eq!(e.get("individual_value"), Some(TransactionError::OnlyForPurchase));
        assert_eq!(e.get("member_ids"), Some(TransactionError::Duplicate));
        let no_members = TransactionInput {
            member_ids: vec![],
            quantity: f64::NAN,
            ..purchase(TODAY, 0, Some(-5))
        };
        let e = no_members.validate(Purpose::Both, TODAY).unwrap_err();
        assert_eq!(e.get("member_ids"), Some(TransactionError::Required));
        assert_eq!(e.get("quantity"), Some(TransactionError::NotPositive));
        assert_eq!(e.get("individual_value"), Some(TransactionError::Negative));
        assert_eq!(e.get("value"), None, "a zero value is allowed");
    }

    #[test]
    fn the_purpose_decides_what_may_be_recorded() {
        let p = purchase(TODAY, 1, None);
        let s = sale(TODAY, 1);
        assert!(p.validate(Purpose::JointBuying, TODAY).is_ok());
        assert_eq!(
            p.validate(Purpose::JointSelling, TODAY).unwrap_err().get("kind"),
            Some(TransactionError::KindNotAllowed)
        );
        assert!(s.validate(Purpose::JointSelling, TODAY).is_ok());
        assert!(s.validate(Purpose::JointBuying, TODAY).is_err());
        assert!(p.validate(Purpose::Both, TODAY).is_ok() && s.validate(Purpose::Both, TODAY).is_ok());
    }

    #[test]
    fn savings_and_months_from_a_doll_cluster_quarter() {
        // March: velboa for Rp15,000,000 (Rp18,000,000 alone) and dacron for Rp4,000,000
        //   (no individual price asked); 1,200 dolls sold for Rp36,000,000.
        // April: thread for Rp2,600,000 that would have cost Rp2,500,000 alone (−Rp100,000).
        // June: 800 dolls sold for Rp24,000,000.
        let t = valid(&[
            purchase(date!(2025 - 03 - 05), 15_000_000, Some(18_000_000)),
            purchase(date!(2025 - 03 - 20), 4_000_000, None),
            sale(date!(2025 - 03 - 28), 36_000_000),
            purchase(date!(2025 - 04 - 10), 2_600_000, Some(2_500_000)),
            sale(date!(2025 - 06 - 30), 24_000_000),
        ]);
        assert_eq!(savings(&t), 3_000_000 - 100_000);
        assert_eq!(
            outcomes_by_month(&t),
            vec![
                MonthOutcome {
                    year: 2025,
                    month: 3,
                    purchases: 2,
                    sales: 1,
                    purchases_value: 19_000_000,
                    sales_value: 36_000_000,
                    savings: 3_000_000,
                },
                MonthOutcome {
                    year: 2025,
                    month: 4,
                    purchases: 1,
                    sales: 0,
                    purchases_value: 2_600_000,
                    sales_value: 0,
                    savings: -100_000,
                },
                MonthOutcome {
                    year: 2025,
                    month: 6,
                    purchases: 0,
                    sales: 1,
                    purchases_value: 0,
                    sales_value: 24_000_000,
                    savings: 0,
                },
            ]
        );
        assert_eq!(savings(&[]), 0);
        assert!(outcomes_by_month(&[]).is_empty());
    }

    #[test]
    fn codes() {
        assert_eq!(
            Purpose::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            ["joint_buying", "joint_selling", "both"]
        );
        assert_eq!(TransactionKind::from_code("sale"), Some(TransactionKind::Sale));
        assert_eq!(
            CoalitionStatus::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            ["draft", "active", "paused", "ended"]
        );
        assert_eq!(
            serde_json::to_string(&Purpose::JointSelling).unwrap(),
            "\"joint_selling\""
        );
        assert_eq!(TransactionError::OnlyForPurchase.code(), "only_for_purchase");
    }
}
