//! The UMKM list's query parameters, shared by the API and the pages.

use crate::error::AppError;
use kopra_db::cooperative_list::{ArchivedFilter, MAX_PER_PAGE};
use kopra_db::umkm::UmkmFilter;
use kopra_domain::umkm::SizeClass;
use kopra_domain::{FieldError, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UmkmListParams {
    /// Name (tolerant of case and punctuation) or NIB.
    pub q: Option<String>,
    /// Kemendagri kecamatan code, e.g. 32.75.07
    pub kecamatan: Option<String>,
    /// Kemendagri kelurahan code, e.g. 32.75.07.1002
    pub kelurahan: Option<String>,
    /// mikro, kecil, menengah or besar
    pub size_class: Option<String>,
    /// One product tag, e.g. boneka
    pub product: Option<String>,
    /// A KBLI code or its first digits
    pub kbli: Option<String>,
    pub cluster: Option<String>,
    /// false (default), true (archived only) or all
    pub archived: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl UmkmListParams {
    /// The filter, page and page size; a bad value is a 422 naming the parameter.
    pub fn parse(&self, default_per_page: i64) -> Result<(UmkmFilter, i64, i64), AppError> {
        let mut errors = FieldErrors::default();
        let archived = match opt(&self.archived).as_deref() {
            None | Some("false" | "0") => ArchivedFilter::Exclude,
            Some("true" | "1") => ArchivedFilter::Only,
            Some("all") => ArchivedFilter::Include,
            Some(_) => {
                errors.add("archived", FieldError::ValueNotInList);
                ArchivedFilter::Exclude
            }
        };
        let size_class = opt(&self.size_class);
        if size_class.as_deref().is_some_and(|s| SizeClass::parse(s).is_none()) {
            errors.add("size_class", FieldError::ValueNotInList);
        }
        let mut number = |v: &Option<String>, field: &'static str, default: i64, max: i64| match opt(v) {
            None => default,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    errors.add(field, FieldError::ValueNotInList);
                    default
                }
            },
        };
        let page = number(&self.page, "page", 1, 1_000_000);
        let per_page = number(&self.per_page, "per_page", default_per_page, MAX_PER_PAGE);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok((
            UmkmFilter {
                q: opt(&self.q),
                kecamatan: opt(&self.kecamatan),
                kelurahan: opt(&self.kelurahan),
                size_class,
                product: opt(&self.product),
                kbli: opt(&self.kbli),
                cluster: opt(&self.cluster),
                archived,
            },
            page,
            per_page,
        ))
    }

    /// The parameters as a query string (for paging links and exports).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("q", &self.q),
            ("kecamatan", &self.kecamatan),
            ("kelurahan", &self.kelurahan),
            ("size_class", &self.size_class),
            ("product", &self.product),
            ("kbli", &self.kbli),
            ("cluster", &self.cluster),
            ("archived", &self.archived),
        ]
        .into_iter()
        .filter_map(|(k, v)| opt(v).map(|v| (k, v)))
        .collect()
    }
}
