//! Coaching (pembinaan): the office's visits and trainings, and their follow-ups. The
//! activation worklist (domain.md §5, "activation") says which cooperatives to visit and
//! why; [`visit_type_for_reason`] turns a worklist reason into the kind of help to bring.
//!
//! Activation means holding and reporting the missed RAT, updating data, renewing the NIK
//! certificate (domain.md §2), fixing the articles or board, and coaching the business
//! (domain.md §5). A follow-up is **overdue** when it is still open after its due date: a
//! follow-up due today is not overdue yet; done and cancelled ones never are.

use crate::code_enum::code_enum;
use crate::worklist::Reason;
use crate::{FieldError, FieldErrors};
use time::{Date, Weekday};

code_enum! {
    /// What a visit or training is about.
    pub enum VisitType {
        RatAssistance => "rat_assistance", "Pendampingan RAT", "RAT assistance";
        Bookkeeping => "bookkeeping", "Pembukuan", "Bookkeeping";
        Legal => "legal", "Legalitas/AD-ART", "Legal status and articles";
        Business => "business", "Usaha", "Business";
        Digital => "digital", "Digital", "Digital";
    }
}

code_enum! {
    /// A visit to one cooperative or UMKM, or a training for several.
    pub enum VisitKind {
        Visit => "visit", "Kunjungan", "Visit";
        Training => "training", "Pelatihan", "Training";
    }
}

code_enum! {
    /// A follow-up agreed at a visit.
    pub enum FollowUpStatus {
        Open => "open", "Terbuka", "Open";
        Done => "done", "Selesai", "Done";
        Cancelled => "cancelled", "Dibatalkan", "Cancelled";
    }
}

/// Whether a follow-up is overdue on `today`: still open and due before today.
pub fn is_overdue(due: Date, status: FollowUpStatus, today: Date) -> bool {
    status == FollowUpStatus::Open && due < today
}

/// The kind of help a worklist reason calls for, if any:
/// - a lapsed RAT, a report without a RAT date, a young cooperative before its first RAT
///   → RAT assistance (the RAT is what makes a cooperative active again);
/// - an expired NIK certificate → legal (renewing it, with the data and articles behind it);
/// - many members or a good ODS grade say the cooperative is worth the visit, not what to
///   bring: none.
pub fn visit_type_for_reason(reason: &Reason) -> Option<VisitType> {
    match reason {
        Reason::RecentlyLapsed { .. }
        | Reason::LapsedWithinDissolutionHorizon { .. }
        | Reason::ReportWithoutRat
        | Reason::RecentlyFounded { .. } => Some(VisitType::RatAssistance),
        Reason::CertificateRecentlyExpired { .. } => Some(VisitType::Legal),
        Reason::ManyMembers { .. } | Reason::GoodOdsGrade { .. } => None,
    }
}

/// The visit type to suggest for a worklist entry: that of its strongest reason that calls
/// for one (reasons come strongest first), else RAT assistance — on the worklist, the way
/// back to active always goes through a RAT (domain.md §5).
pub fn suggested_visit_type(reasons: &[Reason]) -> VisitType {
    reasons
        .iter()
        .find_map(visit_type_for_reason)
        .unwrap_or(VisitType::RatAssistance)
}

/// A visit or training to plan, as sent (codes and ISO dates as text, so that every
/// mistake comes back as a field error).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct VisitInput {
    /// The cooperative visited (or trained); at most one of `cooperative_id`, `umkm_id`.
    #[serde(default)]
    pub cooperative_id: Option<i64>,
    #[serde(default)]
    pub umkm_id: Option<i64>,
    /// `visit|training` (default `visit`)
    #[serde(default)]
    pub kind: Option<String>,
    /// `rat_assistance|bookkeeping|legal|business|digital`
    #[serde(default)]
    pub visit_type: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub planned_on: Option<String>,
    /// The officer (a user id); default: whoever plans it.
    #[serde(default)]
    pub officer_user_id: Option<i64>,
    /// Title or topic; default: the type's label.
    #[serde(default)]
    pub title: Option<String>,
    /// Trainings: how many took part.
    #[serde(default)]
    pub participants: Option<i64>,
}

/// A checked [`VisitInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    pub kind: VisitKind,
    pub visit_type: VisitType,
    pub planned_on: Date,
    pub title: String,
    pub participants: Option<i64>,
}

pub const TITLE_MAX: usize = 200;
pub const FINDINGS_MAX: usize = 5000;
pub const ACTION_MAX: usize = 500;

fn parse_date(s: Option<&str>, field: &'static str, errors: &mut FieldErrors) -> Option<Date> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.add(field, FieldError::Required);
            None
        }
        Some(s) => {
            let d = crate::cooperative::parse_iso_date(s);
            if d.is_none() {
                errors.add(field, FieldError::DateFormat);
            }
            d
        }
    }
}

impl VisitInput {
    /// Checks the input: a visit concerns exactly one cooperative or UMKM; a training one
    /// of them or neither (a general training, counted by `participants`).
    pub fn validate(&self) -> Result<Visit, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => Some(VisitKind::Visit),
            Some(k) => {
                let kind = VisitKind::from_code(k);
                if kind.is_none() {
                    errors.add("kind", FieldError::ValueNotInList);
                }
                kind
            }
        };
        let visit_type = match self.visit_type.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => {
                errors.add("visit_type", FieldError::Required);
                None
            }
            Some(t) => {
                let v = VisitType::from_code(t);
                if v.is_none() {
                    errors.add("visit_type", FieldError::ValueNotInList);
                }
                v
            }
        };
        let planned_on = parse_date(self.planned_on.as_deref(), "planned_on", &mut errors);
        match (self.cooperative_id, self.umkm_id) {
            (Some(_), Some(_)) => errors.add("umkm_id", FieldError::ValueNotInList),
            (None, None) if kind == Some(VisitKind::Visit) => errors.add("cooperative_id", FieldError::Required),
            _ => {}
        }
        let title = self.title.as_deref().map(str::trim).unwrap_or("").to_string();
        if title.chars().count() > TITLE_MAX {
            errors.add("title", FieldError::TooLong);
        }
        if self.participants.is_some_and(|p| p < 0) {
            errors.add("participants", FieldError::Negative);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let visit_type = visit_type.expect("checked");
        Ok(Visit {
            cooperative_id: self.cooperative_id,
            umkm_id: self.umkm_id,
            kind: kind.expect("checked"),
            visit_type,
            planned_on: planned_on.expect("checked"),
            title: if title.is_empty() {
                visit_type.label_id().to_string()
            } else {
                title
            },
            participants: self.participants,
        })
    }
}

/// What was found at a visit, as sent.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RecordInput {
    /// YYYY-MM-DD, not in the future.
    #[serde(default)]
    pub held_on: Option<String>,
    #[serde(default)]
    pub findings: Option<String>,
    /// Trainings: how many took part.
    #[serde(default)]
    pub participants: Option<i64>,
}

impl RecordInput {
    /// The date held and the findings (empty findings: none).
    pub fn validate(&self, today: Date) -> Result<(Date, Option<String>, Option<i64>), FieldErrors> {
        let mut errors = FieldErrors::default();
        let held_on = parse_date(self.held_on.as_deref(), "held_on", &mut errors);
        if held_on.is_some_and(|d| d > today) {
            errors.add("held_on", FieldError::DateInFuture);
        }
        let findings = self.findings.as_deref().map(str::trim).filter(|f| !f.is_empty());
        if findings.is_some_and(|f| f.chars().count() > FINDINGS_MAX) {
            errors.add("findings", FieldError::TooLong);
        }
        if self.participants.is_some_and(|p| p < 0) {
            errors.add("participants", FieldError::Negative);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((held_on.expect("checked"), findings.map(String::from), self.participants))
    }
}

/// A follow-up action agreed at a visit, as sent.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct FollowUpInput {
    #[serde(default)]
    pub action: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub due_on: Option<String>,
}

impl FollowUpInput {
    pub fn validate(&self) -> Result<(String, Date), FieldErrors> {
        let mut errors = FieldErrors::default();
        let action = self.action.as_deref().map(str::trim).unwrap_or("");
        if action.is_empty() {
            errors.add("action", FieldError::Required);
        } else if action.chars().count() > ACTION_MAX {
            errors.add("action", FieldError::TooLong);
        }
        let due_on = parse_date(self.due_on.as_deref(), "due_on", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((action.to_string(), due_on.expect("checked")))
    }
}

/// Whether a day is a working day (Monday to Friday; public holidays are not known here).
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The first working day on or after `d`.
pub fn next_working_day(mut d: Date) -> Date {
    while !is_working_day(d) {
        d = d.next_day().unwrap_or(d);
    }
    d
}

/// Dates for `n` new visits from `start`, on working days only, at most `per_day` a day,
/// counting the visits already planned on each day (`taken`).
pub fn spread_over_working_days(
    start: Date,
    n: usize,
    per_day: usize,
    taken: &std::collections::BTreeMap<Date, usize>,
) -> Vec<Date> {
    let per_day = per_day.max(1);
    let mut out = Vec::with_capacity(n);
    let mut day = next_working_day(start);
    let mut used = taken.get(&day).copied().unwrap_or(0);
    while out.len() < n {
        if used < per_day {
            out.push(day);
            used += 1;
        } else {
            day = next_working_day(day.next_day().unwrap_or(day));
            used = taken.get(&day).copied().unwrap_or(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn only_open_follow_ups_past_their_due_date_are_overdue() {
        let due = date!(2025 - 07 - 12);
        assert!(!is_overdue(due, FollowUpStatus::Open, date!(2025 - 07 - 12)));
        assert!(is_overdue(due, FollowUpStatus::Open, date!(2025 - 07 - 13)));
        assert!(!is_overdue(due, FollowUpStatus::Done, date!(2025 - 08 - 01)));
        assert!(!is_overdue(due, FollowUpStatus::Cancelled, date!(2025 - 08 - 01)));
    }

    #[test]
    fn worklist_reasons_suggest_a_visit_type() {
        let lapsed = Reason::RecentlyLapsed {
            last_rat: date!(2021 - 03 - 01),
        };
        assert_eq!(visit_type_for_reason(&lapsed), Some(VisitType::RatAssistance));
        assert_eq!(
            visit_type_for_reason(&Reason::ReportWithoutRat),
            Some(VisitType::RatAssistance)
        );
        let expired = Reason::CertificateRecentlyExpired {
            valid_until: date!(2023 - 12 - 28),
        };
        assert_eq!(visit_type_for_reason(&expired), Some(VisitType::Legal));
        let members = Reason::ManyMembers { members: 1065 };
        assert_eq!(visit_type_for_reason(&members), None);
        // The strongest reason that names a kind of help decides.
        assert_eq!(
            suggested_visit_type(&[members.clone(), expired, lapsed]),
            VisitType::Legal
        );
        assert_eq!(suggested_visit_type(&[members]), VisitType::RatAssistance);
        assert_eq!(suggested_visit_type(&[]), VisitType::RatAssistance);
    }

    #[test]
    fn codes_and_labels() {
        assert_eq!(
            VisitType::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
            ["rat_assistance", "bookkeeping", "legal", "business", "digital"]
        );
        assert_eq!(
            VisitType::ALL.iter().map(|v| v.label_id()).collect::<Vec<_>>(),
            ["Pendampingan RAT", "Pembukuan", "Legalitas/AD-ART", "Usaha", "Digital"]
        );
        assert_eq!(VisitKind::from_code("training"), Some(VisitKind::Training));
        assert_eq!(FollowUpStatus::from_code("cancelled"), Some(FollowUpStatus::Cancelled));
        assert_eq!(
            serde_json::to_string(&VisitType::RatAssistance).unwrap(),
            "\"rat_assistance\""
        );
    }

    #[test]
    fn plans_spread_over_working_days_a_few_a_day() {
        use std::collections::BTreeMap;
        // 2025-07-11 is a Friday.
        let mut taken = BTreeMap::new();
        taken.insert(date!(2025 - 07 - 11), 3);
        let days = spread_over_working_days(date!(2025 - 07 - 11), 6, 4, &taken);
        assert_eq!(
            days,
            [
                date!(2025 - 07 - 11),
                date!(2025 - 07 - 14),
                date!(2025 - 07 - 14),
                date!(2025 - 07 - 14),
                date!(2025 - 07 - 14),
                date!(2025 - 07 - 15),
            ]
        );
        assert_eq!(next_working_day(date!(2025 - 07 - 12)), date!(2025 - 07 - 14));
    }

    #[test]
    fn a_visit_concerns_one_cooperative_or_umkm_and_bad_input_comes_back_by_field() {
        let ok = VisitInput {
            cooperative_id: Some(3),
            visit_type: Some("bookkeeping".into()),
            planned_on: Some("2025-07-14".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.kind, VisitKind::Visit);
        assert_eq!(ok.title, "Pembukuan");
        let e = VisitInput {
            cooperative_id: Some(3),
            umkm_id: Some(4),
            kind: Some("kunjungan".into()),
            visit_type: Some("x".into()),
            planned_on: Some("14/07/2025".into()),
            participants: Some(-1),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let codes: Vec<_> = e.iter().map(|(f, c)| (f.to_string(), c.code())).collect();
        assert!(codes.contains(&("umkm_id".into(), "value_not_in_list")), "{codes:?}");
        assert!(codes.contains(&("kind".into(), "value_not_in_list")));
        assert!(codes.contains(&("visit_type".into(), "value_not_in_list")));
        assert!(codes.contains(&("planned_on".into(), "date_format")));
        assert!(codes.contains(&("participants".into(), "negative")));
        // A general training needs no subject; a visit does.
        let general = VisitInput {
            kind: Some("training".into()),
            visit_type: Some("digital".into()),
            planned_on: Some("2025-07-14".into()),
            participants: Some(30),
            ..Default::default()
        };
        assert!(general.validate().is_ok());
        let visit = VisitInput {
            kind: Some("visit".into()),
            ..general
        };
        assert!(visit.validate().is_err());
        let r = RecordInput {
            held_on: Some("2025-07-15".into()),
            findings: Some("  ".into()),
            participants: None,
        };
        assert_eq!(
            r.validate(date!(2025 - 07 - 15)).unwrap(),
            (date!(2025 - 07 - 15), None, None)
        );
        assert!(r.validate(date!(2025 - 07 - 14)).is_err());
        assert!(FollowUpInput::default().validate().is_err());
    }
}
