//! The activation worklist: which inactive or no-data cooperatives are closest to becoming
//! active again, and why (domain.md §5, "activation"). A transparent points score — every
//! point comes with a reason shown to the user — rather than an opaque model.

use crate::status::{Status, add_years};
use serde::{Deserialize, Serialize};
use time::Date;

/// What the register knows about a cooperative, for ranking.
#[derive(Debug, Clone)]
pub struct WorklistFacts {
    pub status: Status,
    pub last_rat: Option<Date>,
    pub certificate_valid_until: Option<Date>,
    pub founded: Option<Date>,
    pub members: Option<i64>,
    pub ods_grade: Option<String>,
    /// A report exists for the last book year, without a RAT date yet.
    pub report_without_rat: bool,
}

/// One reason, with the points it gives and the facts to name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The last RAT left the active window less than a year ago.
    RecentlyLapsed { last_rat: Date },
    /// Inactive, but not yet a dissolution candidate.
    LapsedWithinDissolutionHorizon { last_rat: Date },
    /// The NIK certificate expired within the last two years.
    CertificateRecentlyExpired { valid_until: Date },
    /// A report for the last book year arrived without a RAT date.
    ReportWithoutRat,
    /// Many members at the last report.
    ManyMembers { members: i64 },
    /// ODS grade A or B.
    GoodOdsGrade { grade: String },
    /// Founded in the last three years: a young cooperative to help with its first RAT.
    RecentlyFounded { founded: Date },
}

impl Reason {
    pub fn points(&self) -> i64 {
        match self {
            Reason::RecentlyLapsed { .. } => 40,
            Reason::LapsedWithinDissolutionHorizon { .. } => 15,
            Reason::CertificateRecentlyExpired { .. } => 25,
            Reason::ReportWithoutRat => 35,
            Reason::ManyMembers { members } => (members / 50).clamp(1, 20),
            Reason::GoodOdsGrade { .. } => 10,
            Reason::RecentlyFounded { .. } => 15,
        }
    }
}

/// Whether a cooperative belongs on the worklist: inactive, dissolution candidate or no data.
pub fn belongs(status: Status) -> bool {
    matches!(status, Status::Inactive | Status::DissolutionCandidate | Status::NoData)
}

/// The reasons that bring a cooperative closer to activation, strongest first.
pub fn reasons(f: &WorklistFacts, today: Date, window_years: i32) -> Vec<Reason> {
    let mut r = Vec::new();
    if let Some(last) = f.last_rat {
        let lapse = add_years(last, window_years);
        if lapse <= today && add_years(lapse, 1) > today {
            r.push(Reason::RecentlyLapsed { last_rat: last });
        } else if f.status == Status::Inactive {
            r.push(Reason::LapsedWithinDissolutionHorizon { last_rat: last });
        }
    }
    if f.report_without_rat {
        r.push(Reason::ReportWithoutRat);
    }
    if let Some(v) = f
        .certificate_valid_until
        .filter(|v| *v < today && add_years(*v, 2) > today)
    {
        r.push(Reason::CertificateRecentlyExpired { valid_until: v });
    }
    if let Some(m) = f.members.filter(|m| *m >= 50) {
        r.push(Reason::ManyMembers { members: m });
    }
    if let Some(g) = f.ods_grade.as_deref().filter(|g| matches!(*g, "A" | "B")) {
        r.push(Reason::GoodOdsGrade { grade: g.to_string() });
    }
    if let Some(fd) = f.founded.filter(|fd| add_years(*fd, 3) > today && *fd <= today) {
        r.push(Reason::RecentlyFounded { founded: fd });
    }
    r.sort_by_key(|x| -x.points());
    r
}

pub fn score(reasons: &[Reason]) -> i64 {
    reasons.iter().map(Reason::points).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn facts(status: Status) -> WorklistFacts {
        WorklistFacts {
            status,
            last_rat: None,
            certificate_valid_until: None,
            founded: None,
            members: None,
            ods_grade: None,
            report_without_rat: false,
        }
    }

    #[test]
    fn a_rat_that_just_left_the_window_ranks_first() {
        let today = date!(2024 - 06 - 01);
        let recent = WorklistFacts {
            last_rat: Some(date!(2021 - 03 - 01)),
            ..facts(Status::Inactive)
        };
        let old = WorklistFacts {
            last_rat: Some(date!(2019 - 08 - 01)),
            ..facts(Status::Inactive)
        };
        let r1 = reasons(&recent, today, 3);
        let r2 = reasons(&old, today, 3);
        assert_eq!(
            r1,
            vec![Reason::RecentlyLapsed {
                last_rat: date!(2021 - 03 - 01)
            }]
        );
        assert_eq!(
            r2,
            vec![Reason::LapsedWithinDissolutionHorizon {
                last_rat: date!(2019 - 08 - 01)
            }]
        );
        assert!(score(&r1) > score(&r2));
    }

    #[test]
    fn every_point_has_a_reason() {
        let today = date!(2024 - 06 - 01);
        let f = WorklistFacts {
            certificate_valid_until: Some(date!(2023 - 12 - 28)),
            members: Some(1065),
            ods_grade: Some("A".into()),
            ..facts(Status::NoData)
        };
        let r = reasons(&f, today, 3);
        assert_eq!(score(&r), 25 + 20 + 10);
        assert_eq!(
            r[0],
            Reason::CertificateRecentlyExpired {
                valid_until: date!(2023 - 12 - 28)
            }
        );
        // A certificate that expired long ago, few members, grade D: nothing to go on.
        let cold = WorklistFacts {
            certificate_valid_until: Some(date!(2019 - 01 - 01)),
            members: Some(20),
            ods_grade: Some("D".into()),
            ..facts(Status::NoData)
        };
        assert!(reasons(&cold, today, 3).is_empty());
        assert!(belongs(Status::NoData) && !belongs(Status::Active) && !belongs(Status::Dissolved));
    }
}
