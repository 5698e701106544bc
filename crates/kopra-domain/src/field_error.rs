//! Validation errors per field, as stable codes. The web layer turns each code into a
//! sentence in the user's language (message key `field.<code>`).

use std::collections::BTreeMap;

/// Why one field's value was refused. The `code` is stable: programs and message files
/// depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("too_long")]
    TooLong,
    #[error("nik_format")]
    NikFormat,
    #[error("nik_taken")]
    NikTaken,
    #[error("already_used")]
    AlreadyUsed,
    #[error("too_short")]
    TooShort,
    #[error("negative")]
    Negative,
    #[error("total_mismatch")]
    TotalMismatch,
    #[error("before_book_year_end")]
    BeforeBookYearEnd,
    #[error("before_rat")]
    BeforeRat,
    #[error("number_format")]
    NumberFormat,
    #[error("file_too_large")]
    FileTooLarge,
    #[error("file_type")]
    FileType,
    #[error("date_format")]
    DateFormat,
    #[error("date_in_future")]
    DateInFuture,
    #[error("email_format")]
    EmailFormat,
    #[error("phone_format")]
    PhoneFormat,
    #[error("region_code_format")]
    RegionCodeFormat,
    #[error("region_unknown")]
    RegionUnknown,
    #[error("region_outside_home")]
    RegionOutsideHome,
    #[error("region_mismatch")]
    RegionMismatch,
    #[error("value_not_in_list")]
    ValueNotInList,
    #[error("grade_format")]
    GradeFormat,
    #[error("nib_format")]
    NibFormat,
    #[error("nib_taken")]
    NibTaken,
    #[error("kbli_format")]
    KbliFormat,
    #[error("not_positive")]
    NotPositive,
    #[error("kind_not_allowed")]
    KindNotAllowed,
    #[error("only_for_purchase")]
    OnlyForPurchase,
    #[error("before_previous_stage")]
    BeforePreviousStage,
}

impl FieldError {
    /// The stable code, also the message key suffix.
    pub fn code(self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooLong => "too_long",
            FieldError::NikFormat => "nik_format",
            FieldError::NikTaken => "nik_taken",
            FieldError::AlreadyUsed => "already_used",
            FieldError::TooShort => "too_short",
            FieldError::Negative => "negative",
            FieldError::TotalMismatch => "total_mismatch",
            FieldError::BeforeBookYearEnd => "before_book_year_end",
            FieldError::BeforeRat => "before_rat",
            FieldError::NumberFormat => "number_format",
            FieldError::FileTooLarge => "file_too_large",
            FieldError::FileType => "file_type",
            FieldError::DateFormat => "date_format",
            FieldError::DateInFuture => "date_in_future",
            FieldError::EmailFormat => "email_format",
            FieldError::PhoneFormat => "phone_format",
            FieldError::RegionCodeFormat => "region_code_format",
            FieldError::RegionUnknown => "region_unknown",
            FieldError::RegionOutsideHome => "region_outside_home",
            FieldError::RegionMismatch => "region_mismatch",
            FieldError::ValueNotInList => "value_not_in_list",
            FieldError::GradeFormat => "grade_format",
            FieldError::NibFormat => "nib_format",
            FieldError::NibTaken => "nib_taken",
            FieldError::KbliFormat => "kbli_format",
            FieldError::NotPositive => "not_positive",
            FieldError::KindNotAllowed => "kind_not_allowed",
            FieldError::OnlyForPurchase => "only_for_purchase",
            FieldError::BeforePreviousStage => "before_previous_stage",
        }
    }

    /// Every code, for the tidy test that checks each has a message in every language.
    pub const ALL: [FieldError; 30] = [
        FieldError::Required,
        FieldError::TooLong,
        FieldError::NikFormat,
        FieldError::NikTaken,
        FieldError::AlreadyUsed,
        FieldError::TooShort,
        FieldError::Negative,
        FieldError::TotalMismatch,
        FieldError::BeforeBookYearEnd,
        FieldError::BeforeRat,
        FieldError::NumberFormat,
        FieldError::FileTooLarge,
        FieldError::FileType,
        FieldError::DateFormat,
        FieldError::DateInFuture,
        FieldError::EmailFormat,
        FieldError::PhoneFormat,
        FieldError::RegionCodeFormat,
        FieldError::RegionUnknown,
        FieldError::RegionOutsideHome,
        FieldError::RegionMismatch,
        FieldError::ValueNotInList,
        FieldError::GradeFormat,
        FieldError::NibFormat,
        FieldError::NibTaken,
        FieldError::KbliFormat,
        FieldError::NotPositive,
        FieldError::KindNotAllowed,
        FieldError::OnlyForPurchase,
        FieldError::BeforePreviousStage,
    ];
}

/// Errors keyed by field name (the JSON field name), in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<&'static str, FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, error: FieldError) {
        self.0.entry(field).or_insert(error);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<FieldError> {
        self.0.get(field).copied()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, FieldError)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v))
    }
    pub fn single(field: &'static str, error: FieldError) -> Self {
        let mut e = Self::default();
        e.add(field, error);
        e
    }
}
