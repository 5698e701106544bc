//! Dates as offices write them.

use time::{Date, Month};

/// `DD/MM/YYYY` or `DD-MM-YYYY` (ODS and most office sheets). `None` when the text is not
/// such a date or the date does not exist (31/02/2019).
pub fn parse_dmy(raw: &str) -> Option<Date> {
    let parts: Vec<&str> = raw.trim().split(['/', '-']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m, y): (u8, u8, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if !(1800..=2200).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn day_month_year_with_slashes_or_dashes() {
        assert_eq!(parse_dmy("28/12/2009"), Some(date!(2009 - 12 - 28)));
        assert_eq!(parse_dmy("12-03-2019"), Some(date!(2019 - 03 - 12)));
        assert_eq!(parse_dmy("31/02/2019"), None);
        assert_eq!(parse_dmy("2019-03-12"), None);
        assert_eq!(parse_dmy(""), None);
    }
}
