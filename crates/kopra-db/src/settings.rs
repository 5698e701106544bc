//! Office settings kept in the database, so every app server sees the same.

use crate::{Db, DbError, on_pool};
use kopra_domain::{FieldError, FieldErrors, HomeRegion};

pub const HOME_REGION: &str = "home_region";
/// Whether the office counts cooperatives of a wider bentuk (Provinsi, Nasional) that are
/// registered in its region as its own (domain.md §3). Default: no.
pub const INCLUDE_WIDER_BENTUK: &str = "include_wider_bentuk";
pub const DEMO_LOADED: &str = "demo_loaded";

/// The settings every request needs, read once at start.
#[derive(Debug, Clone)]
pub struct Office {
    pub home: HomeRegion,
    pub include_wider_bentuk: bool,
}

impl Db {
    pub async fn setting(&self, key: &str) -> Result<Option<String>, DbError> {
        Ok(
            on_pool!(self, p => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(p).await)?,
        )
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), DbError> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Reads the office settings; the home region is chosen at first start from
    /// `first_start_region` (default `32.75`, Kota Bekasi).
    pub async fn office(&self, first_start_region: Option<&str>) -> Result<Office, DbError> {
        let stored = self.setting(HOME_REGION).await?;
        let code = match (&stored, first_start_region) {
            (Some(s), _) => s.clone(),
            (None, region) => {
                let r = region.unwrap_or("32.75").to_string();
                let known = match HomeRegion::parse(&r) {
                    Ok(HomeRegion::National) => true,
                    Ok(_) => self.region(&r).await?.is_some(),
                    Err(_) => false,
                };
                if !known {
                    return Err(DbError::Invalid(FieldErrors::single(
                        "region",
                        FieldError::RegionUnknown,
                    )));
                }
                self.set_setting(HOME_REGION, &r).await?;
                r
            }
        };
        let home = HomeRegion::parse(&code).map_err(|_| DbError::Corrupt(format!("home region {code:?}")))?;
        let include_wider_bentuk = self.setting(INCLUDE_WIDER_BENTUK).await?.as_deref() == Some("true");
        Ok(Office {
            home,
            include_wider_bentuk,
        })
    }
}
