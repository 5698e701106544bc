//! The activity status of a cooperative, derived from evidence (domain.md §5).
//!
//! - **active** on date D when a RAT meeting was held within `(D − window, D]`
//!   (the ministry's statistics: at least one RAT in the last three years; window a
//!   setting, default 3 years);
//! - **inactive** when the last RAT is older than the window;
//! - **dissolution candidate** when the last RAT is at least `dissolution_after` years old
//!   (setting, default 5; regions use 2, 3 or 5 — PP 17/1994 lets the government propose
//!   dissolution). With `dissolution_from_founding`, a cooperative with no RAT on record
//!   that was founded that long ago is one too; by default it stays **no data**, since the
//!   register cannot tell a missing RAT from a missing record;
//! - **no data** when no RAT was ever recorded (it does not count as active);
//! - **dissolved**, **in liquidation**, **merged**: set by hand with a decree number and
//!   date, never derived; from the decree date on they override everything else.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Inactive,
    NoData,
    DissolutionCandidate,
    Dissolved,
    InLiquidation,
    Merged,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Active,
        Status::Inactive,
        Status::NoData,
        Status::DissolutionCandidate,
        Status::Dissolved,
        Status::InLiquidation,
        Status::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::NoData => "no_data",
            Status::DissolutionCandidate => "dissolution_candidate",
            Status::Dissolved => "dissolved",
            Status::InLiquidation => "in_liquidation",
            Status::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Legal states are set by hand, never derived.
    pub fn is_legal(self) -> bool {
        matches!(self, Status::Dissolved | Status::InLiquidation | Status::Merged)
    }
}

/// The rules' settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRules {
    pub active_window_years: i32,
    pub dissolution_after_years: i32,
    pub dissolution_from_founding: bool,
}

impl Default for StatusRules {
    fn default() -> Self {
        StatusRules {
            active_window_years: 3,
            dissolution_after_years: 5,
            dissolution_from_founding: false,
        }
    }
}

/// A legal state set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalState {
    pub status: Status,
    pub decree_number: String,
    pub decree_date: Date,
}

/// What decided a status, for the sentence shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Active: the latest RAT held on or before the date.
    RatHeld { last_rat: Date },
    /// Inactive or dissolution candidate: no RAT since this one.
    NoRatSince { last_rat: Date },
    /// Dissolution candidate counted from founding (setting on).
    NoRatSinceFounding { founded: Date },
    /// No RAT on record at all.
    NoRatRecorded,
    /// A decree.
    Decree { decree_number: String, decree_date: Date },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusAt {
    pub status: Status,
    /// When this status began (none for "no data").
    pub since: Option<Date>,
    pub evidence: Evidence,
}

/// The same day `years` later (29 February becomes 28 February in common years).
pub fn add_years(d: Date, years: i32) -> Date {
    let y = d.year() + years;
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, Month::February, 28))
        .unwrap_or(d)
}

/// The status on `date` from the RAT meetings held (any order), the founding date and a
/// legal state, under `rules`.
pub fn status_on(
    date: Date,
    rat_dates: &[Date],
    founded: Option<Date>,
    legal: Option<&LegalState>,
    rules: StatusRules,
) -> StatusAt {
    if let Some(l) = legal.filter(|l| l.decree_date <= date) {
        return StatusAt {
            status: l.status,
            since: Some(l.decree_date),
            evidence: Evidence::Decree {
                decree_number: l.decree_number.clone(),
                decree_date: l.decree_date,
            },
        };
    }
    let mut held: Vec<Date> = rat_dates.iter().copied().filter(|d| *d <= date).collect();
    held.sort();
    held.dedup();
    let Some(&last) = held.last() else {
        if let Some(f) = founded.filter(|_| rules.dissolution_from_founding) {
            let from = add_years(f, rules.dissolution_after_years);
            if date >= from {
                return StatusAt {
                    status: Status::DissolutionCandidate,
                    since: Some(from),
                    evidence: Evidence::NoRatSinceFounding { founded: f },
                };
            }
        }
        return StatusAt {
            status: Status::NoData,
            since: None,
            evidence: Evidence::NoRatRecorded,
        };
    };
    let lapse = add_years(last, rules.active_window_years);
    if date < lapse {
        // Active since the start of the unbroken run of RATs that ends with `last`.
        let mut since = last;
        for w in held.windows(2).rev() {
            let (earlier, later) = (w[0], w[1]);
            if later > since {
                continue;
            }
            if add_years(earlier, rules.active_window_years) > later {
                since = earlier;
            } else {
                break;
            }
        }
        return StatusAt {
            status: Status::Active,
            since: Some(since),
            evidence: Evidence::RatHeld { last_rat: last },
        };
    }
    let candidate_from = add_years(last, rules.dissolution_after_years);
    if date >= candidate_from {
        StatusAt {
            status: Status::DissolutionCandidate,
            since: Some(candidate_from),
            evidence: Evidence::NoRatSince { last_rat: last },
        }
    } else {
        StatusAt {
            status: Status::Inactive,
            since: Some(lapse),
            evidence: Evidence::NoRatSince { last_rat: last },
        }
    }
}

/// Every change of status from founding (or the first evidence) up to `until`: `(date,
/// status)` pairs in order. The timeline is derived, so it can never disagree with the
/// evidence.
pub fn status_timeline(
    until: Date,
    rat_dates: &[Date],
    founded: Option<Date>,
    legal: Option<&LegalState>,
    rules: StatusRules,
) -> Vec<(Date, Status)> {
    let mut points: Vec<Date> = Vec::new();
    for r in rat_dates {
        points.push(*r);
        points.push(add_years(*r, rules.active_window_years));
        points.push(add_years(*r, rules.dissolution_after_years));
    }
    if let Some(f) = founded {
        points.push(f);
        points.push(add_years(f, rules.dissolution_after_years));
    }
    if let Some(l) = legal {
        points.push(l.decree_date);
    }
    points.retain(|d| *d <= until);
    points.sort();
    points.dedup();
    let mut out: Vec<(Date, Status)> = Vec::new();
    for p in points {
        let s = status_on(p, rat_dates, founded, legal, rules).status;
        if out.last().is_none_or(|(_, prev)| *prev != s) {
            out.push((p, s));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const R: StatusRules = StatusRules {
        active_window_years: 3,
        dissolution_after_years: 5,
        dissolution_from_founding: false,
    };

    #[test]
    fn a_rat_within_three_years_makes_a_cooperative_active() {
        // domain.md §5's example: "Aktif sejak 2019-01-26: RAT diadakan 2019-01-26".
        let s = status_on(date!(2021 - 12 - 31), &[date!(2019 - 01 - 26)], None, None, R);
        assert_eq!(s.status, Status::Active);
        assert_eq!(s.since, Some(date!(2019 - 01 - 26)));
        assert_eq!(
            s.evidence,
            Evidence::RatHeld {
                last_rat: date!(2019 - 01 - 26)
            }
        );
    }

    #[test]
    fn the_window_is_open_at_its_start_and_closed_at_its_end() {
        let rat = date!(2018 - 12 - 31);
        // Exactly three years later the RAT has left the window (D − 3y, D].
        let s = status_on(date!(2021 - 12 - 31), &[rat], None, None, R);
        assert_eq!((s.status, s.since), (Status::Inactive, Some(date!(2021 - 12 - 31))));
        // One day earlier it is still inside.
        assert_eq!(
            status_on(date!(2021 - 12 - 30), &[rat], None, None, R).status,
            Status::Active
        );
        // A RAT held on the date itself counts.
        assert_eq!(status_on(rat, &[rat], None, None, R).status, Status::Active);
        // A RAT after the date does not.
        assert_eq!(
            status_on(date!(2018 - 12 - 30), &[rat], None, None, R).status,
            Status::NoData
        );
    }

    #[test]
    fn no_rat_on_record_is_no_data_not_inactive() {
        let s = status_on(date!(2021 - 12 - 31), &[], Some(date!(2009 - 12 - 28)), None, R);
        assert_eq!((s.status, s.since), (Status::NoData, None));
        // With the founding setting on, a cooperative founded 5+ years ago is a candidate.
        let from_founding = StatusRules {
            dissolution_from_founding: true,
            ..R
        };
        let s = status_on(
            date!(2021 - 12 - 31),
            &[],
            Some(date!(2009 - 12 - 28)),
            None,
            from_founding,
        );
        assert_eq!(
            (s.status, s.since),
            (Status::DissolutionCandidate, Some(date!(2014 - 12 - 28)))
        );
        let young = status_on(
            date!(2021 - 12 - 31),
            &[],
            Some(date!(2020 - 01 - 01)),
            None,
            from_founding,
        );
        assert_eq!(young.status, Status::NoData);
    }

    #[test]
    fn five_years_without_rat_make_a_dissolution_candidate() {
        let rat = date!(2015 - 03 - 20);
        assert_eq!(
            status_on(date!(2020 - 03 - 19), &[rat], None, None, R).status,
            Status::Inactive
        );
        let s = status_on(date!(2020 - 03 - 20), &[rat], None, None, R);
        assert_eq!(
            (s.status, s.since),
            (Status::DissolutionCandidate, Some(date!(2020 - 03 - 20)))
        );
        let three = StatusRules {
            dissolution_after_years: 3,
            ..R
        };
        assert_eq!(
            status_on(date!(2018 - 03 - 20), &[rat], None, None, three).status,
            Status::DissolutionCandidate
        );
    }

    #[test]
    fn active_since_the_start_of_an_unbroken_run_of_rats() {
        let rats = [
            date!(2012 - 04 - 01),
            date!(2016 - 05 - 01),
            date!(2018 - 03 - 01),
            date!(2020 - 02 - 01),
        ];
        // 2012 → 2016 is a gap of more than 3 years; the run starts in 2016.
        let s = status_on(date!(2021 - 06 - 30), &rats, None, None, R);
        assert_eq!((s.status, s.since), (Status::Active, Some(date!(2016 - 05 - 01))));
    }

    #[test]
    fn a_decree_overrides_the_evidence_from_its_date() {
        let legal = LegalState {
            status: Status::Dissolved,
            decree_number: "518/Kep.12-Diskop/2022".into(),
            decree_date: date!(2022 - 05 - 10),
        };
        let rats = [date!(2021 - 03 - 01)];
        assert_eq!(
            status_on(date!(2022 - 05 - 09), &rats, None, Some(&legal), R).status,
            Status::Active
        );
        let s = status_on(date!(2022 - 05 - 10), &rats, None, Some(&legal), R);
        assert_eq!((s.status, s.since), (Status::Dissolved, Some(date!(2022 - 05 - 10))));
        assert!(Status::Dissolved.is_legal() && !Status::Inactive.is_legal());
    }

    #[test]
    fn the_timeline_lists_each_change_once() {
        let rats = [date!(2014 - 03 - 01), date!(2019 - 04 - 01)];
        let with_founding = status_timeline(date!(2014 - 12 - 31), &rats, Some(date!(2009 - 12 - 28)), None, R);
        assert_eq!(
            with_founding,
            vec![
                (date!(2009 - 12 - 28), Status::NoData),
                (date!(2014 - 03 - 01), Status::Active)
            ]
        );
        let t = status_timeline(date!(2025 - 12 - 31), &rats, None, None, R);
        assert_eq!(
            t,
            vec![
                (date!(2014 - 03 - 01), Status::Active),
                (date!(2017 - 03 - 01), Status::Inactive),
                // Five years after the 2014 RAT, a month before the next one.
                (date!(2019 - 03 - 01), Status::DissolutionCandidate),
                (date!(2019 - 04 - 01), Status::Active),
                (date!(2022 - 04 - 01), Status::Inactive),
                (date!(2024 - 04 - 01), Status::DissolutionCandidate),
            ]
        );
    }

    #[test]
    fn leap_days_move_to_the_28th() {
        assert_eq!(add_years(date!(2020 - 02 - 29), 3), date!(2023 - 02 - 28));
        assert_eq!(add_years(date!(2020 - 02 - 29), 4), date!(2024 - 02 - 29));
    }
}
