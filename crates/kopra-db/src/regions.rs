//! The Kemendagri region reference (`data/wilayah.csv`: cahyadsn/wilayah, MIT licence,
//! Kepmendagri 300.2.2-2138/2025), loaded into the database at first start.

use crate::{Db, DbError, on_pool};
use kopra_domain::names::region_name_key;
use kopra_domain::{HomeRegion, RegionCode, RegionIndex, RegionLevel};
use serde::Serialize;

/// The whole reference, embedded in the binary.
pub const WILAYAH_CSV: &str = include_str!("../../../data/wilayah.csv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

const BATCH: usize = 100;

/// The names of every province, kab/kota and kecamatan, by code, from the same embedded
/// reference file the `regions` table is loaded from ([`WILAYAH_CSV`]); parsed once per
/// process. Counting by area (thousands of kecamatan nationally) names its rows from here
/// instead of a join or a query per request.
pub fn area_names() -> &'static std::collections::HashMap<String, String> {
    static NAMES: std::sync::OnceLock<std::collections::HashMap<String, String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(WILAYAH_CSV.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter(|r| !matches!(&r[2], "kelurahan" | "desa"))
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect()
    })
}

impl Db {
    /// Loads `csv` (`code,name,level`) when the region table is empty. Returns the number
    /// of rows loaded (0 when already loaded).
    pub async fn load_regions_if_empty(&self, csv: &str) -> Result<usize, DbError> {
        // Several servers starting at once on an empty PostgreSQL database take turns.
        let lock = self.setup_lock().await?;
        let result = self.load_regions_locked(csv).await;
        lock.release().await;
        result
    }

    async fn load_regions_locked(&self, csv: &str) -> Result<usize, DbError> {
        let count: i64 = on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(p).await)?;
        if count > 0 {
            return Ok(0);
        }
        let mut rows = Vec::new();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        for rec in reader.records() {
            let rec = rec.map_err(|e| DbError::Corrupt(format!("region file: {e}")))?;
            let (code, name, level) = (rec[0].to_string(), rec[1].to_string(), rec[2].to_string());
            let parsed = RegionCode::parse(&code).map_err(|_| DbError::Corrupt(format!("region code {code:?}")))?;
            let parent = parsed.parent().map(String::from);
            rows.push((code, name.clone(), level, parent, region_name_key(&name)));
        }
        // Multi-row statements of BATCH rows: few round trips on PostgreSQL, and small
        // enough that SQLite prepares them cheaply (one statement of 91,599 rows is slow).
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for chunk in rows.chunks(BATCH) {
                let mut sql = String::from("INSERT INTO regions (code, name, level, parent_code, name_key) VALUES ");
                for i in 0..chunk.len() {
                    let b = i * 5;
                    if i > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("(${},${},${},${},${})", b + 1, b + 2, b + 3, b + 4, b + 5));
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (code, name, level, parent, key) in chunk {
                    q = q.bind(code).bind(name).bind(level).bind(parent).bind(key);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(rows.len())
    }

    pub async fn region(&self, code: &str) -> Result<Option<Region>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, Region>(
            "SELECT code, name, level, parent_code FROM regions WHERE code = $1",
        ).bind(code).fetch_optional(p).await)?)
    }

    /// Regions filtered by level and parent, ordered by code.
    pub async fn regions(&self, level: Option<RegionLevel>, parent: Option<&str>) -> Result<Vec<Region>, DbError> {
        let level = level.map(|l| l.as_str());
        // One statement per combination, so each can use its index (an `$1 IS NULL OR …`
        // condition makes SQLite scan all 91,599 regions).
        let sql = match (level.is_some(), parent.is_some()) {
            (true, true) => {
                "SELECT code, name, level, parent_code FROM regions WHERE level = $1 AND parent_code = $2 ORDER BY code"
            }
            (false, true) => {
                "SELECT code, name, level, parent_code FROM regions WHERE parent_code = $2 AND $1 IS NULL ORDER BY code"
            }
            (true, false) => {
                "SELECT code, name, level, parent_code FROM regions WHERE level = $1 AND $2 IS NULL ORDER BY code"
            }
            (false, false) => {
                "SELECT code, name, level, parent_code FROM regions WHERE $1 IS NULL AND $2 IS NULL ORDER BY code"
            }
        };
        Ok(on_pool!(self, p => sqlx::query_as::<_, Region>(sql).bind(level).bind(parent).fetch_all(p).await)?)
    }

    /// The kecamatan of the office's region (for a province or the country: all of them).
    pub async fn kecamatan_in(&self, home: &HomeRegion) -> Result<Vec<Region>, DbError> {
        let prefix = match home {
            HomeRegion::National => String::new(),
            other => format!("{}.", other.code()),
        };
        Ok(on_pool!(self, p => sqlx::query_as::<_, Region>(
            "SELECT code, name, level, parent_code FROM regions WHERE level = 'kecamatan' AND code LIKE $1 ORDER BY code",
        ).bind(format!("{prefix}%")).fetch_all(p).await)?)
    }

    /// The kabupaten and kota of the office's region, ordered by code (for a kab/kota
    /// office: itself).
    pub async fn kabkota_in(&self, home: &HomeRegion) -> Result<Vec<Region>, DbError> {
        let sql = match home {
            HomeRegion::National => {
                "SELECT code, name, level, parent_code FROM regions WHERE level IN ('kabupaten', 'kota') AND $1 = 'ID' ORDER BY code"
            }
            HomeRegion::Province(_) => {
                "SELECT code, name, level, parent_code FROM regions WHERE parent_code = $1 AND level IN ('kabupaten', 'kota') ORDER BY code"
            }
            HomeRegion::KabKota(_) => "SELECT code, name, level, parent_code FROM regions WHERE code = $1",
        };
        Ok(on_pool!(self, p => sqlx::query_as::<_, Region>(sql).bind(home.code()).fetch_all(p).await)?)
    }

    /// Every kelurahan/desa of the office's area with its kecamatan's name, for forms.
    pub async fn kelurahan_in(&self, home: &HomeRegion) -> Result<Vec<(String, String, String)>, DbError> {
        let prefix = match home {
            HomeRegion::National => String::new(),
            other => format!("{}.", other.code()),
        };
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, String, String)>(
            "SELECT r.code, r.name, k.name FROM regions r JOIN regions k ON k.code = r.parent_code \
             WHERE r.level IN ('kelurahan', 'desa') AND r.code LIKE $1 ORDER BY k.name, r.name",
        ).bind(format!("{prefix}%")).fetch_all(p).await)?)
    }

    /// A name index over the office's region and the kab/kota list (for matching names).
    pub async fn region_index(&self, home: &HomeRegion) -> Result<RegionIndex, DbError> {
        let prefix = match home {
            HomeRegion::National => "%".to_string(),
            other => format!("{}.%", other.code()),
        };
        let rows: Vec<Region> = on_pool!(self, p => sqlx::query_as::<_, Region>(
            "SELECT code, name, level, parent_code FROM regions \
             WHERE code LIKE $1 OR level IN ('provinsi', 'kabupaten', 'kota')",
        ).bind(prefix).fetch_all(p).await)?;
        Ok(RegionIndex::new(rows.iter().filter_map(|r| {
            RegionLevel::parse(&r.level).map(|l| (r.code.as_str(), r.name.as_str(), l))
        })))
    }
}
