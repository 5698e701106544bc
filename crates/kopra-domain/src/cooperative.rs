//! A cooperative's register fields (domain.md §2–§3) and their validation.
//!
//! [`CooperativeInput`] is what a form, the API or an import row says, as text.
//! [`CooperativeInput::parse`] turns it into [`CooperativeFields`], which can only hold
//! valid values, or into [`FieldErrors`] naming every field that is wrong.
//! Whether a region code exists, and whether a NIK is already taken, are questions for
//! the register (the storage crate) and are checked there.

use crate::value_sets::{Bentuk, Jenis, Kelompok, Loop, ODS_GRADES, Sektor};
use crate::{FieldError, FieldErrors, NikKoperasi, RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

/// An amendment of the articles (perubahan anggaran dasar): number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Amendment {
    pub number: String,
    #[serde(default)]
    pub date: Option<Date>,
}

/// An amendment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AmendmentInput {
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// The register fields as typed: every value is text and may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CooperativeInput {
    #[serde(default)]
    pub nik: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub legal_entity_number: Option<String>,
    #[serde(default)]
    pub legal_entity_date: Option<String>,
    #[serde(default)]
    pub amendments: Vec<AmendmentInput>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub kelurahan_code: Option<String>,
    #[serde(default)]
    pub kecamatan_code: Option<String>,
    #[serde(default)]
    pub kelurahan_text: Option<String>,
    #[serde(default)]
    pub bentuk: Option<String>,
    #[serde(default)]
    pub jenis: Option<String>,
    #[serde(default)]
    pub kelompok: Option<String>,
    #[serde(default)]
    pub sektor: Option<String>,
    #[serde(default, rename = "loop")]
    pub loop_: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub certificate_valid_until: Option<String>,
    #[serde(default)]
    pub ods_grade: Option<String>,
    #[serde(default)]
    pub ods_last_rat_date: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Ketua Pengurus (personal data, like the rest of the board below).
    #[serde(default)]
    pub chair_name: Option<String>,
    /// HP Ketua.
    #[serde(default)]
    pub chair_phone: Option<String>,
    /// Sekretaris.
    #[serde(default)]
    pub secretary_name: Option<String>,
    /// Bendahara.
    #[serde(default)]
    pub treasurer_name: Option<String>,
    /// Ketua Pengawas.
    #[serde(default)]
    pub supervisor_name: Option<String>,
    /// Manajer.
    #[serde(default)]
    pub manager_name: Option<String>,
}

/// Validated register fields. Region codes are well-formed but not yet checked to exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CooperativeFields {
    pub nik: Option<String>,
    pub name: String,
    pub legal_entity_number: Option<String>,
    pub legal_entity_date: Option<Date>,
    pub amendments: Vec<Amendment>,
    pub address: Option<String>,
    pub kelurahan_code: Option<String>,
    pub kecamatan_code: String,
    pub kelurahan_text: Option<String>,
    pub bentuk: Option<String>,
    pub jenis: Option<String>,
    pub kelompok: Option<String>,
    pub sektor: Option<String>,
    #[serde(rename = "loop")]
    pub loop_: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub certificate_valid_until: Option<Date>,
    pub ods_grade: Option<String>,
    /// ODS's "Tanggal RAT Terakhir", kept as received until annual reports exist.
    pub ods_last_rat_date: Option<Date>,
    pub notes: Option<String>,
    /// The board (pengurus/pengawas): personal data, shown only to those who may see it
    /// (see [`BOARD_FIELDS`]). `default` so snapshots stored before these fields existed
    /// still read.
    #[serde(default)]
    pub chair_name: Option<String>,
    #[serde(default)]
    pub chair_phone: Option<String>,
    #[serde(default)]
    pub secretary_name: Option<String>,
    #[serde(default)]
    pub treasurer_name: Option<String>,
    #[serde(default)]
    pub supervisor_name: Option<String>,
    #[serde(default)]
    pub manager_name: Option<String>,
}

/// The board's fields (pengurus and pengawas), in form order: personal data.
pub const BOARD_FIELDS: [&str; 6] = [
    "chair_name",
    "chair_phone",
    "secretary_name",
    "treasurer_name",
    "supervisor_name",
    "manager_name",
];

/// Is this field (a name from [`CooperativeFields::display_fields`]) personal data?
pub fn is_personal_field(field: &str) -> bool {
    BOARD_FIELDS.contains(&field)
}

const SHORT: usize = 200;
const LONG: usize = 2000;

/// Trimmed text, or `None` when blank.
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn text(v: &Option<String>, max: usize, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let s = present(v)?;
    if s.chars().count() > max {
        errors.add(field, FieldError::TooLong);
        return None;
    }
    Some(s.to_string())
}

/// ISO `YYYY-MM-DD`, as browsers' date inputs and the API send it.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

fn date(v: &Option<String>, field: &'static str, errors: &mut FieldErrors) -> Option<Date> {
    let s = present(v)?;
    match parse_iso_date(s) {
        Some(d) => Some(d),
        None => {
            errors.add(field, FieldError::DateFormat);
            None
        }
    }
}

fn past_date(v: &Option<String>, field: &'static str, today: Date, errors: &mut FieldErrors) -> Option<Date> {
    let d = date(v, field, errors)?;
    if d > today {
        errors.add(field, FieldError::DateInFuture);
        return None;
    }
    Some(d)
}

fn from_set(
    v: &Option<String>,
    field: &'static str,
    parse: impl Fn(&str) -> Option<&'static str>,
    errors: &mut FieldErrors,
) -> Option<String> {
    let s = present(v)?;
    match parse(s) {
        Some(official) => Some(official.to_string()),
        None => {
            errors.add(field, FieldError::ValueNotInList);
            None
        }
    }
}

/// Indonesian phone numbers as offices write them: `0812-3456-7890`, `+62 812 3456 7890`,
/// `(021) 8800123`. Separators are removed; 7 to 15 digits remain, `+` only in front.
pub fn parse_phone(s: &str) -> Option<String> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    let ok = (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(cleaned)
}

/// A plain e-mail check: one `@`, something before it, a dotted domain after, no spaces.
pub fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

impl CooperativeInput {
    /// Validates every field and reports all errors at once. `today` bounds dates that
    /// cannot lie in the future (founding, amendments).
    pub fn parse(&self, today: Date) -> Result<CooperativeFields, FieldErrors> {
        let mut e = FieldErrors::default();

        let nik = present(&self.nik).and_then(|s| match NikKoperasi::parse(s) {
            Ok(n) => Some(n.as_str().to_string()),
            Err(err) => {
                e.add("nik", err);
                None
            }
        });
        let name = text(&self.name, SHORT, "name", &mut e);
        if present(&self.name).is_none() {
            e.add("name", FieldError::Required);
        }
        let legal_entity_number = text(&self.legal_entity_number, SHORT, "legal_entity_number", &mut e);
        let legal_entity_date = past_date(&self.legal_entity_date, "legal_entity_date", today, &mut e);

        let mut amendments = Vec::new();
        for a in &self.amendments {
            let number = text(&a.number, SHORT, "amendments", &mut e);
            let date = past_date(&a.date, "amendments", today, &mut e);
            match number {
                Some(number) => amendments.push(Amendment { number, date }),
                None if date.is_some() => e.add("amendments", FieldError::Required),
                None => {}
            }
        }

        let address = text(&self.address, LONG, "address", &mut e);
        let kelurahan_code = present(&self.kelurahan_code).and_then(|s| match RegionCode::parse(s) {
            Ok(c) if matches!(c.level(), RegionLevel::Kelurahan | RegionLevel::Desa) => Some(c),
            _ => {
                e.add("kelurahan_code", FieldError::RegionCodeFormat);
                None
            }
        });
        let kecamatan_given = present(&self.kecamatan_code).and_then(|s| match RegionCode::parse(s) {
            Ok(c) if c.level() == RegionLevel::Kecamatan => Some(c),
            _ => {
                e.add("kecamatan_code", FieldError::RegionCodeFormat);
                None
            }
        });
        let kecamatan_code = match (&kelurahan_code, &kecamatan_given) {
            (Some(kel), Some(kec)) if kel.parent().as_ref() != Some(kec) => {
                e.add("kelurahan_code", FieldError::RegionMismatch);
                None
            }
            (Some(kel), _) => kel.parent(),
            (None, Some(kec)) => Some(kec.clone()),
            (None, None) => {
                if e.get("kecamatan_code").is_none() && e.get("kelurahan_code").is_none() {
                    e.add("kecamatan_code", FieldError::Required);
                }
                None
            }
        };
        let kelurahan_text = text(&self.kelurahan_text, SHORT, "kelurahan_text", &mut e);

        let bentuk = from_set(&self.bentuk, "bentuk", |s| Bentuk::parse(s).map(Bentuk::as_str), &mut e);
        let jenis = from_set(&self.jenis, "jenis", Jenis::parse, &mut e);
        let kelompok = from_set(&self.kelompok, "kelompok", Kelompok::parse, &mut e);
        let sektor = from_set(&self.sektor, "sektor", Sektor::parse, &mut e);
        let loop_ = from_set(&self.loop_, "loop", |s| Loop::parse(s).map(Loop::as_str), &mut e);

        let phone = present(&self.phone).and_then(|s| {
            let p = parse_phone(s);
            if p.is_none() {
                e.add("phone", FieldError::PhoneFormat);
            }
            p
        });
        let email = present(&self.email).and_then(|s| {
            if s.len() <= SHORT && is_plausible_email(s) {
                Some(s.to_lowercase())
            } else {
                e.add("email", FieldError::EmailFormat);
                None
            }
        });
        let certificate_valid_until = date(&self.certificate_valid_until, "certificate_valid_until", &mut e);
        let ods_grade = present(&self.ods_grade).and_then(|s| {
            let up = s.to_uppercase();
            if ODS_GRADES.contains(&up.as_str()) {
                Some(up)
            } else {
                e.add("ods_grade", FieldError::GradeFormat);
                None
            }
        });
        let ods_last_rat_date = past_date(&self.ods_last_rat_date, "ods_last_rat_date", today, &mut e);
        let notes = text(&self.notes, LONG, "notes", &mut e);
        let chair_name = text(&self.chair_name, SHORT, "chair_name", &mut e);
        let chair_phone = present(&self.chair_phone).and_then(|s| {
            let p = parse_phone(s);
            if p.is_none() {
                e.add("chair_phone", FieldError::PhoneFormat);
            }
            p
        });
        let secretary_name = text(&self.secretary_name, SHORT, "secretary_name", &mut e);
        let treasurer_name = text(&self.treasurer_name, SHORT, "treasurer_name", &mut e);
        let supervisor_name = text(&self.supervisor_name, SHORT, "supervisor_name", &mut e);
        let manager_name = text(&self.manager_name, SHORT, "manager_name", &mut e);

        if !e.is_empty() {
            return Err(e);
        }
        Ok(CooperativeFields {
            nik,
            name: name.expect("checked above"),
            legal_entity_number,
            legal_entity_date,
            amendments,
            address,
            kelurahan_code: kelurahan_code.map(String::from),
            kecamatan_code: kecamatan_code.map(String::from).expect("checked above"),
            kelurahan_text,
            bentuk,
            jenis,
            kelompok,
            sektor,
            loop_,
            phone,
            email,
            certificate_valid_until,
            ods_grade,
            ods_last_rat_date,
            notes,
            chair_name,
            chair_phone,
            secretary_name,
            treasurer_name,
            supervisor_name,
            manager_name,
        })
    }
}

impl CooperativeFields {
    /// The fields back as input text, so a partial change can be laid over them.
    pub fn to_input(&self) -> CooperativeInput {
        let d = |d: &Option<Date>| d.map(|d| d.to_string());
        CooperativeInput {
            nik: self.nik.clone(),
            name: Some(self.name.clone()),
            legal_entity_number: self.legal_entity_number.clone(),
            legal_entity_date: d(&self.legal_entity_date),
            amendments: self
                .amendments
                .iter()
                .map(|a| AmendmentInput {
                    number: Some(a.number.clone()),
                    date: d(&a.date),
                })
                .collect(),
            address: self.address.clone(),
            kelurahan_code: self.kelurahan_code.clone(),
            kecamatan_code: Some(self.kecamatan_code.clone()),
            kelurahan_text: self.kelurahan_text.clone(),
            bentuk: self.bentuk.clone(),
            jenis: self.jenis.clone(),
            kelompok: self.kelompok.clone(),
            sektor: self.sektor.clone(),
            loop_: self.loop_.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            certificate_valid_until: d(&self.certificate_valid_until),
            ods_grade: self.ods_grade.clone(),
            ods_last_rat_date: d(&self.ods_last_rat_date),
            notes: self.notes.clone(),
            chair_name: self.chair_name.clone(),
            chair_phone: self.chair_phone.clone(),
            secretary_name: self.secretary_name.clone(),
            treasurer_name: self.treasurer_name.clone(),
            supervisor_name: self.supervisor_name.clone(),
            manager_name: self.manager_name.clone(),
        }
    }

    /// The same fields with the board (personal data) emptied, for those who may not see it.
    pub fn without_board(&self) -> CooperativeFields {
        CooperativeFields {
            chair_name: None,
            chair_phone: None,
            secretary_name: None,
            treasurer_name: None,
            supervisor_name: None,
            manager_name: None,
            ..self.clone()
        }
    }

    /// Each field as display text, in form order: what the history compares.
    pub fn display_fields(&self) -> Vec<(&'static str, Option<String>)> {
        let d = |d: &Option<Date>| d.map(|d| d.to_string());
        let amendments = (!self.amendments.is_empty()).then(|| {
            self.amendments
                .iter()
                .map(|a| match a.date {
                    Some(date) => format!("{} ({date})", a.number),
                    None => a.number.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        });
        vec![
            ("nik", self.nik.clone()),
            ("name", Some(self.name.clone())),
            ("legal_entity_number", self.legal_entity_number.clone()),
            ("legal_entity_date", d(&self.legal_entity_date)),
            ("amendments", amendments),
            ("address", self.address.clone()),
            ("kecamatan_code", Some(self.kecamatan_code.clone())),
            ("kelurahan_code", self.kelurahan_code.clone()),
            ("kelurahan_text", self.kelurahan_text.clone()),
            ("bentuk", self.bentuk.clone()),
            ("jenis", self.jenis.clone()),
            ("kelompok", self.kelompok.clone()),
            ("sektor", self.sektor.clone()),
            ("loop", self.loop_.clone()),
            ("phone", self.phone.clone()),
            ("email", self.email.clone()),
            ("certificate_valid_until", d(&self.certificate_valid_until)),
            ("ods_grade", self.ods_grade.clone()),
            ("ods_last_rat_date", d(&self.ods_last_rat_date)),
            ("notes", self.notes.clone()),
            ("chair_name", self.chair_name.clone()),
            ("chair_phone", self.chair_phone.clone()),
            ("secretary_name", self.secretary_name.clone()),
            ("treasurer_name", self.treasurer_name.clone()),
            ("supervisor_name", self.supervisor_name.clone()),
            ("manager_name", self.manager_name.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    fn input() -> CooperativeInput {
        CooperativeInput {
            name: Some("Koperasi Sentra Pengrajin Boneka".into()),
            kelurahan_code: Some("32.75.07.1004".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_kelurahan_gives_its_kecamatan() {
        let f = input().parse(TODAY).unwrap();
        assert_eq!(f.kecamatan_code, "32.75.07");
        assert_eq!(f.kelurahan_code.as_deref(), Some("32.75.07.1004"));
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let bad = CooperativeInput {
            nik: Some("12345".into()),
            name: Some("   ".into()),
            legal_entity_date: Some("2030-01-01".into()),
            email: Some("not-an-email".into()),
            jenis: Some("Leasing".into()),
            ods_grade: Some("E".into()),
            phone: Some("call me".into()),
            ..Default::default()
        };
        let e = bad.parse(TODAY).unwrap_err();
        assert_eq!(e.get("nik"), Some(FieldError::NikFormat));
        assert_eq!(e.get("name"), Some(FieldError::Required));
        assert_eq!(e.get("legal_entity_date"), Some(FieldError::DateInFuture));
        assert_eq!(e.get("email"), Some(FieldError::EmailFormat));
        assert_eq!(e.get("jenis"), Some(FieldError::ValueNotInList));
        assert_eq!(e.get("ods_grade"), Some(FieldError::GradeFormat));
        assert_eq!(e.get("phone"), Some(FieldError::PhoneFormat));
        assert_eq!(e.get("kecamatan_code"), Some(FieldError::Required));
    }

    #[test]
    fn kelurahan_must_lie_in_the_given_kecamatan() {
        let mut i = input();
        i.kecamatan_code = Some("32.75.04".into());
        assert_eq!(
            i.parse(TODAY).unwrap_err().get("kelurahan_code"),
            Some(FieldError::RegionMismatch)
        );
    }

    #[test]
    fn values_are_stored_in_their_official_spelling() {
        let mut i = input();
        i.jenis = Some("simpan pinjam".into());
        i.bentuk = Some("PRIMER KABUPATEN/KOTA".into());
        i.phone = Some("+62 812-3456-7890".into());
        i.email = Some("Info@Koperasi.ID".into());
        i.loop_ = Some("tertutup".into());
        let f = i.parse(TODAY).unwrap();
        assert_eq!(f.jenis.as_deref(), Some("Simpan Pinjam"));
        assert_eq!(f.bentuk.as_deref(), Some("Primer Kabupaten/Kota"));
        assert_eq!(f.phone.as_deref(), Some("+6281234567890"));
        assert_eq!(f.email.as_deref(), Some("info@koperasi.id"));
        assert_eq!(f.loop_.as_deref(), Some("closed"));
    }

    #[test]
    fn the_board_is_parsed_like_other_names_and_the_chairs_phone_like_the_phone() {
        let mut i = input();
        i.chair_name = Some("  Hj. Siti Aminah ".into());
        i.chair_phone = Some("0812-3456-7890".into());
        i.manager_name = Some("x".repeat(201));
        let e = i.parse(TODAY).unwrap_err();
        assert_eq!(e.get("manager_name"), Some(FieldError::TooLong));
        i.manager_name = None;
        let f = i.parse(TODAY).unwrap();
        assert_eq!(f.chair_name.as_deref(), Some("Hj. Siti Aminah"));
        assert_eq!(f.chair_phone.as_deref(), Some("081234567890"));
        i.chair_phone = Some("ketua".into());
        assert_eq!(
            i.parse(TODAY).unwrap_err().get("chair_phone"),
            Some(FieldError::PhoneFormat)
        );
    }

    #[test]
    fn a_snapshot_stored_before_the_board_existed_still_reads() {
        let old = r#"{"nik":null,"name":"Kop Lama","legal_entity_number":null,"legal_entity_date":null,
            "amendments":[],"address":null,"kelurahan_code":null,"kecamatan_code":"32.75.07",
            "kelurahan_text":null,"bentuk":null,"jenis":null,"kelompok":null,"sektor":null,"loop":null,
            "phone":null,"email":null,"certificate_valid_until":null,"ods_grade":null,
            "ods_last_rat_date":null,"notes":null}"#;
        let f: CooperativeFields = serde_json::from_str(old).unwrap();
        assert_eq!(f.name, "Kop Lama");
        assert_eq!(f.chair_name, None);
        assert!(f.display_fields().iter().any(|(k, _)| is_personal_field(k)));
    }

    #[test]
    fn fields_survive_a_round_trip_through_input() {
        let mut i = input();
        i.chair_name = Some("Budi Santoso".into());
        i.chair_phone = Some("+62 812 1111 2222".into());
        i.supervisor_name = Some("Dewi".into());
        i.amendments = vec![AmendmentInput {
            number: Some("AHU-1.AH.01.27.TAHUN 2021".into()),
            date: Some("2021-05-19".into()),
        }];
        i.legal_entity_date = Some("2009-12-28".into());
        let f = i.parse(TODAY).unwrap();
        assert_eq!(f.to_input().parse(TODAY).unwrap(), f);
    }
}
