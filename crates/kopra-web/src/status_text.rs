//! Status sentences in the user's language, naming the evidence (domain.md §5:
//! "Aktif sejak 2019-01-26: RAT diadakan 2019-01-26").

use crate::i18n::Tr;
use kopra_domain::status::{Evidence, Status, StatusAt, StatusRules};

pub fn status_label(tr: &Tr, s: Status) -> String {
    tr.key(status_key(s))
}

/// The catalogue key of a status's name.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Active => "status.active",
        Status::Inactive => "status.inactive",
        Status::NoData => "status.no_data",
        Status::DissolutionCandidate => "status.dissolution_candidate",
        Status::Dissolved => "status.dissolved",
        Status::InLiquidation => "status.in_liquidation",
        Status::Merged => "status.merged",
    }
}

pub fn explain(tr: &Tr, s: &StatusAt, rules: StatusRules) -> String {
    let status = status_label(tr, s.status);
    let since = s.since.map(|d| d.to_string()).unwrap_or_default();
    let window = rules.active_window_years.to_string();
    let years = rules.dissolution_after_years.to_string();
    match &s.evidence {
        Evidence::RatHeld { last_rat } => tr.fill(
            "explain.rat_held",
            &[
                ("status", &status),
                ("since", &since),
                ("last_rat", &last_rat.to_string()),
            ],
        ),
        Evidence::NoRatSince { last_rat } if s.status == Status::DissolutionCandidate => tr.fill(
            "explain.candidate",
            &[
                ("status", &status),
                ("since", &since),
                ("last_rat", &last_rat.to_string()),
                ("years", &years),
            ],
        ),
        Evidence::NoRatSince { last_rat } => tr.fill(
            "explain.inactive",
            &[
                ("status", &status),
                ("since", &since),
                ("last_rat", &last_rat.to_string()),
                ("window", &window),
            ],
        ),
        Evidence::NoRatSinceFounding { founded } => tr.fill(
            "explain.candidate_founding",
            &[
                ("status", &status),
                ("since", &since),
                ("founded", &founded.to_string()),
            ],
        ),
        Evidence::NoRatRecorded => tr.fill("explain.no_rat", &[("status", &status)]),
        Evidence::Decree { decree_number, .. } => tr.fill(
            "explain.decree",
            &[("status", &status), ("since", &since), ("number", decree_number)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use time::macros::date;

    #[test]
    fn the_sentence_names_the_evidence() {
        let s = StatusAt {
            status: Status::Active,
            since: Some(date!(2019 - 01 - 26)),
            evidence: Evidence::RatHeld {
                last_rat: date!(2019 - 01 - 26),
            },
        };
        assert_eq!(
            explain(&Tr::new(Lang::Id), &s, StatusRules::default()),
            "Aktif sejak 2019-01-26: RAT diadakan 2019-01-26"
        );
        assert_eq!(
            explain(&Tr::new(Lang::En), &s, StatusRules::default()),
            "Active since 2019-01-26: RAT held 2019-01-26"
        );
    }
}
