//! Listing the register: search, filters, sorting, pagination, counts. The WHERE clause
//! is built once, with numbered parameters, and run on either engine.

use crate::cooperatives::{CooperativeRecord, Row, SELECT_RECORD, scope_condition};
use crate::{Db, DbError, on_pool};
use kopra_domain::Scope;
use kopra_domain::names::cooperative_search_key;

/// A bound value of a dynamically built query.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// Binds every value of a `Vec<Bind>` to a query, in order.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(s),
                Bind::Int(i) => q.bind(i),
                Bind::Bool(v) => q.bind(v),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// Which archived records to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArchivedFilter {
    #[default]
    Exclude,
    Only,
    Include,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Name,
    Nik,
    Kecamatan,
    LegalEntityDate,
    UpdatedAt,
    LastRat,
}

impl SortKey {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "name" => SortKey::Name,
            "nik" => SortKey::Nik,
            "kecamatan" => SortKey::Kecamatan,
            "legal_entity_date" => SortKey::LegalEntityDate,
            "updated_at" => SortKey::UpdatedAt,
            "last_rat" => SortKey::LastRat,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Nik => "nik",
            SortKey::Kecamatan => "kecamatan",
            SortKey::LegalEntityDate => "legal_entity_date",
            SortKey::UpdatedAt => "updated_at",
            SortKey::LastRat => "last_rat",
        }
    }
    fn column(self) -> &'static str {
        match self {
            SortKey::Name => "c.name",
            SortKey::Nik => "c.nik",
            SortKey::Kecamatan => "kec.name",
            SortKey::LegalEntityDate => "c.legal_entity_date",
            SortKey::UpdatedAt => "c.updated_at",
            SortKey::LastRat => "c.last_rat_date",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CooperativeFilter {
    pub q: Option<String>,
    /// A province code (32): the cooperatives of its kab/kota.
    pub provinsi: Option<String>,
    /// A kab/kota code (32.75): the cooperatives of its kecamatan.
    pub kabkota: Option<String>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    pub bentuk: Option<String>,
    pub jenis: Option<String>,
    pub kelompok: Option<String>,
    pub sektor: Option<String>,
    pub supervised: Option<bool>,
    pub archived: ArchivedFilter,
    /// A stored status (active, inactive, no_data, …).
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub const MAX_PER_PAGE: i64 = 500;

/// `LIKE` pattern text with `%`, `_` and `\` escaped (used with `ESCAPE '\'`).
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The total of a list whose page at `offset` holds `rows` of at most `per_page`, when the
/// page itself tells it: a page that is not full is the last one (an empty first page
/// means none). A full page, or an empty page past the first, needs a count.
fn known_total(rows: usize, offset: i64, per_page: i64) -> Option<i64> {
    let rows = rows as i64;
    (rows < per_page && (rows > 0 || offset == 0)).then_some(offset + rows)
}

#[derive(Default)]
pub(crate) struct Where {
    pub(crate) clauses: Vec<String>,
    pub(crate) binds: Vec<Bind>,
}

impl Where {
    /// Adds a clause whose `{}` are replaced, in order, by the next parameter numbers.
    pub(crate) fn push(&mut self, clause: &str, binds: Vec<Bind>) {
        let mut out = String::new();
        let mut parts = clause.split("{}");
        out.push_str(parts.next().unwrap_or(""));
        let mut it = binds.into_iter();
        for part in parts {
            if let Some(b) = it.next() {
                self.binds.push(b);
                out.push_str(&format!("${}", self.binds.len()));
            }
            out.push_str(part);
        }
        // An IN list: one placeholder for many values.
        let rest: Vec<Bind> = it.collect();
        if !rest.is_empty() {
            let mut list = Vec::new();
            for b in rest {
                self.binds.push(b);
                list.push(format!("${}", self.binds.len()));
            }
            out = out.replace("$__LIST__", &list.join(", "));
        }
        self.clauses.push(out);
    }

    pub(crate) fn in_list(&mut self, column: &str, values: Vec<Bind>) {
        if values.is_empty() {
            self.clauses.push("1 = 0".into());
            return;
        }
        let mut names = Vec::new();
        for v in values {
            self.binds.push(v);
            names.push(format!("${}", self.binds.len()));
        }
        self.clauses.push(format!("{column} IN ({})", names.join(", ")));
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

fn build_where(f: &CooperativeFilter, scope: &Scope) -> Where {
    let mut w = Where::default();
    match scope_condition(scope) {
        Some((clause, binds)) if clause.contains(" IN ") => w.in_list("c.kecamatan_code", binds),
        Some((clause, binds)) => w.push(&clause, binds),
        None => {}
    }
    match f.archived {
        ArchivedFilter::Exclude => w.push("c.archived = {}", vec![Bind::Bool(false)]),
        ArchivedFilter::Only => w.push("c.archived = {}", vec![Bind::Bool(true)]),
        ArchivedFilter::Include => {}
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let key = cooperative_search_key(q);
        let lower = q.to_lowercase();
        // Substrings are found with `instr` (PostgreSQL: a SQL function over `strpos`,
        // migration 0024): a plain substring search, about a third cheaper per row than
        // `LIKE '%…%'` with its escapes and case folding. "Kop" or "Koperasi" alone leave an
        // empty name key: match the name as typed. A query of punctuation only ("%") matches
        // no name.
        let (clause, mut binds) = if !key.is_empty() {
            ("(instr(c.search_key, {}) > 0 OR ", vec![Bind::Text(key)])
        } else if q.chars().any(char::is_alphanumeric) {
            ("(instr(LOWER(c.name), {}) > 0 OR ", vec![Bind::Text(lower.clone())])
        } else {
            ("(", vec![])
        };
        // A NIK is 13 digits: only digits can begin one. Every legal-entity number has digits
        // and slashes ("47/BH/PRAKOP/XI/2008"); a query without either is a name, and the
        // numbers are not searched (each test is a function call per row).
        let mut tests = vec![];
        if lower.bytes().all(|b| b.is_ascii_digit()) {
            tests.push("c.nik LIKE {} ESCAPE '\\'");
            binds.push(Bind::Text(format!("{lower}%")));
        }
        if lower.bytes().any(|b| b.is_ascii_digit() || b == b'/') {
            tests.push("instr(LOWER(c.legal_entity_number), {}) > 0");
            binds.push(Bind::Text(lower));
        }
        if tests.is_empty() {
            tests.push("1 = 0");
        }
        w.push(&format!("{clause}{})", tests.join(" OR ")), binds);
    }
    // A kecamatan within the kab/kota implies it: one condition, so the planner takes the
    // kecamatan's index (without statistics SQLite might take the wider kab/kota one).
    let kabkota = f.kabkota.as_ref().filter(|k| {
        !f.kecamatan
            .as_deref()
            .is_some_and(|kec| kec.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('.')))
    });
    // A province is the range of its kab/kota codes ("32." up to "32/", the character after
    // "."), over the kab/kota index; a kab/kota or kecamatan inside it implies it.
    let within = |code: &str, p: &str| code.strip_prefix(p).is_some_and(|r| r.starts_with('.'));
    if let Some(p) = f.provinsi.as_ref().filter(|p| !p.is_empty()) {
        let implied =
            f.kabkota.as_deref().is_some_and(|k| within(k, p)) || f.kecamatan.as_deref().is_some_and(|k| within(k, p));
        if !implied {
            w.push(
                "c.kabkota_code >= {} AND c.kabkota_code < {}",
                vec![Bind::Text(format!("{p}.")), Bind::Text(format!("{p}/"))],
            );
        }
    }
    for (column, value) in [
        ("c.kabkota_code", kabkota),
        ("c.kecamatan_code", f.kecamatan.as_ref()),
        ("c.kelurahan_code", f.kelurahan.as_ref()),
        ("c.bentuk", f.bentuk.as_ref()),
        ("c.jenis", f.jenis.as_ref()),
        ("c.kelompok", f.kelompok.as_ref()),
        ("c.sektor", f.sektor.as_ref()),
        ("c.status", f.status.as_ref()),
    ] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            w.push(&format!("{column} = {{}}"), vec![Bind::Text(v.clone())]);
        }
    }
    if let Some(s) = f.supervised {
        w.push("c.supervised = {}", vec![Bind::Bool(s)]);
    }
    w
}

/// One row of a count table: a group's code (or value) and how many.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct CountRow {
    pub key: Option<String>,
    pub label: Option<String>,
    pub count: i64,
}

/// The beranda's groupings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    Kecamatan,
    /// By kab/kota (for a province office).
    KabKota,
    /// By province (for the ministry).
    Provinsi,
    Jenis,
    Supervised,
}

impl Db {
    pub async fn list_cooperatives(
        &self,
        f: &CooperativeFilter,
        scope: &Scope,
        sort: Sort,
        page: i64,
        per_page: i64,
    ) -> Result<Page<CooperativeRecord>, DbError> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let page = page.max(1);
        let w = build_where(f, scope);
        let order = format!(
            " ORDER BY {} {} , c.id ASC",
            sort.key.column(),
            if sort.descending { "DESC" } else { "ASC" }
        );
        let n = w.binds.len();
        let list_sql = format!("{SELECT_RECORD}{}{order} LIMIT ${} OFFSET ${}", w.sql(), n + 1, n + 2);
        // The WHERE clause names only the cooperative's own columns: the count needs no join.
        let count_sql = format!("SELECT COUNT(*) FROM cooperatives c{}", w.sql());
        let offset = (page - 1) * per_page;
        let (rows, total) = on_pool!(self, p => {
            let q = bind_all!(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(list_sql)), w.binds.clone());
            let rows = q.bind(per_page).bind(offset).fetch_all(p).await?;
            // A page that is not full is the last one: the total follows from it. Otherwise
            // (or past the end) count.
            let total: i64 = match known_total(rows.len(), offset, per_page) {
                Some(t) => t,
                None => bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), w.binds).fetch_one(p).await?,
            };
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(CooperativeRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// Counts of non-archived cooperatives in scope, grouped.
    pub async fn count_cooperatives(&self, by: CountBy, scope: &Scope) -> Result<Vec<CountRow>, DbError> {
        let w = build_where(&CooperativeFilter::default(), scope);
        let sql = match by {
            // Counted over a covering index in its order (no sort), named from the embedded
            // reference; provinces are summed from their kab/kota.
            CountBy::Kecamatan | CountBy::KabKota | CountBy::Provinsi => {
                let area = if by == CountBy::Kecamatan {
                    "c.kecamatan_code"
                } else {
                    "c.kabkota_code"
                };
                let sql = format!(
                    "SELECT {area}, COUNT(*) FROM cooperatives c{} GROUP BY {area} ORDER BY {area}",
                    w.sql()
                );
                let rows: Vec<(String, i64)> = on_pool!(self, p => bind_all!(sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?;
                let mut counts: Vec<(String, i64)> = Vec::with_capacity(rows.len());
                for (code, n) in rows {
                    let key = if by == CountBy::Provinsi {
                        code.split('.').next().unwrap_or_default().to_string()
                    } else {
                        code
                    };
                    match counts.last_mut() {
                        Some((k, total)) if *k == key => *total += n,
                        _ => counts.push((key, n)),
                    }
                }
                let names = crate::regions::area_names();
                return Ok(counts
                    .into_iter()
                    .map(|(key, count)| CountRow {
                        label: names.get(&key).cloned(),
                        key: Some(key),
                        count,
                    })
                    .collect());
            }
            CountBy::Jenis => format!(
                "SELECT c.jenis AS key, c.jenis AS label, COUNT(*) AS count FROM cooperatives c{} GROUP BY c.jenis ORDER BY COUNT(*) DESC, c.jenis",
                w.sql()
            ),
            CountBy::Supervised => format!(
                "SELECT CASE WHEN c.supervised THEN 'true' ELSE 'false' END AS key, CASE WHEN c.supervised THEN 'true' ELSE 'false' END AS label, \
                 COUNT(*) AS count FROM cooperatives c{} GROUP BY c.supervised ORDER BY key DESC",
                w.sql()
            ),
        };
        Ok(
            on_pool!(self, p => bind_all!(sqlx::query_as::<_, CountRow>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_is_not_full_tells_the_total() {
        assert_eq!(known_total(2, 0, 50), Some(2));
        assert_eq!(known_total(0, 0, 50), Some(0));
        assert_eq!(known_total(7, 100, 50), Some(107));
        assert_eq!(known_total(50, 0, 50), None, "a full page may have more after it");
        assert_eq!(known_total(0, 100, 50), None, "past the end: count");
    }

    #[test]
    fn a_kecamatan_within_the_kabkota_stands_for_both() {
        let f = CooperativeFilter {
            kabkota: Some("32.75".into()),
            kecamatan: Some("32.75.04".into()),
            ..Default::default()
        };
        let sql = build_where(&f, &Scope::All).sql();
        assert!(sql.contains("c.kecamatan_code = ") && !sql.contains("kabkota"), "{sql}");
        let f = CooperativeFilter {
            kabkota: Some("32.7".into()),
            kecamatan: Some("32.75.04".into()),
            ..Default::default()
        };
        let sql = build_where(&f, &Scope::All).sql();
        assert!(
            sql.contains("c.kabkota_code = ") && sql.contains("c.kecamatan_code = "),
            "{sql}"
        );
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let f = CooperativeFilter {
            q: Some("50%".into()),
            jenis: Some("Jasa".into()),
            ..Default::default()
        };
        let w = build_where(&f, &Scope::Kecamatan(vec!["32.75.01".into(), "32.75.02".into()]));
        let sql = w.sql();
        assert!(sql.contains("c.kecamatan_code IN ($1, $2)"), "{sql}");
        assert!(sql.contains("c.archived = $3"), "{sql}");
        // "50%" has a digit: the legal-entity number is searched (the `%` literally, by
        // `instr`), the NIK is not (only digits can begin one).
        assert!(sql.contains("instr(LOWER(c.legal_entity_number), $5)"), "{sql}");
        assert!(!sql.contains("c.nik LIKE"), "{sql}");
        assert!(sql.contains("c.jenis = $6"), "{sql}");
        assert_eq!(w.binds.len(), 6);
        assert!(matches!(&w.binds[4], Bind::Text(s) if s == "50%"), "{:?}", w.binds);

        let digits = CooperativeFilter {
            q: Some("3275".into()),
            ..Default::default()
        };
        let w = build_where(&digits, &Scope::All);
        let sql = w.sql();
        assert!(sql.contains("c.nik LIKE $3"), "{sql}");
        assert!(matches!(&w.binds[2], Bind::Text(s) if s == "3275%"), "{:?}", w.binds);
        let words = CooperativeFilter {
            q: Some("sejahtera".into()),
            ..Default::default()
        };
        let sql = build_where(&words, &Scope::All).sql();
        assert!(!sql.contains("nik") && !sql.contains("legal_entity_number"), "{sql}");
    }
}

/// The columns of every export of the register (CSV, Excel, CLI), in order. The board's
/// columns ([`BOARD_EXPORT_HEADERS`]) follow only when the exporter may see personal data.
pub const EXPORT_HEADERS: [&str; 26] = [
    "id",
    "nik",
    "name",
    "legal_entity_number",
    "legal_entity_date",
    "address",
    "kelurahan_code",
    "kelurahan",
    "kecamatan_code",
    "kecamatan",
    "kabkota_code",
    "bentuk",
    "jenis",
    "kelompok",
    "sektor",
    "loop",
    "phone",
    "email",
    "certificate_valid_until",
    "ods_grade",
    "status",
    "last_rat_date",
    "supervised",
    "archived",
    "version",
    "updated_at",
];

/// The board (personal data), after the other columns when the exporter may see it.
pub const BOARD_EXPORT_HEADERS: [&str; 6] = kopra_domain::cooperative::BOARD_FIELDS;

/// Whether an export carries the board's columns (personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalData {
    Include,
    Omit,
}

/// An export's header row: [`EXPORT_HEADERS`], then the board's when included.
pub fn export_headers(personal: PersonalData) -> Vec<&'static str> {
    let mut h = EXPORT_HEADERS.to_vec();
    if personal == PersonalData::Include {
        h.extend(BOARD_EXPORT_HEADERS);
    }
    h
}

/// One cooperative as an export row, in [`export_headers`] order.
pub fn export_row(c: &CooperativeRecord, personal: PersonalData) -> Vec<String> {
    let mut row = register_row(c);
    if personal == PersonalData::Include {
        let f = &c.fields;
        row.extend(
            [
                &f.chair_name,
                &f.chair_phone,
                &f.secretary_name,
                &f.treasurer_name,
                &f.supervisor_name,
                &f.manager_name,
            ]
            .map(|v| v.clone().unwrap_or_default()),
        );
    }
    row
}

impl Db {
    /// The whole filtered list as an export table (headers and rows), read 500 at a time.
    pub async fn export_table(
        &self,
        f: &CooperativeFilter,
        scope: &Scope,
        sort: Sort,
        personal: PersonalData,
    ) -> Result<(Vec<&'static str>, Vec<Vec<String>>), DbError> {
        let mut rows = Vec::new();
        let mut page_no = 1;
        loop {
            let page = self.list_cooperatives(f, scope, sort, page_no, 500).await?;
            rows.extend(page.items.iter().map(|c| export_row(c, personal)));
            if page_no * 500 >= page.total {
                break;
            }
            page_no += 1;
        }
        Ok((export_headers(personal), rows))
    }
}

fn register_row(c: &CooperativeRecord) -> Vec<String> {
    let f = &c.fields;
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    let d = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        c.id.to_string(),
        o(&f.nik),
        f.name.clone(),
        o(&f.legal_entity_number),
        d(f.legal_entity_date),
        o(&f.address),
        o(&f.kelurahan_code),
        c.kelurahan_name
            .clone()
            .or_else(|| f.kelurahan_text.clone())
            .unwrap_or_default(),
        f.kecamatan_code.clone(),
        o(&c.kecamatan_name),
        c.kabkota_code.clone(),
        o(&f.bentuk),
        o(&f.jenis),
        o(&f.kelompok),
        o(&f.sektor),
        o(&f.loop_),
        o(&f.phone),
        o(&f.email),
        d(f.certificate_valid_until),
        o(&f.ods_grade),
        c.status.clone(),
        d(c.last_rat_date),
        c.supervised.to_string(),
        c.archived.to_string(),
        c.version.to_string(),
        c.updated_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    ]
}
