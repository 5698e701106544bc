//! Cell values as offices write them: dates, Rupiah, counts, phones (issue: re-registration).

use crate::table::{Cell, excel_serial_to_date};
use time::{Date, Month};

/// Why a value could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    /// The text is not a date in any known shape.
    NotADate,
    /// It has the shape of a date that does not exist (31/02/2019).
    NoSuchDate,
    NotANumber,
    Negative,
}

const MONTHS: [(&str, u8); 24] = [
    ("januari", 1),
    ("februari", 2),
    ("maret", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("agustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("desember", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("october", 10),
    ("december", 12),
    ("agu", 8),
    ("okt", 10),
    ("des", 12),
];

fn month_from_name(s: &str) -> Option<u8> {
    let s = s.trim_end_matches('.').to_lowercase();
    if s.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == s || (s.len() >= 3 && name.starts_with(&s)))
        .map(|(_, m)| *m)
}

fn make(y: i32, m: u8, d: u8) -> Result<Date, ValueError> {
    if !(1800..=2200).contains(&y) {
        return Err(ValueError::NotADate);
    }
    let month = Month::try_from(m).map_err(|_| ValueError::NoSuchDate)?;
    Date::from_calendar_date(y, month, d).map_err(|_| ValueError::NoSuchDate)
}

/// Excel dates and serials, `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`, `YYYY-MM-DD`,
/// `12 Maret 2019`, `12 Mar 2019`.
pub fn parse_date(cell: &Cell) -> Result<Option<Date>, ValueError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) => excel_serial_to_date(*n).map(Some).ok_or(ValueError::NotADate),
        Cell::Bool(_) => Err(ValueError::NotADate),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() || t == "-" {
                return Ok(None);
            }
            // 2019-03-12 (possibly with a time after it)
            let head = t.split([' ', 'T']).next().unwrap_or(t);
            let parts: Vec<&str> = head.split(['/', '-', '.']).collect();
            if parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(-1)).collect();
                return if parts[0].len() == 4 {
                    make(n[0] as i32, n[1] as u8, n[2] as u8).map(Some)
                } else if parts[2].len() == 4 {
                    make(n[2] as i32, n[1] as u8, n[0] as u8).map(Some)
                } else if parts[2].len() == 2 {
                    // Two-digit years: 98 → 1998, 05 → 2005.
                    let y = if n[2] > 30 { 1900 + n[2] } else { 2000 + n[2] };
                    make(y as i32, n[1] as u8, n[0] as u8).map(Some)
                } else {
                    Err(ValueError::NotADate)
                };
            }
            // 12 Maret 2019
            let words: Vec<&str> = t.split_whitespace().collect();
            if let [d, m, y] = words.as_slice()
                && let (Ok(d), Some(m), Ok(y)) = (d.parse::<u8>(), month_from_name(m), y.parse::<i32>())
            {
                return make(y, m, d).map(Some);
            }
            if let Ok(serial) = t.parse::<f64>() {
                return excel_serial_to_date(serial).map(Some).ok_or(ValueError::NotADate);
            }
            Err(ValueError::NotADate)
        }
    }
}

/// Whole Rupiah: `1500000`, `Rp 1.500.000`, `1.500.000,00`, `1,5 M` (miliar), `250 jt`
/// (juta), `2 rb` (ribu); numbers from the sheet as they are.
pub fn parse_rupiah(cell: &Cell) -> Result<Option<i64>, ValueError> {
    let v = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => n.round() as i64,
        Cell::Date(_) | Cell::Bool(_) => return Err(ValueError::NotANumber),
        Cell::Text(t) => {
            let t = t.trim().to_lowercase();
            if t.is_empty() || t == "-" {
                return Ok(None);
            }
            let t = t.strip_prefix("rp").unwrap_or(&t).trim().trim_start_matches('.').trim();
            let (number, factor) = [
                (" miliar", 1e9),
                (" milyar", 1e9),
                (" m", 1e9),
                (" juta", 1e6),
                (" jt", 1e6),
                (" rb", 1e3),
                (" ribu", 1e3),
            ]
            .iter()
            .find_map(|(suffix, f)| t.strip_suffix(suffix).map(|n| (n.trim(), *f)))
            .unwrap_or((t, 1.0));
            let neg = number.starts_with('-');
            let number = number.trim_start_matches('-');
            let value = if factor > 1.0 {
                // "1,5 M": the comma is the decimal sign.
                number
                    .replace('.', "")
                    .replace(',', ".")
                    .parse::<f64>()
                    .map_err(|_| ValueError::NotANumber)?
                    * factor
            } else {
                // "1.500.000,00": dots group thousands, a comma starts the cents.
                let whole = number.split(',').next().unwrap_or("");
                let digits: String = whole.chars().filter(|c| *c != '.' && *c != ' ').collect();
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(ValueError::NotANumber);
                }
                digits.parse::<f64>().map_err(|_| ValueError::NotANumber)?
            };
            let v = value.round() as i64;
            if neg { -v } else { v }
        }
    };
    Ok(Some(v))
}

/// A count (members, employees): whole, not negative; `1,065` and `1.065` are 1065.
pub fn parse_count(cell: &Cell) -> Result<Option<i64>, ValueError> {
    let v = match cell {
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() || t == "-" {
                return Ok(None);
            }
            let neg = t.starts_with('-');
            let digits: String = t
                .trim_start_matches('-')
                .chars()
                .filter(|c| !matches!(c, ',' | '.' | ' '))
                .collect();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ValueError::NotANumber);
            }
            let n: i64 = digits.parse().map_err(|_| ValueError::NotANumber)?;
            if neg { -n } else { n }
        }
        other => match parse_rupiah(other)? {
            Some(n) => n,
            None => return Ok(None),
        },
    };
    if v < 0 { Err(ValueError::Negative) } else { Ok(Some(v)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn dates_in_every_office_shape() {
        for (raw, want) in [
            ("12/03/2019", date!(2019 - 03 - 12)),
            ("12-03-2019", date!(2019 - 03 - 12)),
            ("2019-03-12", date!(2019 - 03 - 12)),
            ("12 Maret 2019", date!(2019 - 03 - 12)),
            ("12 Mar 2019", date!(2019 - 03 - 12)),
            ("1 Agustus 2020", date!(2020 - 08 - 01)),
            ("17/9/98", date!(1998 - 09 - 17)),
            ("43536", date!(2019 - 03 - 12)),
        ] {
            assert_eq!(parse_date(&t(raw)), Ok(Some(want)), "{raw}");
        }
        assert_eq!(parse_date(&Cell::Number(43536.0)), Ok(Some(date!(2019 - 03 - 12))));
        assert_eq!(parse_date(&t("31/02/2019")), Err(ValueError::NoSuchDate));
        assert_eq!(parse_date(&t("kemarin")), Err(ValueError::NotADate));
        assert_eq!(parse_date(&t("")), Ok(None));
    }

    #[test]
    fn rupiah_in_every_office_shape() {
        for (raw, want) in [
            ("1500000", 1_500_000),
            ("Rp 1.500.000", 1_500_000),
            ("Rp1.500.000", 1_500_000),
            ("1.500.000,00", 1_500_000),
            ("194.249.019,00", 194_249_019),
            ("1,5 M", 1_500_000_000),
            ("250 jt", 250_000_000),
            ("-2.000.000", -2_000_000),
        ] {
            assert_eq!(parse_rupiah(&t(raw)), Ok(Some(want)), "{raw}");
        }
        assert_eq!(parse_rupiah(&Cell::Number(5868317307.0)), Ok(Some(5_868_317_307)));
        assert_eq!(parse_rupiah(&t("banyak")), Err(ValueError::NotANumber));
    }

    #[test]
    fn counts_take_separators_but_not_signs() {
        assert_eq!(parse_count(&t("1,065")), Ok(Some(1065)));
        assert_eq!(parse_count(&t("1.065")), Ok(Some(1065)));
        assert_eq!(parse_count(&Cell::Number(396.0)), Ok(Some(396)));
        assert_eq!(parse_count(&t("-5")), Err(ValueError::Negative));
        assert_eq!(parse_count(&Cell::Number(-5.0)), Err(ValueError::Negative));
        assert_eq!(parse_count(&t("-")), Ok(None));
    }
}
