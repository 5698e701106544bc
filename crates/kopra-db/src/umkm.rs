//! The UMKM register: create, edit, archive, list, history, memberships of cooperatives.
//! Like the cooperative register, every write keeps the full version in `umkm_versions`
//! and an audit row, in one transaction.

use crate::audit::AuditEntry;
use crate::cooperative_list::{ArchivedFilter, Bind, MAX_PER_PAGE, Page, Where, bind_all, like_escape};
use crate::cooperatives::VersionEntry;
use crate::settings::Office;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::names::cooperative_search_key;
use kopra_domain::umkm::{SizeClass, SizeClassing};
use kopra_domain::umkm_input::UmkmFields;
use kopra_domain::{FieldChange, FieldError, FieldErrors, RegionCode, Scope, field_changes};
use serde::Serialize;
use serde_json::json;
use time::{Date, OffsetDateTime};

/// A UMKM as stored, with its computed size class and the basis of that class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UmkmRecord {
    pub id: i64,
    #[serde(flatten)]
    pub fields: UmkmFields,
    pub kelurahan_name: Option<String>,
    pub kecamatan_name: Option<String>,
    /// `mikro|kecil|menengah|besar`, or null when neither capital nor sales is known.
    pub size_class: Option<SizeClass>,
    /// The regulation, basis and amount the class was computed from (domain.md §7).
    pub size_basis: Option<SizeClassing>,
    pub archived: bool,
    pub archive_reason: Option<String>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl UmkmRecord {
    /// The record without the owner's personal data.
    pub fn without_personal_data(mut self) -> Self {
        self.fields = self.fields.without_personal_data();
        self
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UmkmRow {
    id: i64,
    name: String,
    owner_name: Option<String>,
    owner_phone: Option<String>,
    nib: Option<String>,
    kbli: String,
    products: String,
    address: Option<String>,
    kelurahan_code: String,
    kelurahan_name: Option<String>,
    kecamatan_code: String,
    kecamatan_name: Option<String>,
    capital: Option<i64>,
    annual_sales: Option<i64>,
    employees_male: Option<i64>,
    employees_female: Option<i64>,
    skb_number: Option<String>,
    cluster: Option<String>,
    recorded_on: Date,
    notes: Option<String>,
    archived: bool,
    archive_reason: Option<String>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

/// Lists are stored between commas (`,boneka,dakron,`) so that one tag matches exactly.
pub(crate) fn list_column(values: &[String]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!(",{},", values.join(","))
    }
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',').filter(|v| !v.is_empty()).map(String::from).collect()
}

impl From<UmkmRow> for UmkmRecord {
    fn from(r: UmkmRow) -> Self {
        let fields = UmkmFields {
            name: r.name,
            owner_name: r.owner_name,
            owner_phone: r.owner_phone,
            nib: r.nib,
            kbli: split_list(&r.kbli),
            products: split_list(&r.products),
            address: r.address,
            kelurahan_code: r.kelurahan_code,
            kecamatan_code: r.kecamatan_code,
            capital: r.capital,
            annual_sales: r.annual_sales,
            employees_male: r.employees_male,
            employees_female: r.employees_female,
            skb_number: r.skb_number,
            cluster: r.cluster,
            recorded_on: r.recorded_on,
            notes: r.notes,
        };
        let size_basis = fields.size();
        UmkmRecord {
            id: r.id,
            fields,
            kelurahan_name: r.kelurahan_name,
            kecamatan_name: r.kecamatan_name,
            size_class: size_basis.as_ref().map(|s| s.class),
            size_basis,
            archived: r.archived,
            archive_reason: r.archive_reason,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const SELECT: &str = "SELECT u.id, u.name, u.owner_name, u.owner_phone, u.nib, u.kbli, u.products, u.address, \
     u.kelurahan_code, kel.name AS kelurahan_name, u.kecamatan_code, kec.name AS kecamatan_name, u.capital, u.annual_sales, \
     u.employees_male, u.employees_female, u.skb_number, u.cluster, u.recorded_on, u.notes, u.archived, u.archive_reason, \
     u.version, u.created_at, u.updated_at \
     FROM umkm u LEFT JOIN regions kec ON kec.code = u.kecamatan_code LEFT JOIN regions kel ON kel.code = u.kelurahan_code";

pub(crate) const INSERT: &str = "INSERT INTO umkm (name, search_key, owner_name, owner_phone, nib, kbli, products, address, kelurahan_code, \
     kecamatan_code, kabkota_code, capital, annual_sales, employees_male, employees_female, skb_number, cluster, recorded_on, \
     size_class, notes, archived, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22, $22) RETURNING id";

pub(crate) const UPDATE: &str = "UPDATE umkm SET name = $1, search_key = $2, owner_name = $3, owner_phone = $4, nib = $5, kbli = $6, \
     products = $7, address = $8, kelurahan_code = $9, kecamatan_code = $10, kabkota_code = $11, capital = $12, annual_sales = $13, \
     employees_male = $14, employees_female = $15, skb_number = $16, cluster = $17, recorded_on = $18, size_class = $19, notes = $20, \
     archived = $21, version = version + 1, updated_at = $22 WHERE id = $23 AND version = $24";

pub(crate) const INSERT_VERSION: &str = "INSERT INTO umkm_versions (umkm_id, version, action, snapshot, changes, reason, actor_user_id, actor_name, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The columns [`bind_umkm`] binds, in its order.
pub(crate) const COLUMNS: &str = "name, search_key, owner_name, owner_phone, nib, kbli, products, address, kelurahan_code, \
     kecamatan_code, kabkota_code, capital, annual_sales, employees_male, employees_female, skb_number, cluster, recorded_on, \
     size_class, notes, archived";

macro_rules! bind_umkm {
    ($q:expr, $f:expr, $kabkota:expr, $archived:expr) => {
        $crate::umkm::bind_umkm_fields!($q, $f, $kabkota, $archived, bind)
    };
    ($q:expr, $f:expr, $kabkota:expr, $archived:expr, $m:ident) => {{
        let f: &UmkmFields = $f;
        $q.$m(f.name.clone())
            .$m(kopra_domain::names::cooperative_search_key(&f.name))
            .$m(f.owner_name.clone())
            .$m(f.owner_phone.clone())
            .$m(f.nib.clone())
            .$m($crate::umkm::list_column(&f.kbli))
            .$m($crate::umkm::list_column(&f.products))
            .$m(f.address.clone())
            .$m(f.kelurahan_code.clone())
            .$m(f.kecamatan_code.clone())
            .$m($kabkota)
            .$m(f.capital)
            .$m(f.annual_sales)
            .$m(f.employees_male)
            .$m(f.employees_female)
            .$m(f.skb_number.clone())
            .$m(f.cluster.clone())
            .$m(f.recorded_on)
            .$m(f.size().map(|s| s.class.as_str().to_string()))
            .$m(f.notes.clone())
            .$m($archived)
    }};
}

pub(crate) use bind_umkm as bind_umkm_fields;

pub(crate) fn nib_taken(e: sqlx::Error) -> DbError {
    if DbError::is_unique_violation(&e) {
        DbError::Duplicate(FieldErrors::single("nib", FieldError::NibTaken))
    } else {
        e.into()
    }
}

pub(crate) fn snapshot(f: &UmkmFields, archived: bool, reason: Option<&str>) -> String {
    json!({"fields": f, "archived": archived, "archive_reason": reason}).to_string()
}

/// Filters of the UMKM list.
#[derive(Debug, Clone, Default)]
pub struct UmkmFilter {
    /// Name (tolerant like the cooperative search) or NIB.
    pub q: Option<String>,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    pub size_class: Option<String>,
    /// One product tag, matched exactly (normalised).
    pub product: Option<String>,
    pub kbli: Option<String>,
    pub cluster: Option<String>,
    pub archived: ArchivedFilter,
}

fn build_where(f: &UmkmFilter, scope: &Scope) -> Where {
    let mut w = Where::default();
    match scope {
        Scope::All => {}
        Scope::Kecamatan(list) => w.in_list("u.kecamatan_code", list.iter().cloned().map(Bind::Text).collect()),
        // A pengurus sees the UMKM of its own cooperative's coalitions and memberships.
        Scope::Cooperative(id) => w.push(
            "(u.id IN (SELECT m.umkm_id FROM coalition_members m JOIN coalitions co ON co.id = m.coalition_id \
             WHERE co.anchor_cooperative_id = {} AND m.umkm_id IS NOT NULL) \
             OR u.id IN (SELECT umkm_id FROM umkm_memberships WHERE cooperative_id = {}))",
            vec![Bind::Int(*id), Bind::Int(*id)],
        ),
        Scope::Nothing => w.push("1 = 0", vec![]),
    }
    match f.archived {
        ArchivedFilter::Exclude => w.push("u.archived = {}", vec![Bind::Bool(false)]),
        ArchivedFilter::Only => w.push("u.archived = {}", vec![Bind::Bool(true)]),
        ArchivedFilter::Include => {}
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let key = cooperative_search_key(q);
        let raw = like_escape(&q.to_lowercase());
        let name = if key.is_empty() {
            format!("%{raw}%")
        } else {
            format!("%{}%", like_escape(&key))
        };
        let column = if key.is_empty() {
            "LOWER(u.name)"
        } else {
            "u.search_key"
        };
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        w.push(
            &format!("({column} LIKE {{}} ESCAPE '\\' OR u.nib LIKE {{}} ESCAPE '\\')"),
            vec![
                Bind::Text(name),
                Bind::Text(if digits.is_empty() {
                    "-".into()
                } else {
                    format!("{digits}%")
                }),
            ],
        );
    }
    for (column, value) in [
        ("u.kecamatan_code", &f.kecamatan),
        ("u.kelurahan_code", &f.kelurahan),
        ("u.size_class", &f.size_class),
        ("u.cluster", &f.cluster),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            w.push(&format!("{column} = {{}}"), vec![Bind::Text(v.to_string())]);
        }
    }
    if let Some(tag) = f.product.as_deref().and_then(kopra_domain::umkm::normalise_tag) {
        w.push(
            "u.products LIKE {} ESCAPE '\\'",
            vec![Bind::Text(format!("%,{},%", like_escape(&tag)))],
        );
    }
    if let Some(k) = f.kbli.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        w.push(
            "u.kbli LIKE {} ESCAPE '\\'",
            vec![Bind::Text(format!("%,{}%", like_escape(k)))],
        );
    }
    w
}

/// A membership of a UMKM in a cooperative.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Membership {
    pub id: i64,
    pub umkm_id: i64,
    pub cooperative_id: i64,
    pub cooperative_name: String,
    pub umkm_name: String,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
}

impl Db {
    /// Checks the kelurahan exists and lies in the office's area; returns the kab/kota code.
    async fn check_umkm_region(&self, office: &Office, f: &UmkmFields) -> Result<String, DbError> {
        match self.region(&f.kelurahan_code).await? {
            Some(r) if r.level == "kelurahan" || r.level == "desa" => {}
            _ => {
                return Err(DbError::Invalid(FieldErrors::single(
                    "kelurahan_code",
                    FieldError::RegionUnknown,
                )));
            }
        }
        let code = RegionCode::parse(&f.kelurahan_code)
            .map_err(|e| DbError::Invalid(FieldErrors::single("kelurahan_code", e)))?;
        if !office.home.contains(&code) {
            return Err(DbError::Invalid(FieldErrors::single(
                "kelurahan_code",
                FieldError::RegionOutsideHome,
            )));
        }
        Ok(code.truncate(2).map(|k| k.as_str().to_string()).unwrap_or_default())
    }

    pub async fn create_umkm(&self, office: &Office, f: &UmkmFields, actor: &Actor) -> Result<UmkmRecord, DbError> {
        let kabkota = self.check_umkm_region(office, f).await?;
        let t = now();
        let changes = field_changes(&[], &f.display_fields());
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = bind_umkm!(sqlx::query_scalar(INSERT), f, kabkota.clone(), false)
                .bind(t)
                .fetch_one(&mut *tx)
                .await
                .map_err(nib_taken)?;
            sqlx::query(INSERT_VERSION)
                .bind(id).bind(1i64).bind("create").bind(snapshot(f, false, None))
                .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(None::<String>)
                .bind(actor.user_id).bind(actor.name.clone()).bind(t)
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "umkm.create", entity_type: "umkm", entity_id: Some(id.to_string()),
                before: None, after: Some(json!(f)),
            })?;
            tx.commit().await?;
            id
        });
        self.umkm(id).await
    }

    /// Applies new field values; with `expected_version`, a record changed since then is
    /// not overwritten (`Conflict` with the current record).
    pub async fn update_umkm(
        &self,
        office: &Office,
        id: i64,
        f: &UmkmFields,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<UmkmRecord, DbError> {
        let current = self.umkm(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(DbError::Conflict(json!(current)));
        }
        let changes = field_changes(&current.fields.display_fields(), &f.display_fields());
        if changes.is_empty() {
            return Ok(current);
        }
        let kabkota = self.check_umkm_region(office, f).await?;
        self.write_umkm_version(
            &current,
            f,
            &kabkota,
            current.archived,
            None,
            "update",
            changes,
            None,
            actor,
        )
        .await
    }

    /// Archives (never deletes) a UMKM, with a reason.
    pub async fn archive_umkm(
        &self,
        id: i64,
        reason: &str,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<UmkmRecord, DbError> {
        let current = self.umkm(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(DbError::Conflict(json!(current)));
        }
        if reason.trim().is_empty() {
            return Err(DbError::Invalid(FieldErrors::single("reason", FieldError::Required)));
        }
        let kabkota = RegionCode::parse(&current.fields.kelurahan_code)
            .ok()
            .and_then(|c| c.truncate(2))
            .map(|c| c.as_str().to_string())
            .unwrap_or_default();
        let changes = vec![FieldChange {
            field: "archived".into(),
            from: Some("false".into()),
            to: Some("true".into()),
        }];
        let f = current.fields.clone();
        self.write_umkm_version(
            &current,
            &f,
            &kabkota,
            true,
            Some(reason.trim()),
            "archive",
            changes,
            Some(reason.trim()),
            actor,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_umkm_version(
        &self,
        current: &UmkmRecord,
        f: &UmkmFields,
        kabkota: &str,
        archived: bool,
        archive_reason: Option<&str>,
        action: &str,
        changes: Vec<FieldChange>,
        reason: Option<&str>,
        actor: &Actor,
    ) -> Result<UmkmRecord, DbError> {
        let t = now();
        let id = current.id;
        let written = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = bind_umkm!(sqlx::query(UPDATE), f, kabkota.to_string(), archived)
                .bind(t).bind(id).bind(current.version)
                .execute(&mut *tx).await.map_err(nib_taken)?.rows_affected();
            if n == 1 {
                sqlx::query("UPDATE umkm SET archive_reason = $1 WHERE id = $2")
                    .bind(archive_reason.map(String::from)).bind(id).execute(&mut *tx).await?;
                sqlx::query(INSERT_VERSION)
                    .bind(id).bind(current.version + 1).bind(action.to_string()).bind(snapshot(f, archived, archive_reason))
                    .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(reason.map(String::from))
                    .bind(actor.user_id).bind(actor.name.clone()).bind(t)
                    .execute(&mut *tx).await?;
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: if action == "archive" { "umkm.archive" } else { "umkm.update" }, entity_type: "umkm",
                    entity_id: Some(id.to_string()), before: Some(json!(current.fields)), after: Some(json!(f)),
                })?;
                tx.commit().await?;
            }
            n == 1
        });
        let now_record = self.umkm(id).await?;
        if written {
            Ok(now_record)
        } else {
            Err(DbError::Conflict(json!(now_record)))
        }
    }

    pub async fn umkm(&self, id: i64) -> Result<UmkmRecord, DbError> {
        let sql = format!("{SELECT} WHERE u.id = $1");
        let row: Option<UmkmRow> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?;
        row.map(UmkmRecord::from).ok_or(DbError::NotFound)
    }

    /// UMKM by id, in one query (for lists of members).
    pub async fn umkm_many(&self, ids: &[i64]) -> Result<Vec<UmkmRecord>, DbError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut w = Where::default();
        w.in_list("u.id", ids.iter().map(|i| Bind::Int(*i)).collect());
        let sql = format!("{SELECT}{} ORDER BY u.name, u.id", w.sql());
        let rows: Vec<UmkmRow> = on_pool!(self, p => bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(UmkmRecord::from).collect())
    }

    pub async fn list_umkm(
        &self,
        f: &UmkmFilter,
        scope: &Scope,
        page: i64,
        per_page: i64,
    ) -> Result<Page<UmkmRecord>, DbError> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let page = page.max(1);
        let w = build_where(f, scope);
        let n = w.binds.len();
        let list_sql = format!(
            "{SELECT}{} ORDER BY u.name, u.id LIMIT ${} OFFSET ${}",
            w.sql(),
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM umkm u{}", w.sql());
        let (rows, total) = on_pool!(self, p => {
            let rows: Vec<UmkmRow> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list_sql)), w.binds.clone())
                .bind(per_page).bind((page - 1) * per_page).fetch_all(p).await?;
            let total: i64 = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), w.binds.clone()).fetch_one(p).await?;
            (rows, total)
        });
        Ok(Page {
            items: rows.into_iter().map(UmkmRecord::from).collect(),
            total,
            page,
            per_page,
        })
    }

    /// Every non-archived UMKM in the office's area (for matchmaking), in one query.
    pub async fn all_umkm(&self) -> Result<Vec<UmkmRecord>, DbError> {
        let sql = format!("{SELECT} WHERE u.archived = $1 ORDER BY u.id");
        let rows: Vec<UmkmRow> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(false).fetch_all(p).await)?;
        Ok(rows.into_iter().map(UmkmRecord::from).collect())
    }

    /// Counts of non-archived UMKM per kecamatan (for the map), in one GROUP BY.
    pub async fn umkm_counts_by_kecamatan(&self) -> Result<Vec<(String, i64)>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT kecamatan_code, COUNT(*) FROM umkm WHERE archived = $1 GROUP BY kecamatan_code ORDER BY kecamatan_code",
        ).bind(false).fetch_all(p).await)?)
    }

    /// Counts of non-archived UMKM per size class (null: unknown).
    pub async fn umkm_size_counts(&self) -> Result<Vec<(Option<String>, i64)>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT size_class, COUNT(*) FROM umkm WHERE archived = $1 GROUP BY size_class ORDER BY size_class",
        ).bind(false).fetch_all(p).await)?)
    }

    pub async fn umkm_history(&self, id: i64) -> Result<Vec<VersionEntry>, DbError> {
        self.umkm(id).await?;
        let rows: Vec<(i64, String, String, Option<String>, String, OffsetDateTime)> = on_pool!(self, p => sqlx::query_as(
            "SELECT version, action, changes, reason, actor_name, at FROM umkm_versions WHERE umkm_id = $1 ORDER BY version DESC",
        ).bind(id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(version, action, changes, reason, actor_name, at)| {
                Ok(VersionEntry {
                    version,
                    action,
                    changes: serde_json::from_str(&changes)
                        .map_err(|e| DbError::Corrupt(format!("umkm history {id}: {e}")))?,
                    reason,
                    actor_name,
                    at,
                })
            })
            .collect()
    }

    /// Records that a UMKM is a member of a cooperative (from a date).
    pub async fn add_membership(
        &self,
        umkm_id: i64,
        cooperative_id: i64,
        joined_on: Option<Date>,
        actor: &Actor,
    ) -> Result<i64, DbError> {
        self.umkm(umkm_id).await?;
        self.cooperative(cooperative_id).await?;
        let t = now();
        Ok(on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let existing: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM umkm_memberships WHERE umkm_id = $1 AND cooperative_id = $2 AND left_on IS NULL",
            ).bind(umkm_id).bind(cooperative_id).fetch_optional(&mut *tx).await?;
            let id = match existing {
                Some(id) => id,
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO umkm_memberships (umkm_id, cooperative_id, joined_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    ).bind(umkm_id).bind(cooperative_id).bind(joined_on).bind(actor.name.clone()).bind(t).fetch_one(&mut *tx).await?;
                    write_audit!(&mut *tx, actor, AuditEntry {
                        action: "umkm.membership", entity_type: "umkm", entity_id: Some(umkm_id.to_string()),
                        before: None, after: Some(json!({"cooperative_id": cooperative_id, "joined_on": joined_on})),
                    })?;
                    id
                }
            };
            tx.commit().await?;
            id
        }))
    }

    /// Memberships of a UMKM, or of a cooperative's UMKM.
    pub async fn memberships(
        &self,
        umkm_id: Option<i64>,
        cooperative_id: Option<i64>,
    ) -> Result<Vec<Membership>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, Membership>(
            "SELECT m.id, m.umkm_id, m.cooperative_id, c.name AS cooperative_name, u.name AS umkm_name, m.joined_on, m.left_on \
             FROM umkm_memberships m JOIN cooperatives c ON c.id = m.cooperative_id JOIN umkm u ON u.id = m.umkm_id \
             WHERE ($1 IS NULL OR m.umkm_id = $1) AND ($2 IS NULL OR m.cooperative_id = $2) ORDER BY m.joined_on, m.id",
        ).bind(umkm_id).bind(cooperative_id).fetch_all(p).await)?)
    }
}
