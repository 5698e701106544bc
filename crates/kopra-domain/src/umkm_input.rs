//! A UMKM as entered (API, form, import) and as validated: the register fields of one
//! small business. The owner's name and phone are personal data; the web layer shows them
//! only to roles that need them and never in public output.

use crate::cooperative::{parse_iso_date, parse_phone};
use crate::umkm::{KbliCode, Nib, SizeClassing, normalise_tag, size_class};
use crate::{FieldError, FieldErrors, RegionCode};
use serde::{Deserialize, Serialize};
use time::Date;

const SHORT: usize = 200;
const LONG: usize = 2000;
/// At most this many KBLI codes and product tags per business.
const MAX_CODES: usize = 20;

/// The fields as sent: numbers are integer Rupiah or counts, lists are lists of text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UmkmInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub owner_name: Option<String>,
    #[serde(default)]
    pub owner_phone: Option<String>,
    /// NIB: 13 digits, optional, unique when present.
    #[serde(default)]
    pub nib: Option<String>,
    /// KBLI 2020 codes (5 digits each).
    #[serde(default)]
    pub kbli: Vec<String>,
    /// Products and commodities as free tags, e.g. `boneka`, `dakron`.
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// Kemendagri kelurahan/desa code, e.g. 32.75.07.1002; the kecamatan follows from it.
    #[serde(default)]
    pub kelurahan_code: Option<String>,
    /// Business capital (modal usaha, without land and buildings), integer Rupiah.
    #[serde(default)]
    pub capital: Option<i64>,
    /// Annual sales (hasil penjualan tahunan), integer Rupiah.
    #[serde(default)]
    pub annual_sales: Option<i64>,
    #[serde(default)]
    pub employees_male: Option<i64>,
    #[serde(default)]
    pub employees_female: Option<i64>,
    /// Surat Keterangan Berusaha number from the kelurahan/kecamatan.
    #[serde(default)]
    pub skb_number: Option<String>,
    /// e.g. "Sentra Boneka Bantargebang".
    #[serde(default)]
    pub cluster: Option<String>,
    /// The date the figures describe (YYYY-MM-DD; default today). Before 2021 the size
    /// class follows UU 20/2008.
    #[serde(default)]
    pub recorded_on: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A valid UMKM record's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UmkmFields {
    pub name: String,
    pub owner_name: Option<String>,
    pub owner_phone: Option<String>,
    pub nib: Option<String>,
    pub kbli: Vec<String>,
    pub products: Vec<String>,
    pub address: Option<String>,
    pub kelurahan_code: String,
    pub kecamatan_code: String,
    pub capital: Option<i64>,
    pub annual_sales: Option<i64>,
    pub employees_male: Option<i64>,
    pub employees_female: Option<i64>,
    pub skb_number: Option<String>,
    pub cluster: Option<String>,
    pub recorded_on: Date,
    pub notes: Option<String>,
}

fn text(v: &Option<String>, max: usize, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    if s.chars().count() > max {
        errors.add(field, FieldError::TooLong);
        return None;
    }
    Some(s.to_string())
}

fn amount(v: Option<i64>, field: &'static str, errors: &mut FieldErrors) -> Option<i64> {
    match v {
        Some(n) if n < 0 => {
            errors.add(field, FieldError::Negative);
            None
        }
        other => other,
    }
}

impl UmkmInput {
    pub fn parse(&self, today: Date) -> Result<UmkmFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = text(&self.name, SHORT, "name", &mut errors);
        if name.is_none() && errors.get("name").is_none() {
            errors.add("name", FieldError::Required);
        }
        let owner_name = text(&self.owner_name, SHORT, "owner_name", &mut errors);
        let owner_phone = text(&self.owner_phone, SHORT, "owner_phone", &mut errors).and_then(|p| {
            let parsed = parse_phone(&p);
            if parsed.is_none() {
                errors.add("owner_phone", FieldError::PhoneFormat);
            }
            parsed
        });
        let nib = text(&self.nib, SHORT, "nib", &mut errors).and_then(|n| match Nib::parse(&n) {
            Ok(n) => Some(n.as_str().to_string()),
            Err(_) => {
                errors.add("nib", FieldError::NibFormat);
                None
            }
        });
        let mut kbli: Vec<String> = Vec::new();
        for raw in self.kbli.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            match KbliCode::parse(raw) {
                Ok(code) if !kbli.iter().any(|k| k == code.as_str()) => kbli.push(code.as_str().to_string()),
                Ok(_) => {}
                Err(_) => errors.add("kbli", FieldError::KbliFormat),
            }
        }
        let mut products: Vec<String> = Vec::new();
        for tag in self.products.iter().filter_map(|p| normalise_tag(p)) {
            if tag.chars().count() > 60 {
                errors.add("products", FieldError::TooLong);
            } else if !products.contains(&tag) {
                products.push(tag);
            }
        }
        if kbli.len() > MAX_CODES {
            errors.add("kbli", FieldError::TooLong);
        }
        if products.len() > MAX_CODES {
            errors.add("products", FieldError::TooLong);
        }
        let address = text(&self.address, LONG, "address", &mut errors);
        let (kelurahan_code, kecamatan_code) = match text(&self.kelurahan_code, 40, "kelurahan_code", &mut errors) {
            None => {
                if errors.get("kelurahan_code").is_none() {
                    errors.add("kelurahan_code", FieldError::Required);
                }
                (None, None)
            }
            Some(code) => match RegionCode::parse(&code) {
                Ok(c) if matches!(c.level(), crate::RegionLevel::Kelurahan | crate::RegionLevel::Desa) => (
                    Some(c.as_str().to_string()),
                    c.truncate(3).map(|k| k.as_str().to_string()),
                ),
                Ok(_) => {
                    errors.add("kelurahan_code", FieldError::RegionMismatch);
                    (None, None)
                }
                Err(e) => {
                    errors.add("kelurahan_code", e);
                    (None, None)
                }
            },
        };
        let capital = amount(self.capital, "capital", &mut errors);
        let annual_sales = amount(self.annual_sales, "annual_sales", &mut errors);
        let employees_male = amount(self.employees_male, "employees_male", &mut errors);
        let employees_female = amount(self.employees_female, "employees_female", &mut errors);
        let skb_number = text(&self.skb_number, SHORT, "skb_number", &mut errors);
        let cluster = text(&self.cluster, SHORT, "cluster", &mut errors);
        let recorded_on = match text(&self.recorded_on, 40, "recorded_on", &mut errors) {
            None => today,
            Some(s) => match parse_iso_date(&s) {
                Some(d) if d > today => {
                    errors.add("recorded_on", FieldError::DateInFuture);
                    today
                }
                Some(d) => d,
                None => {
                    errors.add("recorded_on", FieldError::DateFormat);
                    today
                }
            },
        };
        let notes = text(&self.notes, LONG, "notes", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UmkmFields {
            name: name.unwrap_or_default(),
            owner_name,
            owner_phone,
            nib,
            kbli,
            products,
            address,
            kelurahan_code: kelurahan_code.unwrap_or_default(),
            kecamatan_code: kecamatan_code.unwrap_or_default(),
            capital,
            annual_sales,
            employees_male,
            employees_female,
            skb_number,
            cluster,
            recorded_on,
            notes,
        })
    }
}

impl UmkmFields {
    /// The size class per PP 7/2021 (UU 20/2008 for figures dated before 2021), with the
    /// basis used; `None` when neither capital nor sales is known (domain.md §7).
    pub fn size(&self) -> Option<SizeClassing> {
        size_class(self.capital, self.annual_sales, self.recorded_on.year())
    }

    /// The owner's data removed, for output to roles that may not see personal data.
    pub fn without_personal_data(mut self) -> Self {
        self.owner_name = None;
        self.owner_phone = None;
        self
    }

    /// The fields as label keys and display values, for history diffs.
    pub fn display_fields(&self) -> Vec<(&'static str, Option<String>)> {
        let n = |v: Option<i64>| v.map(|v| v.to_string());
        let list = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
        vec![
            ("name", Some(self.name.clone())),
            ("owner_name", self.owner_name.clone()),
            ("owner_phone", self.owner_phone.clone()),
            ("nib", self.nib.clone()),
            ("kbli", list(&self.kbli)),
            ("products", list(&self.products)),
            ("address", self.address.clone()),
            ("kelurahan_code", Some(self.kelurahan_code.clone())),
            ("capital", n(self.capital)),
            ("annual_sales", n(self.annual_sales)),
            ("employees_male", n(self.employees_male)),
            ("employees_female", n(self.employees_female)),
            ("skb_number", self.skb_number.clone()),
            ("cluster", self.cluster.clone()),
            ("recorded_on", Some(self.recorded_on.to_string())),
            ("notes", self.notes.clone()),
        ]
    }
}

/// Fields whose values are personal data (masked in history for roles that may not see them).
pub const PERSONAL_FIELDS: [&str; 2] = ["owner_name", "owner_phone"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::umkm::SizeClass;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    fn doll_maker() -> UmkmInput {
        UmkmInput {
            name: Some("  Boneka Ceria  ".into()),
            nib: Some("9120 0012 3456 7".into()),
            kbli: vec!["32402".into(), "32402".into()],
            products: vec!["Boneka".into(), " dakron ".into(), "boneka".into()],
            kelurahan_code: Some("32.75.07.1002".into()),
            capital: Some(1_000_000_000),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_business_is_normalised_and_its_kecamatan_derived() {
        let f = doll_maker().parse(TODAY).unwrap();
        assert_eq!(f.name, "Boneka Ceria");
        assert_eq!(f.nib.as_deref(), Some("9120001234567"));
        assert_eq!(f.kbli, vec!["32402"]);
        assert_eq!(f.products, vec!["boneka", "dakron"]);
        assert_eq!(f.kecamatan_code, "32.75.07");
        assert_eq!(f.recorded_on, TODAY);
        assert_eq!(
            f.size().map(|s| s.class),
            Some(SizeClass::Mikro),
            "capital of exactly 1 bn"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let input = UmkmInput {
            name: None,
            nib: Some("12345".into()),
            kbli: vec!["3240".into()],
            kelurahan_code: Some("32.75.07".into()),
            capital: Some(-1),
            recorded_on: Some("2027-01-01".into()),
            owner_phone: Some("nomor".into()),
            ..Default::default()
        };
        let e = input.parse(TODAY).unwrap_err();
        assert_eq!(e.get("name"), Some(FieldError::Required));
        assert_eq!(e.get("nib"), Some(FieldError::NibFormat));
        assert_eq!(e.get("kbli"), Some(FieldError::KbliFormat));
        assert_eq!(
            e.get("kelurahan_code"),
            Some(FieldError::RegionMismatch),
            "a kecamatan is not a kelurahan"
        );
        assert_eq!(e.get("capital"), Some(FieldError::Negative));
        assert_eq!(e.get("recorded_on"), Some(FieldError::DateInFuture));
        assert_eq!(e.get("owner_phone"), Some(FieldError::PhoneFormat));
        let missing = UmkmInput {
            name: Some("X".into()),
            ..Default::default()
        };
        assert_eq!(
            missing.parse(TODAY).unwrap_err().get("kelurahan_code"),
            Some(FieldError::Required)
        );
    }

    #[test]
    fn figures_dated_before_2021_follow_the_older_law() {
        let mut input = doll_maker();
        input.capital = Some(60_000_000);
        input.recorded_on = Some("2019-06-30".into());
        let f = input.parse(TODAY).unwrap();
        assert_eq!(
            f.size().map(|s| s.class),
            Some(SizeClass::Kecil),
            "UU 20/2008: net assets > 50 m"
        );
        input.recorded_on = None;
        let f = input.parse(TODAY).unwrap();
        assert_eq!(f.size().map(|s| s.class), Some(SizeClass::Mikro), "PP 7/2021: ≤ 1 bn");
    }

    #[test]
    fn personal_data_can_be_removed() {
        let mut input = doll_maker();
        input.owner_name = Some("Ibu Sari".into());
        input.owner_phone = Some("0812 1111 2222".into());
        let f = input.parse(TODAY).unwrap();
        assert_eq!(f.owner_phone.as_deref(), Some("081211112222"));
        let public = f.without_personal_data();
        assert_eq!((public.owner_name, public.owner_phone), (None, None));
    }
}
