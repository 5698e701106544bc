//! The yearly report of a cooperative (domain.md §4): the RAT and the figures it accepts.
//!
//! One report per cooperative per book year. Money is integer Rupiah. The RAT that accepts
//! the board's accountability is due within 6 months after the book year closes (by 30
//! June for a calendar year), and its report reaches the government within one month of
//! the meeting; lateness is a flag, not an error.

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Where a report came from.
pub const SOURCES: [&str; 3] = ["entry", "ods", "import"];
/// How the RAT report reached the office.
pub const CHANNELS: [&str; 3] = ["ods", "letter", "kopra"];

/// A report as typed (numbers already numbers; the web layer reads form text into them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnualReportInput {
    pub book_year: Option<i32>,
    #[serde(default)]
    pub rat_date: Option<String>,
    #[serde(default)]
    pub reported_date: Option<String>,
    /// ods, letter or kopra
    #[serde(default)]
    pub report_channel: Option<String>,
    #[serde(default)]
    pub members_male: Option<i64>,
    #[serde(default)]
    pub members_female: Option<i64>,
    #[serde(default)]
    pub members_total: Option<i64>,
    #[serde(default)]
    pub pengurus: Option<i64>,
    #[serde(default)]
    pub pengawas: Option<i64>,
    #[serde(default)]
    pub managers_male: Option<i64>,
    #[serde(default)]
    pub managers_female: Option<i64>,
    #[serde(default)]
    pub employees_male: Option<i64>,
    #[serde(default)]
    pub employees_female: Option<i64>,
    #[serde(default)]
    pub simpanan_pokok: Option<i64>,
    #[serde(default)]
    pub simpanan_wajib: Option<i64>,
    #[serde(default)]
    pub modal_sendiri: Option<i64>,
    #[serde(default)]
    pub modal_luar: Option<i64>,
    #[serde(default)]
    pub modal_penyertaan: Option<i64>,
    #[serde(default)]
    pub assets: Option<i64>,
    #[serde(default)]
    pub business_volume: Option<i64>,
    /// Sisa hasil usaha; may be negative.
    #[serde(default)]
    pub shu: Option<i64>,
    #[serde(default)]
    pub savings_received: Option<i64>,
    #[serde(default)]
    pub loans_given: Option<i64>,
}

/// A valid report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AnnualReport {
    pub book_year: i32,
    pub rat_date: Option<Date>,
    pub reported_date: Option<Date>,
    pub report_channel: Option<String>,
    pub members_male: Option<i64>,
    pub members_female: Option<i64>,
    pub members_total: Option<i64>,
    pub pengurus: Option<i64>,
    pub pengawas: Option<i64>,
    pub managers_male: Option<i64>,
    pub managers_female: Option<i64>,
    pub employees_male: Option<i64>,
    pub employees_female: Option<i64>,
    pub simpanan_pokok: Option<i64>,
    pub simpanan_wajib: Option<i64>,
    pub modal_sendiri: Option<i64>,
    pub modal_luar: Option<i64>,
    pub modal_penyertaan: Option<i64>,
    pub assets: Option<i64>,
    pub business_volume: Option<i64>,
    pub shu: Option<i64>,
    pub savings_received: Option<i64>,
    pub loans_given: Option<i64>,
}

/// Warnings about a valid report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFlag {
    /// The RAT was held after 30 June of the year after the book year.
    RatLate,
    /// The report reached the office more than one month after the meeting.
    ReportLate,
}

impl ReportFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFlag::RatLate => "rat_late",
            ReportFlag::ReportLate => "report_late",
        }
    }
}

/// The same day one month later (the last day of the month when it has fewer days).
pub fn one_month_after(d: Date) -> Date {
    let (y, m) = if d.month() == Month::December {
        (d.year() + 1, Month::January)
    } else {
        (d.year(), d.month().next())
    };
    let mut day = d.day();
    loop {
        if let Ok(x) = Date::from_calendar_date(y, m, day) {
            return x;
        }
        day -= 1;
    }
}

impl AnnualReportInput {
    /// Validates everything at once. `today` bounds the book year and the dates.
    pub fn parse(&self, today: Date) -> Result<AnnualReport, FieldErrors> {
        let mut e = FieldErrors::default();
        let book_year = match self.book_year {
            Some(y) if (1945..=today.year()).contains(&y) => Some(y),
            Some(_) => {
                e.add("book_year", FieldError::ValueNotInList);
                None
            }
            None => {
                e.add("book_year", FieldError::Required);
                None
            }
        };
        let date = |v: &Option<String>, field: &'static str, e: &mut FieldErrors| {
            let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            match crate::cooperative::parse_iso_date(s) {
                Some(d) if d > today => {
                    e.add(field, FieldError::DateInFuture);
                    None
                }
                Some(d) => Some(d),
                None => {
                    e.add(field, FieldError::DateFormat);
                    None
                }
            }
        };
        let rat_date = date(&self.rat_date, "rat_date", &mut e);
        let reported_date = date(&self.reported_date, "reported_date", &mut e);
        if let (Some(y), Some(r)) = (book_year, rat_date)
            && r < Date::from_calendar_date(y, Month::December, 31).unwrap_or(r)
        {
            e.add("rat_date", FieldError::BeforeBookYearEnd);
        }
        if let (Some(rat), Some(rep)) = (rat_date, reported_date)
            && rep < rat
        {
            e.add("reported_date", FieldError::BeforeRat);
        }
        if reported_date.is_some() && rat_date.is_none() {
            e.add("rat_date", FieldError::Required);
        }
        let report_channel = self
            .report_channel
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|c| {
                let c = c.to_lowercase();
                if CHANNELS.contains(&c.as_str()) {
                    Some(c)
                } else {
                    e.add("report_channel", FieldError::ValueNotInList);
                    None
                }
            });
        let counts = [
            ("members_male", self.members_male),
            ("members_female", self.members_female),
            ("members_total", self.members_total),
            ("pengurus", self.pengurus),
            ("pengawas", self.pengawas),
            ("managers_male", self.managers_male),
            ("managers_female", self.managers_female),
            ("employees_male", self.employees_male),
            ("employees_female", self.employees_female),
            ("simpanan_pokok", self.simpanan_pokok),
            ("simpanan_wajib", self.simpanan_wajib),
            ("modal_sendiri", self.modal_sendiri),
            ("modal_luar", self.modal_luar),
            ("modal_penyertaan", self.modal_penyertaan),
            ("assets", self.assets),
            ("business_volume", self.business_volume),
            ("savings_received", self.savings_received),
            ("loans_given", self.loans_given),
        ];
        for (field, v) in counts {
            if v.is_some_and(|n| n < 0) {
                e.add(field, FieldError::Negative);
            }
        }
        let members_total = match (self.members_male, self.members_female, self.members_total) {
            (Some(m), Some(f), Some(t)) if m + f != t => {
                e.add("members_total", FieldError::TotalMismatch);
                None
            }
            (Some(m), Some(f), None) => Some(m + f),
            (_, _, t) => t,
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(AnnualReport {
            book_year: book_year.expect("checked"),
            rat_date,
            reported_date,
            report_channel,
            members_male: self.members_male,
            members_female: self.members_female,
            members_total,
            pengurus: self.pengurus,
            pengawas: self.pengawas,
            managers_male: self.managers_male,
            managers_female: self.managers_female,
            employees_male: self.employees_male,
            employees_female: self.employees_female,
            simpanan_pokok: self.simpanan_pokok,
            simpanan_wajib: self.simpanan_wajib,
            modal_sendiri: self.modal_sendiri,
            modal_luar: self.modal_luar,
            modal_penyertaan: self.modal_penyertaan,
            assets: self.assets,
            business_volume: self.business_volume,
            shu: self.shu,
            savings_received: self.savings_received,
            loans_given: self.loans_given,
        })
    }
}

impl AnnualReport {
    /// The report's warnings: a late RAT, a late report.
    pub fn flags(&self) -> Vec<ReportFlag> {
        let mut flags = Vec::new();
        if let Some(rat) = self.rat_date {
            let due = Date::from_calendar_date(self.book_year + 1, Month::June, 30).unwrap_or(rat);
            if rat > due {
                flags.push(ReportFlag::RatLate);
            }
            if self.reported_date.is_some_and(|r| r > one_month_after(rat)) {
                flags.push(ReportFlag::ReportLate);
            }
        }
        flags
    }

    /// The report as input, to lay a partial change over.
    pub fn to_input(&self) -> AnnualReportInput {
        let d = |d: Option<Date>| d.map(|d| d.to_string());
        AnnualReportInput {
            book_year: Some(self.book_year),
            rat_date: d(self.rat_date),
            reported_date: d(self.reported_date),
            report_channel: self.report_channel.clone(),
            members_male: self.members_male,
            members_female: self.members_female,
            members_total: self.members_total,
            pengurus: self.pengurus,
            pengawas: self.pengawas,
            managers_male: self.managers_male,
            managers_female: self.managers_female,
            employees_male: self.employees_male,
            employees_female: self.employees_female,
            simpanan_pokok: self.simpanan_pokok,
            simpanan_wajib: self.simpanan_wajib,
            modal_sendiri: self.modal_sendiri,
            modal_luar: self.modal_luar,
            modal_penyertaan: self.modal_penyertaan,
            assets: self.assets,
            business_volume: self.business_volume,
            shu: self.shu,
            savings_received: self.savings_received,
            loans_given: self.loans_given,
        }
    }

    /// Each field as display text, for the history.
    pub fn display_fields(&self) -> Vec<(&'static str, Option<String>)> {
        let n = |v: Option<i64>| v.map(|v| v.to_string());
        let d = |v: Option<Date>| v.map(|v| v.to_string());
        vec![
            ("book_year", Some(self.book_year.to_string())),
            ("rat_date", d(self.rat_date)),
            ("reported_date", d(self.reported_date)),
            ("report_channel", self.report_channel.clone()),
            ("members_male", n(self.members_male)),
            ("members_female", n(self.members_female)),
            ("members_total", n(self.members_total)),
            ("pengurus", n(self.pengurus)),
            ("pengawas", n(self.pengawas)),
            ("managers_male", n(self.managers_male)),
            ("managers_female", n(self.managers_female)),
            ("employees_male", n(self.employees_male)),
            ("employees_female", n(self.employees_female)),
            ("simpanan_pokok", n(self.simpanan_pokok)),
            ("simpanan_wajib", n(self.simpanan_wajib)),
            ("modal_sendiri", n(self.modal_sendiri)),
            ("modal_luar", n(self.modal_luar)),
            ("modal_penyertaan", n(self.modal_penyertaan)),
            ("assets", n(self.assets)),
            ("business_volume", n(self.business_volume)),
            ("shu", n(self.shu)),
            ("savings_received", n(self.savings_received)),
            ("loans_given", n(self.loans_given)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    fn report(year: i32, rat: &str) -> AnnualReportInput {
        AnnualReportInput {
            book_year: Some(year),
            rat_date: Some(rat.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_rat_by_30_june_is_on_time_and_after_it_late() {
        assert!(report(2023, "2024-06-30").parse(TODAY).unwrap().flags().is_empty());
        assert_eq!(
            report(2023, "2024-07-01").parse(TODAY).unwrap().flags(),
            vec![ReportFlag::RatLate]
        );
    }

    #[test]
    fn a_report_more_than_a_month_after_the_meeting_is_late() {
        let mut r = report(2023, "2024-03-16");
        r.reported_date = Some("2024-04-16".into());
        assert!(r.parse(TODAY).unwrap().flags().is_empty());
        r.reported_date = Some("2024-04-17".into());
        assert_eq!(r.parse(TODAY).unwrap().flags(), vec![ReportFlag::ReportLate]);
        assert_eq!(one_month_after(date!(2024 - 01 - 31)), date!(2024 - 02 - 29));
    }

    #[test]
    fn a_rat_cannot_precede_the_book_years_end() {
        let e = report(2023, "2023-12-30").parse(TODAY).unwrap_err();
        assert_eq!(e.get("rat_date"), Some(FieldError::BeforeBookYearEnd));
        assert!(report(2023, "2023-12-31").parse(TODAY).is_ok());
    }

    #[test]
    fn totals_must_add_up_and_counts_cannot_be_negative() {
        let mut r = report(2023, "2024-03-16");
        r.members_male = Some(1065);
        r.members_female = Some(10);
        r.members_total = Some(1065);
        r.employees_female = Some(-1);
        r.shu = Some(-2_500_000);
        let e = r.parse(TODAY).unwrap_err();
        assert_eq!(e.get("members_total"), Some(FieldError::TotalMismatch));
        assert_eq!(e.get("employees_female"), Some(FieldError::Negative));
        assert_eq!(e.get("shu"), None, "SHU may be negative");
        r.members_total = None;
        r.employees_female = Some(3);
        assert_eq!(
            r.parse(TODAY).unwrap().members_total,
            Some(1075),
            "the total follows from its parts"
        );
    }

    #[test]
    fn book_year_is_required_and_not_in_the_future() {
        assert_eq!(
            AnnualReportInput::default().parse(TODAY).unwrap_err().get("book_year"),
            Some(FieldError::Required)
        );
        assert!(
            AnnualReportInput {
                book_year: Some(2027),
                ..Default::default()
            }
            .parse(TODAY)
            .is_err()
        );
        let mut r = report(2023, "2024-03-16");
        r.reported_date = Some("2024-03-01".into());
        assert_eq!(
            r.parse(TODAY).unwrap_err().get("reported_date"),
            Some(FieldError::BeforeRat)
        );
    }
}
