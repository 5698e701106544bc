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
use time::Date;

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
}
