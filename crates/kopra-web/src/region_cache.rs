//! The region lists that pages offer, read from the database once per process.
//!
//! The Kemendagri reference is loaded into the database at first start (before any server
//! answers) and never changes afterwards, and the office's home region is fixed when the
//! server starts: so every app server, even several on one PostgreSQL database, may keep
//! its own copy without ever holding stale data. Nothing else is kept here. An empty answer
//! (a reference not loaded yet, an unknown code) is never kept, so neither a half-started
//! database nor made-up codes in requests leave anything behind.

use kopra_db::regions::Region;
use kopra_db::{Db, DbError};
use kopra_domain::HomeRegion;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

type List = Arc<Vec<Region>>;

#[derive(Default)]
pub struct RegionCache {
    kabkota: OnceLock<List>,
    kecamatan: OnceLock<List>,
    /// Children (level below) by parent code: a kab/kota's kecamatan, a kecamatan's
    /// kelurahan/desa. Bounded by the reference itself.
    children: RwLock<HashMap<String, List>>,
}

impl std::fmt::Debug for RegionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegionCache").finish_non_exhaustive()
    }
}

fn keep(cell: &OnceLock<List>, rows: Vec<Region>) -> List {
    let list = Arc::new(rows);
    if list.is_empty() {
        return list;
    }
    cell.get_or_init(|| list).clone()
}

impl RegionCache {
    /// The kabupaten/kota of the office's region, ordered by code.
    pub async fn kabkota_in(&self, db: &Db, home: &HomeRegion) -> Result<List, DbError> {
        if let Some(l) = self.kabkota.get() {
            return Ok(l.clone());
        }
        Ok(keep(&self.kabkota, db.kabkota_in(home).await?))
    }

    /// The kecamatan of the office's region, ordered by code.
    pub async fn kecamatan_in(&self, db: &Db, home: &HomeRegion) -> Result<List, DbError> {
        if let Some(l) = self.kecamatan.get() {
            return Ok(l.clone());
        }
        Ok(keep(&self.kecamatan, db.kecamatan_in(home).await?))
    }

    /// The regions whose parent is `parent`, ordered by code.
    pub async fn children(&self, db: &Db, parent: &str) -> Result<List, DbError> {
        if let Some(l) = self.children.read().unwrap_or_else(|e| e.into_inner()).get(parent) {
            return Ok(l.clone());
        }
        let list = Arc::new(db.regions(None, Some(parent)).await?);
        if !list.is_empty() {
            self.children
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(parent.to_string(), list.clone());
        }
        Ok(list)
    }
}
