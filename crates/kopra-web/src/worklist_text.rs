//! Worklist reasons in the user's language.

use crate::i18n::Tr;
use kopra_domain::worklist::Reason;

pub fn reason_text(tr: &Tr, r: &Reason) -> String {
    let (key, args): (&str, Vec<(&str, String)>) = match r {
        Reason::RecentlyLapsed { last_rat } => ("reason.recently_lapsed", vec![("date", last_rat.to_string())]),
        Reason::LapsedWithinDissolutionHorizon { last_rat } => (
            "reason.lapsed_within_dissolution_horizon",
            vec![("date", last_rat.to_string())],
        ),
        Reason::CertificateRecentlyExpired { valid_until } => (
            "reason.certificate_recently_expired",
            vec![("date", valid_until.to_string())],
        ),
        Reason::ReportWithoutRat => ("reason.report_without_rat", vec![]),
        Reason::ManyMembers { members } => ("reason.many_members", vec![("n", members.to_string())]),
        Reason::GoodOdsGrade { grade } => ("reason.good_ods_grade", vec![("grade", grade.clone())]),
        Reason::RecentlyFounded { founded } => ("reason.recently_founded", vec![("date", founded.to_string())]),
    };
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    format!("{} (+{})", tr.fill(key, &args), r.points())
}

pub fn reasons_text(tr: &Tr, rs: &[Reason]) -> String {
    if rs.is_empty() {
        return tr.key("worklist.none");
    }
    rs.iter().map(|r| reason_text(tr, r)).collect::<Vec<_>>().join("; ")
}
