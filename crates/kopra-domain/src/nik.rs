//! NIK Koperasi (Nomor Induk Koperasi), Permenkop 10/2016; domain.md §2.
//!
//! Exactly 13 digits (all 122,090 NIKs in the December 2021 ODS copy are). Stored as
//! issued, never regenerated. It is not the 16-digit personal NIK on a KTP.

use crate::FieldError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NikKoperasi(String);

impl NikKoperasi {
    /// Accepts 13 digits; spaces and dots typed for readability are removed first.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        if digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(FieldError::NikFormat)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NikKoperasi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_digits_are_a_nik() {
        assert_eq!(NikKoperasi::parse("3275070040031").unwrap().as_str(), "3275070040031");
        assert_eq!(
            NikKoperasi::parse(" 3275.070.040.031 ").unwrap().as_str(),
            "3275070040031"
        );
    }

    #[test]
    fn other_lengths_and_letters_are_refused() {
        for bad in [
            "",
            "327507004003",
            "32750700400311",
            "3275070040O31",
            "3275070040031000",
        ] {
            assert_eq!(NikKoperasi::parse(bad), Err(FieldError::NikFormat), "{bad}");
        }
        // A 16-digit personal NIK (KTP) is not a NIK Koperasi.
        assert!(NikKoperasi::parse("3275012345678901").is_err());
    }
}
