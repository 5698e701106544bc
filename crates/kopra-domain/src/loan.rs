//! Soft-loan facilitation (domain.md §8): the office helps cooperatives and UMKM reach
//! soft loans — LPDB-KUMKM, KUR, Himbara loans to Koperasi Merah Putih (PMK 49/2025), the
//! Kota Bekasi revolving fund through BPRS Patriot — it does not lend.
//!
//! Two things live here:
//! - **the pipeline** every channel fits (domain.md §8): prepared → submitted →
//!   administrative check passed → judged feasible → contract → disbursed → repaying, or
//!   rejected with a reason. [`transition`] allows a move only to the *next* stage (a file
//!   goes through every step, so the office's record shows when each was passed), or to
//!   rejected with a non-empty reason from any stage up to and including the contract.
//!   Once the money is disbursed the lender's decision is behind it: trouble after that is
//!   arrears, recorded on the loan, not a rejection. Nothing leaves rejected or repaying
//!   (a rejected file that is tried again is a new application), and nothing moves back;
//! - **the readiness check** before submission (about half of LPDB proposals fail the
//!   administrative check). Each channel's criteria and documents are configuration,
//!   `data/loans/<channel>.json` ([`ChannelCriteria`]), evaluated against what the register
//!   knows ([`ReadinessFacts`]) by [`evaluate`]. A fact the register does not hold counts
//!   as **not met**, and the detail says it is not on record, so the office knows what to
//!   ask for.
//!
//! Boundaries: "RAT within N years" is inclusive at both ends — a RAT held exactly N years
//! before `today` counts (the closed window `[today − N years, today]`; unlike the active
//! status of domain.md §5, whose window is open at its start, a lender's "within the last
//! 2 years" is read generously here and the officer checks the reports anyway). "Business
//! running ≥ N months" counts whole calendar months from the start date: started 1 January,
//! 6 months are reached on 1 July.

use crate::code_enum::code_enum;
use crate::format::{date_en, date_id, rupiah};
use crate::status::add_years;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::{Date, Month};

code_enum! {
    /// Where a soft loan comes from (domain.md §8).
    pub enum Channel {
        /// LPDB-KUMKM, the ministry's revolving-fund agency.
        Lpdb => "lpdb", "LPDB-KUMKM", "LPDB-KUMKM";
        /// Kredit Usaha Rakyat (Permenko 1/2022 as amended), bank credit to UMKM.
        Kur => "kur", "KUR", "KUR";
        /// State banks' loans to Koperasi Desa/Kelurahan Merah Putih (PMK 49/2025).
        Himbara => "himbara", "Himbara (Koperasi Merah Putih)", "Himbara (Koperasi Merah Putih)";
        /// Kota Bekasi's revolving fund through BPRS Patriot.
        Bprs => "bprs", "Dana bergulir BPRS Patriot", "BPRS Patriot revolving fund";
        Other => "other", "Lainnya", "Other";
    }
}

code_enum! {
    /// A stage of the loan pipeline (domain.md §8), in order; `Rejected` last.
    pub enum Stage {
        Prepared => "prepared", "Disiapkan", "Prepared";
        Submitted => "submitted", "Diajukan", "Submitted";
        AdminPassed => "admin_passed", "Lolos verifikasi administrasi", "Administrative check passed";
        Feasible => "feasible", "Dinilai layak", "Judged feasible";
        Contract => "contract", "Akad/perjanjian", "Contract signed";
        Disbursed => "disbursed", "Dicairkan", "Disbursed";
        Repaying => "repaying", "Masa angsuran", "Repaying";
        Rejected => "rejected", "Ditolak", "Rejected";
    }
}

impl Stage {
    /// The stage after this one; none after repaying and after rejected.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Prepared => Some(Stage::Submitted),
            Stage::Submitted => Some(Stage::AdminPassed),
            Stage::AdminPassed => Some(Stage::Feasible),
            Stage::Feasible => Some(Stage::Contract),
            Stage::Contract => Some(Stage::Disbursed),
            Stage::Disbursed => Some(Stage::Repaying),
            Stage::Repaying | Stage::Rejected => None,
        }
    }

    /// Repaying and rejected are final: no move leaves them.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Repaying | Stage::Rejected)
    }

    /// Whether a file at this stage can still be rejected (up to and including the
    /// contract; see the module documentation).
    pub fn can_be_rejected(self) -> bool {
        self <= Stage::Contract
    }
}

/// Why a stage change was refused. The `code` is stable (message key `loan.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code")]
pub enum StageError {
    /// `to` is the stage the file is already at.
    #[error("stage_unchanged")]
    #[serde(rename = "stage_unchanged")]
    Unchanged { stage: Stage },
    /// Nothing leaves repaying or rejected.
    #[error("stage_final")]
    #[serde(rename = "stage_final")]
    FromFinal { from: Stage },
    #[error("stage_backwards")]
    #[serde(rename = "stage_backwards")]
    Backwards { from: Stage, to: Stage },
    /// Only the next stage may follow.
    #[error("stage_skipped")]
    #[serde(rename = "stage_skipped")]
    Skipped { from: Stage, to: Stage, next: Stage },
    #[error("rejection_reason_required")]
    #[serde(rename = "rejection_reason_required")]
    ReasonRequired,
    /// Disbursed files cannot be rejected.
    #[error("rejection_after_disbursement")]
    #[serde(rename = "rejection_after_disbursement")]
    RejectedTooLate { from: Stage },
}

impl StageError {
    pub fn code(self) -> &'static str {
        match self {
            StageError::Unchanged { .. } => "stage_unchanged",
            StageError::FromFinal { .. } => "stage_final",
            StageError::Backwards { .. } => "stage_backwards",
            StageError::Skipped { .. } => "stage_skipped",
            StageError::ReasonRequired => "rejection_reason_required",
            StageError::RejectedTooLate { .. } => "rejection_after_disbursement",
        }
    }
}

/// Whether a file may move from `from` to `to`. `reason` is required (non-blank) for a
/// rejection and ignored otherwise (the caller may keep it as a note).
pub fn transition(from: Stage, to: Stage, reason: Option<&str>) -> Result<(), StageError> {
    if from == to {
        return Err(StageError::Unchanged { stage: from });
    }
    if from.is_final() {
        return Err(StageError::FromFinal { from });
    }
    if to == Stage::Rejected {
        if !from.can_be_rejected() {
            return Err(StageError::RejectedTooLate { from });
        }
        if reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(StageError::ReasonRequired);
        }
        return Ok(());
    }
    if to < from {
        return Err(StageError::Backwards { from, to });
    }
    match from.next() {
        Some(next) if next == to => Ok(()),
        Some(next) => Err(StageError::Skipped { from, to, next }),
        None => Err(StageError::FromFinal { from }),
    }
}

code_enum! {
    /// The health category of a savings-and-loan cooperative (domain.md §6), worst first,
    /// so that `a >= b` reads "at least as healthy". Codes as in `data/health/*.json`.
    pub enum HealthCategory {
        DalamPengawasanKhusus => "dalam_pengawasan_khusus", "Dalam Pengawasan Khusus", "Under special supervision";
        DalamPengawasan => "dalam_pengawasan", "Dalam Pengawasan", "Under supervision";
        CukupSehat => "cukup_sehat", "Cukup Sehat", "Fairly healthy";
        Sehat => "sehat", "Sehat", "Healthy";
    }
}

/// One channel's readiness criteria and documents (`data/loans/<channel>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelCriteria {
    pub channel: Channel,
    pub title: String,
    /// Where the rule comes from, e.g. "domain.md §8; Peraturan LPDB".
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub documents: Vec<DocumentSpec>,
}

/// One criterion: a code, labels and a kind with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    #[serde(flatten)]
    pub kind: CriterionKind,
}

/// What a criterion checks (JSON: `"kind"` plus its parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CriterionKind {
    /// Badan hukum: a legal-entity status (or number) on record.
    LegalEntity,
    /// A RAT held within `[today − years, today]`.
    RatWithinYears {
        years: i32,
    },
    /// The latest reported book year's SHU is above zero.
    PositiveShuLastBookYear,
    /// No arrears recorded on earlier loans of `channel`.
    NoArrears {
        channel: Channel,
    },
    /// NIK Koperasi on record.
    HasNik,
    HasNib,
    HasNpwp,
    HasBankAccount,
    /// A real office: an address on record.
    HasOfficeAddress,
    /// The business has run at least `months` whole months.
    BusinessRunningMonths {
        months: u32,
    },
    /// Active by the status rule of domain.md §5.
    ActiveStatus,
    /// A health assessment (domain.md §6) in `category` or better.
    HealthAtLeast {
        category: HealthCategory,
    },
}

/// A document the channel asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSpec {
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    /// When the document is asked for only in some cases ("Khusus KSP/KSPPS").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_en: Option<String>,
}

/// Why a channel configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not JSON of the expected shape (this includes an unknown criterion kind or channel).
    #[error("config_json: {0}")]
    Json(String),
    #[error("config_no_criteria")]
    NoCriteria,
    #[error("config_empty_field: {0}")]
    EmptyField(String),
    #[error("config_duplicate_code: {0}")]
    DuplicateCode(String),
    /// A parameter out of range (years or months not above zero).
    #[error("config_parameter: {0}")]
    Parameter(String),
}

impl ChannelCriteria {
    /// Parses and checks a configuration: at least one criterion; codes and labels
    /// non-blank; criterion codes and document codes unique; years and months above zero.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let c: ChannelCriteria = serde_json::from_str(json).map_err(|e| ConfigError::Json(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.title.trim().is_empty() {
            return Err(ConfigError::EmptyField("title".into()));
        }
        if self.source.trim().is_empty() {
            return Err(ConfigError::EmptyField("source".into()));
        }
        if self.criteria.is_empty() {
            return Err(ConfigError::NoCriteria);
        }
        let mut codes = BTreeSet::new();
        for c in &self.criteria {
            for (field, v) in [("code", &c.code), ("label_id", &c.label_id), ("label_en", &c.label_en)] {
                if v.trim().is_empty() {
                    return Err(ConfigError::EmptyField(format!("criteria[{}].{field}", c.code)));
                }
            }
            if !codes.insert(c.code.as_str()) {
                return Err(ConfigError::DuplicateCode(c.code.clone()));
            }
            match c.kind {
                CriterionKind::RatWithinYears { years } if years <= 0 => {
                    return Err(ConfigError::Parameter(format!("{}: years", c.code)));
                }
                CriterionKind::BusinessRunningMonths { months: 0 } => {
                    return Err(ConfigError::Parameter(format!("{}: months", c.code)));
                }
                _ => {}
            }
        }
        let mut docs = BTreeSet::new();
        for d in &self.documents {
            for (field, v) in [("code", &d.code), ("label_id", &d.label_id), ("label_en", &d.label_en)] {
                if v.trim().is_empty() {
                    return Err(ConfigError::EmptyField(format!("documents[{}].{field}", d.code)));
                }
            }
            if !docs.insert(d.code.as_str()) {
                return Err(ConfigError::DuplicateCode(d.code.clone()));
            }
        }
        Ok(())
    }
}

/// What the register knows about a cooperative or UMKM, for the readiness check. `None`
/// means the register does not know; an unknown fact never meets a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessFacts {
    /// The day of the check.
    pub today: Date,
    /// Badan hukum on record (a number is enough too).
    pub has_legal_entity: bool,
    pub legal_entity_number: Option<String>,
    /// The latest RAT held (on or before `today`).
    pub last_rat_date: Option<Date>,
    /// The latest reported book year and its SHU (none when the report has no SHU).
    pub last_book_year: Option<(i32, Option<i64>)>,
    /// Channels on whose earlier loans arrears are recorded.
    pub arrears_channels: Vec<Channel>,
    /// NIK Koperasi (13 digits).
    pub nik: Option<String>,
    pub nib: Option<String>,
    pub npwp: Option<String>,
    pub bank_account: Option<String>,
    pub office_address: Option<String>,
    /// When the business started (KUR: running ≥ 6 months).
    pub business_started: Option<Date>,
    /// Active by the status rule (domain.md §5); none when the status is "no data".
    pub active: Option<bool>,
    /// The latest health category (savings and loans only).
    pub health_category: Option<HealthCategory>,
}

impl ReadinessFacts {
    /// Facts with nothing on record, as of `today`.
    pub fn new(today: Date) -> Self {
        ReadinessFacts {
            today,
            has_legal_entity: false,
            legal_entity_number: None,
            last_rat_date: None,
            last_book_year: None,
            arrears_channels: Vec::new(),
            nik: None,
            nib: None,
            npwp: None,
            bank_account: None,
            office_address: None,
            business_started: None,
            active: None,
            health_category: None,
        }
    }
}

/// One criterion's outcome, with a sentence saying what is met or missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    pub met: bool,
    pub detail_id: String,
    pub detail_en: String,
}

/// The readiness of one applicant for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub channel: Channel,
    /// Every criterion met.
    pub ready: bool,
    pub criteria: Vec<CriterionResult>,
    /// The documents to prepare (a checklist; the register does not hold them).
    pub documents: Vec<DocumentSpec>,
}

impl Readiness {
    /// The criteria not met, in configuration order.
    pub fn missing(&self) -> impl Iterator<Item = &CriterionResult> {
        self.criteria.iter().filter(|c| !c.met)
    }
}

/// The same day `months` later (the month's last day when it has fewer days).
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = Month::try_from(m as u8).unwrap_or(Month::January);
    let mut day = d.day();
    loop {
        if let Ok(x) = Date::from_calendar_date(y, month, day) {
            return x;
        }
        day -= 1;
    }
}

/// Whole calendar months from `start` to `today` (0 when `today` is before `start`).
pub fn whole_months(start: Date, today: Date) -> u32 {
    if today < start {
        return 0;
    }
    let diff = (today.year() - start.year()) * 12 + (today.month() as i32 - start.month() as i32);
    let mut m = diff.max(0) as u32;
    while m > 0 && add_months(start, m) > today {
        m -= 1;
    }
    m
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

struct Outcome {
    met: bool,
    id: String,
    en: String,
}

fn outcome(met: bool, id: impl Into<String>, en: impl Into<String>) -> Outcome {
    Outcome {
        met,
        id: id.into(),
        en: en.into(),
    }
}

/// A register entry that is only present or absent. `show` echoes the value (not for
/// account numbers or tax numbers, which may be a person's).
fn on_record(v: &Option<String>, what_id: &str, what_en: &str, show: bool) -> Outcome {
    match text(v) {
        Some(s) if show => outcome(true, format!("{what_id}: {s}"), format!("{what_en}: {s}")),
        Some(_) => outcome(true, format!("{what_id} tercatat"), format!("{what_en} on record")),
        None => outcome(
            false,
            format!("{what_id} tidak tercatat"),
            format!("{what_en} not on record"),
        ),
    }
}

fn check(kind: &CriterionKind, f: &ReadinessFacts) -> Outcome {
    let today = f.today;
    match kind {
        CriterionKind::LegalEntity => match (text(&f.legal_entity_number), f.has_legal_entity) {
            (Some(n), _) => outcome(true, format!("Berbadan hukum: {n}"), format!("Legal entity: {n}")),
            (None, true) => outcome(
                true,
                "Berbadan hukum (nomor badan hukum tidak tercatat)",
                "Legal entity (number not on record)",
            ),
            (None, false) => outcome(
                false,
                "Status badan hukum tidak tercatat",
                "No legal-entity status on record",
            ),
        },
        CriterionKind::RatWithinYears { years } => {
            let from = add_years(today, -years);
            match f.last_rat_date {
                None => outcome(false, "Tidak ada RAT tercatat", "No RAT on record"),
                Some(d) if d > today => outcome(
                    false,
                    format!("RAT tercatat {} belum terjadi per {}", date_id(d), date_id(today)),
                    format!("The RAT on record, {}, is after {}", date_en(d), date_en(today)),
                ),
                Some(d) if d >= from => outcome(
                    true,
                    format!("RAT terakhir {} (dalam {years} tahun)", date_id(d)),
                    format!("Last RAT {} (within {years} years)", date_en(d)),
                ),
                Some(d) => outcome(
                    false,
                    format!(
                        "RAT terakhir {}, lebih dari {years} tahun lalu (perlu RAT sejak {})",
                        date_id(d),
                        date_id(from)
                    ),
                    format!(
                        "Last RAT {}, more than {years} years ago (a RAT since {} is needed)",
                        date_en(d),
                        date_en(from)
                    ),
                ),
            }
        }
        CriterionKind::PositiveShuLastBookYear => match f.last_book_year {
            None => outcome(
                false,
                "Tidak ada laporan tahun buku tercatat",
                "No book-year report on record",
            ),
            Some((y, None)) => outcome(
                false,
                format!("SHU tahun buku {y} tidak tercatat"),
                format!("SHU for book year {y} not on record"),
            ),
            Some((y, Some(shu))) if shu > 0 => outcome(
                true,
                format!("SHU tahun buku {y}: {}", rupiah(shu)),
                format!("SHU for book year {y}: {}", rupiah(shu)),
            ),
            Some((y, Some(0))) => outcome(
                false,
                format!("SHU tahun buku {y} nol: Rp0"),
                format!("SHU for book year {y} is zero: Rp0"),
            ),
            Some((y, Some(shu))) => outcome(
                false,
                format!("SHU tahun buku {y} negatif: {}", rupiah(shu)),
                format!("SHU for book year {y} is negative: {}", rupiah(shu)),
            ),
        },
        CriterionKind::NoArrears { channel } => {
            if f.arrears_channels.contains(channel) {
                outcome(
                    false,
                    format!("Ada tunggakan pinjaman {} sebelumnya", channel.label_id()),
                    format!("Arrears recorded on an earlier {} loan", channel.label_en()),
                )
            } else {
                outcome(
                    true,
                    format!("Tidak ada tunggakan pinjaman {} tercatat", channel.label_id()),
                    format!("No arrears on {} loans on record", channel.label_en()),
                )
            }
        }
        CriterionKind::HasNik => on_record(&f.nik, "NIK koperasi", "NIK Koperasi", true),
        CriterionKind::HasNib => on_record(&f.nib, "NIB", "NIB", true),
        CriterionKind::HasNpwp => on_record(&f.npwp, "NPWP", "NPWP", false),
        CriterionKind::HasBankAccount => on_record(&f.bank_account, "Rekening bank", "Bank account", false),
        CriterionKind::HasOfficeAddress => on_record(&f.office_address, "Alamat kantor", "Office address", false),
        CriterionKind::BusinessRunningMonths { months } => match f.business_started {
            None => outcome(
                false,
                "Tanggal mulai usaha tidak tercatat",
                "Business start date not on record",
            ),
            Some(start) => {
                let ran = whole_months(start, today);
                if ran >= *months {
                    outcome(
                        true,
                        format!("Usaha berjalan sejak {} ({ran} bulan)", date_id(start)),
                        format!("Business running since {} ({ran} months)", date_en(start)),
                    )
                } else {
                    outcome(
                        false,
                        format!(
                            "Usaha baru berjalan {ran} bulan sejak {}; perlu minimal {months} bulan (tercapai {})",
                            date_id(start),
                            date_id(add_months(start, *months))
                        ),
                        format!(
                            "Business running only {ran} months since {}; at least {months} needed (reached on {})",
                            date_en(start),
                            date_en(add_months(start, *months))
                        ),
                    )
                }
            }
        },
        CriterionKind::ActiveStatus => match f.active {
            Some(true) => outcome(true, "Berstatus aktif", "Active"),
            Some(false) => outcome(
                false,
                "Tidak aktif (tidak ada RAT dalam masa aktif)",
                "Inactive (no RAT within the active window)",
            ),
            None => outcome(
                false,
                "Status keaktifan tidak diketahui (tidak ada RAT tercatat)",
                "Activity status unknown (no RAT on record)",
            ),
        },
        CriterionKind::HealthAtLeast { category } => match f.health_category {
            None => outcome(
                false,
                "Tidak ada penilaian kesehatan tercatat",
                "No health assessment on record",
            ),
            Some(h) => outcome(
                h >= *category,
                format!("Kesehatan: {} (minimal {})", h.label_id(), category.label_id()),
                format!("Health: {} (at least {} needed)", h.label_en(), category.label_en()),
            ),
        },
    }
}

/// Checks every criterion of `config` against `facts`.
pub fn evaluate(config: &ChannelCriteria, facts: &ReadinessFacts) -> Readiness {
    let criteria: Vec<CriterionResult> = config
        .criteria
        .iter()
        .map(|c| {
            let o = check(&c.kind, facts);
            CriterionResult {
                code: c.code.clone(),
                label_id: c.label_id.clone(),
                label_en: c.label_en.clone(),
                met: o.met,
                detail_id: o.id,
                detail_en: o.en,
            }
        })
        .collect();
    Readiness {
        channel: config.channel,
        ready: criteria.iter().all(|c| c.met),
        criteria,
        documents: config.documents.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const FILES: [(Channel, &str); 4] = [
        (Channel::Lpdb, include_str!("../../../data/loans/lpdb.json")),
        (Channel::Kur, include_str!("../../../data/loans/kur.json")),
        (Channel::Himbara, include_str!("../../../data/loans/himbara.json")),
        (Channel::Bprs, include_str!("../../../data/loans/bprs.json")),
    ];

    fn lpdb() -> ChannelCriteria {
        ChannelCriteria::from_json(FILES[0].1).unwrap()
    }

    /// A cooperative that meets every LPDB criterion on 1 July 2025.
    fn ready_cooperative() -> ReadinessFacts {
        ReadinessFacts {
            has_legal_entity: true,
            legal_entity_number: Some("AHU-0002323.AH.01.26.TAHUN 2020".into()),
            last_rat_date: Some(date!(2025 - 03 - 12)),
            last_book_year: Some((2024, Some(12_500_000))),
            nik: Some("3275010030001".into()),
            office_address: Some("Jl. Contoh No. 1".into()),
            active: Some(true),
            ..ReadinessFacts::new(date!(2025 - 07 - 01))
        }
    }

    fn result<'a>(r: &'a Readiness, code: &str) -> &'a CriterionResult {
        r.criteria.iter().find(|c| c.code == code).unwrap()
    }

    #[test]
    fn every_channel_file_parses_and_names_its_channel() {
        for (channel, json) in FILES {
            let c = ChannelCriteria::from_json(json).unwrap_or_else(|e| panic!("{channel}: {e}"));
            assert_eq!(c.channel, channel);
            assert!(!c.documents.is_empty(), "{channel} lists documents");
        }
    }

    #[test]
    fn a_fully_ready_cooperative_meets_every_lpdb_criterion() {
        let r = evaluate(&lpdb(), &ready_cooperative());
        assert!(r.ready, "{:#?}", r.criteria);
        assert_eq!(
            result(&r, "rat_2_tahun").detail_id,
            "RAT terakhir 12 Maret 2025 (dalam 2 tahun)"
        );
        assert_eq!(result(&r, "shu_positif").detail_id, "SHU tahun buku 2024: Rp12.500.000");
        assert_eq!(
            result(&r, "badan_hukum").detail_en,
            "Legal entity: AHU-0002323.AH.01.26.TAHUN 2020"
        );
        assert!(r.documents.iter().any(|d| d.code == "laporan_rat_2_tahun"));
    }

    #[test]
    fn no_rat_on_record_is_the_one_criterion_missing() {
        let facts = ReadinessFacts {
            last_rat_date: None,
            ..ready_cooperative()
        };
        let r = evaluate(&lpdb(), &facts);
        assert!(!r.ready);
        let missing: Vec<&CriterionResult> = r.missing().collect();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].code, "rat_2_tahun");
        assert_eq!(missing[0].detail_id, "Tidak ada RAT tercatat");
        assert_eq!(missing[0].detail_en, "No RAT on record");
    }

    #[test]
    fn a_rat_exactly_two_years_ago_still_counts() {
        // Inclusive window [today − 2 years, today].
        let on_the_day = ReadinessFacts {
            last_rat_date: Some(date!(2023 - 07 - 01)),
            ..ready_cooperative()
        };
        assert!(evaluate(&lpdb(), &on_the_day).ready);
        let a_day_older = ReadinessFacts {
            last_rat_date: Some(date!(2023 - 06 - 30)),
            ..ready_cooperative()
        };
        let r = evaluate(&lpdb(), &a_day_older);
        assert!(!r.ready);
        assert_eq!(
            result(&r, "rat_2_tahun").detail_id,
            "RAT terakhir 30 Juni 2023, lebih dari 2 tahun lalu (perlu RAT sejak 1 Juli 2023)"
        );
        // A RAT dated after the check is not yet held.
        let future = ReadinessFacts {
            last_rat_date: Some(date!(2025 - 07 - 02)),
            ..ready_cooperative()
        };
        assert!(!evaluate(&lpdb(), &future).ready);
    }

    #[test]
    fn a_negative_or_unknown_shu_is_not_met() {
        let loss = ReadinessFacts {
            last_book_year: Some((2024, Some(-3_000_000))),
            ..ready_cooperative()
        };
        let r = evaluate(&lpdb(), &loss);
        let shu = result(&r, "shu_positif");
        assert!(!shu.met && !r.ready);
        assert_eq!(shu.detail_id, "SHU tahun buku 2024 negatif: -Rp3.000.000");
        assert_eq!(shu.detail_en, "SHU for book year 2024 is negative: -Rp3.000.000");
        let unknown = ReadinessFacts {
            last_book_year: Some((2024, None)),
            ..ready_cooperative()
        };
        assert_eq!(
            result(&evaluate(&lpdb(), &unknown), "shu_positif").detail_id,
            "SHU tahun buku 2024 tidak tercatat"
        );
        let zero = ReadinessFacts {
            last_book_year: Some((2024, Some(0))),
            ..ready_cooperative()
        };
        assert!(!result(&evaluate(&lpdb(), &zero), "shu_positif").met);
    }

    #[test]
    fn lpdb_arrears_block_an_lpdb_application_but_kur_arrears_do_not() {
        let lpdb_arrears = ReadinessFacts {
            arrears_channels: vec![Channel::Lpdb],
            ..ready_cooperative()
        };
        let r = evaluate(&lpdb(), &lpdb_arrears);
        assert!(!r.ready);
        assert_eq!(
            result(&r, "tanpa_tunggakan_lpdb").detail_id,
            "Ada tunggakan pinjaman LPDB-KUMKM sebelumnya"
        );
        let kur_arrears = ReadinessFacts {
            arrears_channels: vec![Channel::Kur],
            ..ready_cooperative()
        };
        assert!(evaluate(&lpdb(), &kur_arrears).ready);
    }

    #[test]
    fn kur_needs_six_months_of_business_and_an_nib() {
        let kur = ChannelCriteria::from_json(FILES[1].1).unwrap();
        let umkm = ReadinessFacts {
            nib: Some("9120001234567".into()),
            business_started: Some(date!(2025 - 01 - 01)),
            ..ReadinessFacts::new(date!(2025 - 07 - 01))
        };
        let r = evaluate(&kur, &umkm);
        assert!(r.ready, "{:#?}", r.criteria);
        let young = ReadinessFacts {
            today: date!(2025 - 06 - 30),
            ..umkm.clone()
        };
        let r = evaluate(&kur, &young);
        assert!(!r.ready);
        assert_eq!(
            r.missing().next().unwrap().detail_id,
            "Usaha baru berjalan 5 bulan sejak 1 Januari 2025; perlu minimal 6 bulan (tercapai 1 Juli 2025)"
        );
    }

    #[test]
    fn himbara_names_each_missing_identifier_without_echoing_account_numbers() {
        let himbara = ChannelCriteria::from_json(FILES[2].1).unwrap();
        let koperasi = ReadinessFacts {
            nik: Some("3275010030001".into()),
            bank_account: Some("1234567890".into()),
            ..ReadinessFacts::new(date!(2025 - 09 - 01))
        };
        let r = evaluate(&himbara, &koperasi);
        let missing: Vec<&str> = r.missing().map(|c| c.detail_id.as_str()).collect();
        assert_eq!(missing, vec!["NPWP tidak tercatat", "NIB tidak tercatat"]);
        assert!(r.criteria.iter().all(|c| !c.detail_id.contains("1234567890")));
    }

    #[test]
    fn bprs_needs_an_active_cooperative() {
        let bprs = ChannelCriteria::from_json(FILES[3].1).unwrap();
        let unknown = ReadinessFacts {
            active: None,
            ..ready_cooperative()
        };
        let r = evaluate(&bprs, &unknown);
        assert_eq!(r.missing().map(|c| c.code.as_str()).collect::<Vec<_>>(), vec!["aktif"]);
        assert!(evaluate(&bprs, &ready_cooperative()).ready);
    }

    #[test]
    fn health_at_least_compares_categories() {
        let kind = CriterionKind::HealthAtLeast {
            category: HealthCategory::CukupSehat,
        };
        let with = |h| ReadinessFacts {
            health_category: h,
            ..ready_cooperative()
        };
        assert!(check(&kind, &with(Some(HealthCategory::Sehat))).met);
        assert!(check(&kind, &with(Some(HealthCategory::CukupSehat))).met);
        assert!(!check(&kind, &with(Some(HealthCategory::DalamPengawasan))).met);
        assert!(!check(&kind, &with(None)).met);
    }

    #[test]
    fn configurations_are_checked() {
        let unknown_kind = r#"{"channel":"lpdb","title":"t","source":"s",
            "criteria":[{"code":"x","label_id":"x","label_en":"x","kind":"has_umbrella"}]}"#;
        assert!(matches!(
            ChannelCriteria::from_json(unknown_kind),
            Err(ConfigError::Json(_))
        ));
        let unknown_channel = r#"{"channel":"koperasi","title":"t","source":"s","criteria":[]}"#;
        assert!(matches!(
            ChannelCriteria::from_json(unknown_channel),
            Err(ConfigError::Json(_))
        ));
        let none = r#"{"channel":"lpdb","title":"t","source":"s","criteria":[]}"#;
        assert_eq!(ChannelCriteria::from_json(none), Err(ConfigError::NoCriteria));
        let zero_years = r#"{"channel":"lpdb","title":"t","source":"s",
            "criteria":[{"code":"rat","label_id":"x","label_en":"x","kind":"rat_within_years","years":0}]}"#;
        assert!(matches!(
            ChannelCriteria::from_json(zero_years),
            Err(ConfigError::Parameter(_))
        ));
        let twice = r#"{"channel":"lpdb","title":"t","source":"s",
            "criteria":[{"code":"a","label_id":"x","label_en":"x","kind":"has_nik"},
                        {"code":"a","label_id":"x","label_en":"x","kind":"has_nib"}]}"#;
        assert_eq!(
            ChannelCriteria::from_json(twice),
            Err(ConfigError::DuplicateCode("a".into()))
        );
    }

    #[test]
    fn codes_and_labels() {
        assert_eq!(
            Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            ["lpdb", "kur", "himbara", "bprs", "other"]
        );
        assert_eq!(Channel::from_code("himbara"), Some(Channel::Himbara));
        assert_eq!(Channel::from_code("HIMBARA"), None);
        assert_eq!(Channel::Bprs.label_id(), "Dana bergulir BPRS Patriot");
        assert_eq!(serde_json::to_string(&Stage::AdminPassed).unwrap(), "\"admin_passed\"");
        assert_eq!(serde_json::from_str::<Channel>("\"kur\"").unwrap(), Channel::Kur);
    }

    #[test]
    fn the_pipeline_moves_one_step_forward_or_to_rejected() {
        use Stage::*;
        let mut s = Prepared;
        let mut path = vec![s];
        while let Some(n) = s.next() {
            assert_eq!(transition(s, n, None), Ok(()));
            s = n;
            path.push(s);
        }
        assert_eq!(
            path,
            [
                Prepared,
                Submitted,
                AdminPassed,
                Feasible,
                Contract,
                Disbursed,
                Repaying
            ]
        );
        assert_eq!(
            transition(Prepared, AdminPassed, None),
            Err(StageError::Skipped {
                from: Prepared,
                to: AdminPassed,
                next: Submitted
            })
        );
        assert_eq!(
            transition(Feasible, Submitted, None),
            Err(StageError::Backwards {
                from: Feasible,
                to: Submitted
            })
        );
        assert_eq!(
            transition(Submitted, Submitted, None),
            Err(StageError::Unchanged { stage: Submitted })
        );
        // Rejection: any stage up to the contract, with a reason.
        assert_eq!(
            transition(Submitted, Rejected, Some("Laporan RAT 2023 tidak ada")),
            Ok(())
        );
        assert_eq!(transition(Contract, Rejected, Some("Agunan kurang")), Ok(()));
        assert_eq!(transition(Submitted, Rejected, None), Err(StageError::ReasonRequired));
        assert_eq!(
            transition(Submitted, Rejected, Some("  ")),
            Err(StageError::ReasonRequired)
        );
        assert_eq!(
            transition(Disbursed, Rejected, Some("x")),
            Err(StageError::RejectedTooLate { from: Disbursed })
        );
        // Nothing leaves rejected or repaying.
        assert_eq!(
            transition(Rejected, Prepared, None),
            Err(StageError::FromFinal { from: Rejected })
        );
        assert_eq!(
            transition(Repaying, Rejected, Some("x")),
            Err(StageError::FromFinal { from: Repaying })
        );
        assert_eq!(StageError::ReasonRequired.code(), "rejection_reason_required");
        assert_eq!(
            serde_json::to_string(&StageError::RejectedTooLate { from: Disbursed }).unwrap(),
            r#"{"code":"rejection_after_disbursement","from":"disbursed"}"#
        );
    }

    #[test]
    fn whole_months_count_calendar_months() {
        assert_eq!(whole_months(date!(2025 - 01 - 01), date!(2025 - 07 - 01)), 6);
        assert_eq!(whole_months(date!(2025 - 01 - 31), date!(2025 - 02 - 28)), 1);
        assert_eq!(whole_months(date!(2025 - 01 - 31), date!(2025 - 02 - 27)), 0);
        assert_eq!(whole_months(date!(2024 - 08 - 15), date!(2025 - 02 - 14)), 5);
        assert_eq!(whole_months(date!(2025 - 08 - 15), date!(2025 - 02 - 14)), 0);
        assert_eq!(add_months(date!(2024 - 08 - 31), 6), date!(2025 - 02 - 28));
    }
}
