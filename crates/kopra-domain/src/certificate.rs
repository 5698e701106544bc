//! The NIK certificate's status (domain.md §2): issued to active cooperatives that held a
//! RAT, valid about two years. It follows from the stored valid-until date and today, with
//! ODS's own three labels.

use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    /// "Sudah Bersertifikat"
    Valid,
    /// "Sertifikat - Expired"
    Expired,
    /// "Belum Bersertifikat"
    None,
}

impl CertificateStatus {
    pub fn of(valid_until: Option<Date>, today: Date) -> Self {
        match valid_until {
            Some(d) if d >= today => CertificateStatus::Valid,
            Some(_) => CertificateStatus::Expired,
            None => CertificateStatus::None,
        }
    }

    /// ODS's label.
    pub fn ods_label(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "Sudah Bersertifikat",
            CertificateStatus::Expired => "Sertifikat - Expired",
            CertificateStatus::None => "Belum Bersertifikat",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Expired => "expired",
            CertificateStatus::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn status_follows_from_the_date_and_today() {
        let today = date!(2021 - 12 - 27);
        assert_eq!(
            CertificateStatus::of(Some(date!(2023 - 12 - 28)), today).ods_label(),
            "Sudah Bersertifikat"
        );
        assert_eq!(CertificateStatus::of(Some(today), today), CertificateStatus::Valid);
        assert_eq!(
            CertificateStatus::of(Some(date!(2021 - 12 - 26)), today).ods_label(),
            "Sertifikat - Expired"
        );
        assert_eq!(CertificateStatus::of(None, today).ods_label(), "Belum Bersertifikat");
    }
}
