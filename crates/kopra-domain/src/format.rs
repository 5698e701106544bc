//! Money and dates written out for the sentences this crate produces (readiness details,
//! award sheets). Money is integer Rupiah (domain.md §4), written the Indonesian way with
//! dots between thousands: `Rp12.500.000`, `-Rp3.000.000`. Dates are written with the
//! month's name: `12 Maret 2025` in Indonesian, `12 March 2025` in English.

use time::{Date, Month};

/// `1234567` → `1.234.567` (dots between thousands).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Integer Rupiah: `Rp12.500.000`; a negative amount puts the sign first: `-Rp3.000.000`.
pub fn rupiah(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}Rp{}", thousands(n.unsigned_abs()))
}

pub fn month_id(m: Month) -> &'static str {
    match m {
        Month::January => "Januari",
        Month::February => "Februari",
        Month::March => "Maret",
        Month::April => "April",
        Month::May => "Mei",
        Month::June => "Juni",
        Month::July => "Juli",
        Month::August => "Agustus",
        Month::September => "September",
        Month::October => "Oktober",
        Month::November => "November",
        Month::December => "Desember",
    }
}

pub fn month_en(m: Month) -> &'static str {
    match m {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

/// `12 Maret 2025`.
pub fn date_id(d: Date) -> String {
    format!("{} {} {}", d.day(), month_id(d.month()), d.year())
}

/// `12 March 2025`.
pub fn date_en(d: Date) -> String {
    format!("{} {} {}", d.day(), month_en(d.month()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rupiah_uses_dots_and_puts_the_sign_first() {
        assert_eq!(rupiah(12_500_000), "Rp12.500.000");
        assert_eq!(rupiah(-3_000_000), "-Rp3.000.000");
        assert_eq!(rupiah(0), "Rp0");
        assert_eq!(rupiah(999), "Rp999");
        assert_eq!(rupiah(1_000), "Rp1.000");
        assert_eq!(rupiah(i64::MIN), "-Rp9.223.372.036.854.775.808");
    }

    #[test]
    fn dates_name_the_month() {
        assert_eq!(date_id(date!(2025 - 03 - 12)), "12 Maret 2025");
        assert_eq!(date_en(date!(2025 - 03 - 12)), "12 March 2025");
        assert_eq!(date_id(date!(1947 - 07 - 12)), "12 Juli 1947");
    }
}
