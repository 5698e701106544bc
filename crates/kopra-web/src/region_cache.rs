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

type List = Arc<RegionList>;

/// A region list with its `<option>`s written once, escaped: a national office's list page
/// offers 514 kab/kota, and building and escaping each option on every request cost more
/// than the page's query (BENCHMARKS.md).
pub struct RegionList {
    pub regions: Vec<Region>,
    html: String,
    /// Where each region's ` selected` goes in `html`: just after its `value="…"`.
    marks: Vec<usize>,
}

impl RegionList {
    fn new(regions: Vec<Region>) -> Self {
        use askama::filters::{Escaper, Html};
        let mut html = String::with_capacity(regions.len() * 48);
        let mut marks = Vec::with_capacity(regions.len());
        for r in &regions {
            html.push_str("<option value=\"");
            let _ = Html.write_escaped_str(&mut html, &r.code);
            html.push('"');
            marks.push(html.len());
            html.push('>');
            let _ = Html.write_escaped_str(&mut html, &r.name);
            html.push_str("</option>");
        }
        RegionList { regions, html, marks }
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    pub fn contains(&self, code: &str) -> bool {
        self.regions.iter().any(|r| r.code == code)
    }

    /// The options, with `selected` marked when it is one of them.
    pub fn options(self: &Arc<Self>, selected: Option<&str>) -> RegionOptions {
        let selected = selected
            .map(str::trim)
            .and_then(|c| self.regions.iter().position(|r| r.code == c));
        RegionOptions {
            list: self.clone(),
            selected,
        }
    }
}

/// A region list's `<option>`s for one page (already escaped: render with `|safe`).
pub struct RegionOptions {
    list: List,
    selected: Option<usize>,
}

impl RegionOptions {
    /// True when one of the regions is chosen (the "all" option is not).
    pub fn chosen(&self) -> bool {
        self.selected.is_some()
    }
}

impl std::fmt::Display for RegionOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let html = &self.list.html;
        match self.selected {
            Some(i) => {
                let mark = self.list.marks[i];
                f.write_str(&html[..mark])?;
                f.write_str(" selected")?;
                f.write_str(&html[mark..])
            }
            None => f.write_str(html),
        }
    }
}

#[derive(Default)]
pub struct RegionCache {
    provinces: OnceLock<List>,
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
    let list = Arc::new(RegionList::new(rows));
    if list.is_empty() {
        return list;
    }
    cell.get_or_init(|| list).clone()
}

impl RegionCache {
    /// Indonesia's provinces, ordered by code.
    pub async fn provinces(&self, db: &Db) -> Result<List, DbError> {
        if let Some(l) = self.provinces.get() {
            return Ok(l.clone());
        }
        Ok(keep(
            &self.provinces,
            db.regions(Some(kopra_domain::RegionLevel::Provinsi), None).await?,
        ))
    }

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
        let list = Arc::new(RegionList::new(db.regions(None, Some(parent)).await?));
        if !list.is_empty() {
            self.children
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(parent.to_string(), list.clone());
        }
        Ok(list)
    }
}
