//! The cooperative register: create, edit, archive, list, history. Every write keeps the
//! full version in `cooperative_versions` and an audit row, in one transaction.

use crate::audit::AuditEntry;
use crate::settings::Office;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::supervision::is_supervised;
use kopra_domain::{CooperativeFields, FieldChange, FieldError, FieldErrors, RegionCode, Scope, field_changes};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, OffsetDateTime};

/// A cooperative as stored: its register fields (flattened in JSON), the names of its
/// regions, and what the register derives or keeps about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CooperativeRecord {
    pub id: i64,
    #[serde(flatten)]
    pub fields: CooperativeFields,
    pub kelurahan_name: Option<String>,
    pub kecamatan_name: Option<String>,
    pub kabkota_code: String,
    pub supervised: bool,
    pub archived: bool,
    pub archive_reason: Option<String>,
    /// The stored status as of its last computation (see `/status` for any date).
    pub status: String,
    pub status_since: Option<Date>,
    pub last_rat_date: Option<Date>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CooperativeRow {
    id: i64,
    nik: Option<String>,
    name: String,
    legal_entity_number: Option<String>,
    legal_entity_date: Option<Date>,
    amendments: String,
    address: Option<String>,
    kelurahan_code: Option<String>,
    kelurahan_name: Option<String>,
    kelurahan_text: Option<String>,
    kecamatan_code: String,
    kecamatan_name: Option<String>,
    kabkota_code: String,
    bentuk: Option<String>,
    jenis: Option<String>,
    kelompok: Option<String>,
    sektor: Option<String>,
    loop_kind: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    certificate_valid_until: Option<Date>,
    ods_grade: Option<String>,
    ods_last_rat_date: Option<Date>,
    notes: Option<String>,
    chair_name: Option<String>,
    chair_phone: Option<String>,
    secretary_name: Option<String>,
    treasurer_name: Option<String>,
    supervisor_name: Option<String>,
    manager_name: Option<String>,
    supervised: bool,
    archived: bool,
    archive_reason: Option<String>,
    status: String,
    status_since: Option<Date>,
    last_rat_date: Option<Date>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<CooperativeRow> for CooperativeRecord {
    type Error = DbError;
    fn try_from(r: CooperativeRow) -> Result<Self, DbError> {
        let amendments = serde_json::from_str(&r.amendments)
            .map_err(|e| DbError::Corrupt(format!("amendments of {}: {e}", r.id)))?;
        Ok(CooperativeRecord {
            id: r.id,
            fields: CooperativeFields {
                nik: r.nik,
                name: r.name,
                legal_entity_number: r.legal_entity_number,
                legal_entity_date: r.legal_entity_date,
                amendments,
                address: r.address,
                kelurahan_code: r.kelurahan_code,
                kecamatan_code: r.kecamatan_code,
                kelurahan_text: r.kelurahan_text,
                bentuk: r.bentuk,
                jenis: r.jenis,
                kelompok: r.kelompok,
                sektor: r.sektor,
                loop_: r.loop_kind,
                phone: r.phone,
                email: r.email,
                certificate_valid_until: r.certificate_valid_until,
                ods_grade: r.ods_grade,
                ods_last_rat_date: r.ods_last_rat_date,
                notes: r.notes,
                chair_name: r.chair_name,
                chair_phone: r.chair_phone,
                secretary_name: r.secretary_name,
                treasurer_name: r.treasurer_name,
                supervisor_name: r.supervisor_name,
                manager_name: r.manager_name,
            },
            kelurahan_name: r.kelurahan_name,
            kecamatan_name: r.kecamatan_name,
            kabkota_code: r.kabkota_code,
            supervised: r.supervised,
            archived: r.archived,
            archive_reason: r.archive_reason,
            status: r.status,
            status_since: r.status_since,
            last_rat_date: r.last_rat_date,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// One entry of a cooperative's history.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionEntry {
    pub version: i64,
    pub action: String,
    pub changes: Vec<FieldChange>,
    pub reason: Option<String>,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    action: String,
    changes: String,
    /// Only for a creation stored without its change list (imports): the snapshot.
    snapshot: Option<String>,
    reason: Option<String>,
    actor_name: String,
    at: OffsetDateTime,
}

pub(crate) const SELECT_RECORD: &str = "SELECT c.id, c.nik, c.name, c.legal_entity_number, c.legal_entity_date, c.amendments, c.address, \
     c.kelurahan_code, kel.name AS kelurahan_name, c.kelurahan_text, c.kecamatan_code, kec.name AS kecamatan_name, c.kabkota_code, \
     c.bentuk, c.jenis, c.kelompok, c.sektor, c.loop_kind, c.phone, c.email, c.certificate_valid_until, c.ods_grade, \
     c.ods_last_rat_date, c.notes, c.chair_name, c.chair_phone, c.secretary_name, c.treasurer_name, c.supervisor_name, \
     c.manager_name, c.supervised, c.archived, c.archive_reason, c.status, c.status_since, c.last_rat_date, c.version, c.created_at, c.updated_at \
     FROM cooperatives c LEFT JOIN regions kec ON kec.code = c.kecamatan_code LEFT JOIN regions kel ON kel.code = c.kelurahan_code";

pub(crate) const INSERT: &str = "INSERT INTO cooperatives (nik, name, search_key, legal_entity_number, legal_entity_date, amendments, address, \
     kelurahan_code, kecamatan_code, kabkota_code, kelurahan_text, bentuk, jenis, kelompok, sektor, loop_kind, phone, email, \
     certificate_valid_until, ods_grade, ods_last_rat_date, notes, supervised, archived, \
     chair_name, chair_phone, secretary_name, treasurer_name, supervisor_name, manager_name, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, \
     $25, $26, $27, $28, $29, $30, 1, $31, $31) \
     RETURNING id";

pub(crate) const UPDATE: &str = "UPDATE cooperatives SET nik = $1, name = $2, search_key = $3, legal_entity_number = $4, legal_entity_date = $5, \
     amendments = $6, address = $7, kelurahan_code = $8, kecamatan_code = $9, kabkota_code = $10, kelurahan_text = $11, \
     bentuk = $12, jenis = $13, kelompok = $14, sektor = $15, loop_kind = $16, phone = $17, email = $18, \
     certificate_valid_until = $19, ods_grade = $20, ods_last_rat_date = $21, notes = $22, supervised = $23, archived = $24, \
     chair_name = $25, chair_phone = $26, secretary_name = $27, treasurer_name = $28, supervisor_name = $29, manager_name = $30, \
     version = version + 1, updated_at = $31 WHERE id = $32 AND version = $33";

pub(crate) const INSERT_VERSION: &str = "INSERT INTO cooperative_versions (cooperative_id, version, action, snapshot, changes, reason, actor_user_id, actor_name, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Binds the 30 field parameters shared by INSERT and UPDATE, in their order.
macro_rules! bind_fields {
    ($q:expr, $f:expr, $kabkota:expr, $supervised:expr, $archived:expr) => {{
        let f: &CooperativeFields = $f;
        $q.bind(f.nik.clone())
            .bind(f.name.clone())
            .bind(kopra_domain::names::cooperative_search_key(&f.name))
            .bind(f.legal_entity_number.clone())
            .bind(f.legal_entity_date)
            .bind(serde_json::to_string(&f.amendments).unwrap_or_else(|_| "[]".into()))
            .bind(f.address.clone())
            .bind(f.kelurahan_code.clone())
            .bind(f.kecamatan_code.clone())
            .bind($kabkota)
            .bind(f.kelurahan_text.clone())
            .bind(f.bentuk.clone())
            .bind(f.jenis.clone())
            .bind(f.kelompok.clone())
            .bind(f.sektor.clone())
            .bind(f.loop_.clone())
            .bind(f.phone.clone())
            .bind(f.email.clone())
            .bind(f.certificate_valid_until)
            .bind(f.ods_grade.clone())
            .bind(f.ods_last_rat_date)
            .bind(f.notes.clone())
            .bind($supervised)
            .bind($archived)
            .bind(f.chair_name.clone())
            .bind(f.chair_phone.clone())
            .bind(f.secretary_name.clone())
            .bind(f.treasurer_name.clone())
            .bind(f.supervisor_name.clone())
            .bind(f.manager_name.clone())
    }};
}

pub(crate) use bind_fields;

/// The 30 field columns of INSERT and UPDATE, in the order [`bind_fields!`] and
/// [`push_fields!`] bind them.
pub(crate) const FIELD_COLUMNS: &str = "nik, name, search_key, legal_entity_number, legal_entity_date, amendments, address, \
     kelurahan_code, kecamatan_code, kabkota_code, kelurahan_text, bentuk, jenis, kelompok, sektor, loop_kind, phone, email, \
     certificate_valid_until, ods_grade, ods_last_rat_date, notes, supervised, archived, \
     chair_name, chair_phone, secretary_name, treasurer_name, supervisor_name, manager_name";

/// [`bind_fields!`] for one row of a multi-row INSERT (a `QueryBuilder`'s `Separated`).
macro_rules! push_fields {
    ($b:expr, $f:expr, $kabkota:expr, $supervised:expr, $archived:expr) => {{
        let f: &CooperativeFields = $f;
        $b.push_bind(f.nik.clone())
            .push_bind(f.name.clone())
            .push_bind(kopra_domain::names::cooperative_search_key(&f.name))
            .push_bind(f.legal_entity_number.clone())
            .push_bind(f.legal_entity_date)
            .push_bind(serde_json::to_string(&f.amendments).unwrap_or_else(|_| "[]".into()))
            .push_bind(f.address.clone())
            .push_bind(f.kelurahan_code.clone())
            .push_bind(f.kecamatan_code.clone())
            .push_bind($kabkota)
            .push_bind(f.kelurahan_text.clone())
            .push_bind(f.bentuk.clone())
            .push_bind(f.jenis.clone())
            .push_bind(f.kelompok.clone())
            .push_bind(f.sektor.clone())
            .push_bind(f.loop_.clone())
            .push_bind(f.phone.clone())
            .push_bind(f.email.clone())
            .push_bind(f.certificate_valid_until)
            .push_bind(f.ods_grade.clone())
            .push_bind(f.ods_last_rat_date)
            .push_bind(f.notes.clone())
            .push_bind($supervised)
            .push_bind($archived)
            .push_bind(f.chair_name.clone())
            .push_bind(f.chair_phone.clone())
            .push_bind(f.secretary_name.clone())
            .push_bind(f.treasurer_name.clone())
            .push_bind(f.supervisor_name.clone())
            .push_bind(f.manager_name.clone())
    }};
}

pub(crate) use push_fields;

pub(crate) fn nik_taken(e: sqlx::Error) -> DbError {
    if DbError::is_unique_violation(&e) {
        DbError::Duplicate(FieldErrors::single("nik", FieldError::NikTaken))
    } else {
        e.into()
    }
}

/// A version's snapshot: the fields and the archive state.
#[derive(Serialize)]
struct Snapshot<'a> {
    archive_reason: Option<&'a str>,
    archived: bool,
    fields: &'a CooperativeFields,
}

pub(crate) fn snapshot(f: &CooperativeFields, archived: bool, reason: Option<&str>) -> String {
    // Written straight from the fields (no JSON tree in between): imports write 130,000.
    serde_json::to_string(&Snapshot {
        archive_reason: reason,
        archived,
        fields: f,
    })
    .unwrap_or_default()
}

/// What an archive or restore records.
fn archive_changes(from: bool, to: bool, reason: Option<&str>) -> Vec<FieldChange> {
    vec![
        FieldChange {
            field: "archived".into(),
            from: Some(from.to_string()),
            to: Some(to.to_string()),
        },
        FieldChange {
            field: "archive_reason".into(),
            from: None,
            to: reason.map(String::from),
        },
    ]
}

impl Db {
    /// Checks that the regions exist and lie in the office's area; returns the kab/kota.
    pub(crate) async fn check_regions(&self, office: &Office, f: &CooperativeFields) -> Result<String, DbError> {
        let mut errors = FieldErrors::default();
        let kec = RegionCode::parse(&f.kecamatan_code)
            .map_err(|e| DbError::Invalid(FieldErrors::single("kecamatan_code", e)))?;
        match self.region(kec.as_str()).await? {
            Some(r) if r.level == "kecamatan" => {
                if !office.home.contains(&kec) {
                    errors.add("kecamatan_code", FieldError::RegionOutsideHome);
                }
            }
            _ => errors.add("kecamatan_code", FieldError::RegionUnknown),
        }
        if let Some(kel) = &f.kelurahan_code {
            match self.region(kel).await? {
                Some(r) if r.level == "kelurahan" || r.level == "desa" => {}
                _ => errors.add("kelurahan_code", FieldError::RegionUnknown),
            }
        }
        if !errors.is_empty() {
            // Name the kelurahan rather than the kecamatan derived from it.
            if f.kelurahan_code.is_some() && errors.get("kecamatan_code") == Some(FieldError::RegionUnknown) {
                return Err(DbError::Invalid(FieldErrors::single(
                    "kelurahan_code",
                    FieldError::RegionUnknown,
                )));
            }
            return Err(DbError::Invalid(errors));
        }
        Ok(kec.truncate(2).map(String::from).unwrap_or_default())
    }

    pub(crate) fn supervised(office: &Office, f: &CooperativeFields) -> bool {
        RegionCode::parse(&f.kecamatan_code)
            .map(|kec| is_supervised(f.bentuk.as_deref(), &kec, &office.home, office.include_wider_bentuk))
            .unwrap_or(false)
    }

    pub async fn create_cooperative(
        &self,
        office: &Office,
        f: &CooperativeFields,
        actor: &Actor,
    ) -> Result<CooperativeRecord, DbError> {
        let kabkota = self.check_regions(office, f).await?;
        let supervised = Self::supervised(office, f);
        let t = now();
        let changes = field_changes(&[], &f.display_fields());
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = bind_fields!(sqlx::query_scalar(INSERT), f, kabkota.clone(), supervised, false)
                .bind(t)
                .fetch_one(&mut *tx)
                .await
                .map_err(nik_taken)?;
            sqlx::query(INSERT_VERSION)
                .bind(id).bind(1i64).bind("create").bind(snapshot(f, false, None))
                .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(None::<String>)
                .bind(actor.user_id).bind(actor.name.clone()).bind(t)
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "cooperative.create", entity_type: "cooperative", entity_id: Some(id.to_string()),
                before: None, after: Some(json!(f)),
            })?;
            tx.commit().await?;
            id
        });
        // A founding date long past with no RAT makes a dissolution candidate at once.
        self.refresh_status(id).await?;
        self.cooperative(id).await
    }

    /// Applies new field values. With `expected_version`, a record changed since then is
    /// not overwritten: the answer is `StaleVersion` with the current record.
    pub async fn update_cooperative(
        &self,
        office: &Office,
        id: i64,
        f: &CooperativeFields,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<CooperativeRecord, DbError> {
        let current = self.cooperative(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(DbError::StaleVersion(Box::new(current)));
        }
        let before = current.fields.clone();
        let changes = field_changes(&before.display_fields(), &f.display_fields());
        if changes.is_empty() {
            return Ok(current);
        }
        let kabkota = self.check_regions(office, f).await?;
        let supervised = Self::supervised(office, f);
        self.write_version(
            id,
            current.version,
            f,
            &kabkota,
            supervised,
            current.archived,
            current.archive_reason.as_deref(),
            "update",
            changes,
            None,
            actor,
            json!(before),
            json!(f),
        )
        .await
    }

    /// Archives with a reason (records are never deleted); archived records keep their
    /// history and stay searchable on request.
    pub async fn archive_cooperative(
        &self,
        id: i64,
        reason: &str,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<CooperativeRecord, DbError> {
        self.set_archived(id, true, reason, expected_version, actor).await
    }

    pub async fn restore_cooperative(
        &self,
        id: i64,
        reason: &str,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<CooperativeRecord, DbError> {
        self.set_archived(id, false, reason, expected_version, actor).await
    }

    async fn set_archived(
        &self,
        id: i64,
        archived: bool,
        reason: &str,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<CooperativeRecord, DbError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DbError::Invalid(FieldErrors::single("reason", FieldError::Required)));
        }
        if reason.chars().count() > 2000 {
            return Err(DbError::Invalid(FieldErrors::single("reason", FieldError::TooLong)));
        }
        let current = self.cooperative(id).await?;
        if expected_version.is_some_and(|v| v != current.version) || current.archived == archived {
            return Err(DbError::StaleVersion(Box::new(current)));
        }
        let f = current.fields.clone();
        let stored_reason = archived.then_some(reason);
        let changes = archive_changes(current.archived, archived, Some(reason));
        let action = if archived { "archive" } else { "restore" };
        self.write_version(
            id,
            current.version,
            &f,
            &current.kabkota_code,
            current.supervised,
            archived,
            stored_reason,
            action,
            changes,
            Some(reason),
            actor,
            json!({"archived": current.archived}),
            json!({"archived": archived, "reason": reason}),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_version(
        &self,
        id: i64,
        from_version: i64,
        f: &CooperativeFields,
        kabkota: &str,
        supervised: bool,
        archived: bool,
        archive_reason: Option<&str>,
        action: &str,
        changes: Vec<FieldChange>,
        reason: Option<&str>,
        actor: &Actor,
        audit_before: serde_json::Value,
        audit_after: serde_json::Value,
    ) -> Result<CooperativeRecord, DbError> {
        let t = now();
        let updated = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = bind_fields!(sqlx::query(UPDATE), f, kabkota.to_string(), supervised, archived)
                .bind(t).bind(id).bind(from_version)
                .execute(&mut *tx).await.map_err(nik_taken)?.rows_affected();
            if n == 1 {
                sqlx::query("UPDATE cooperatives SET archive_reason = $1 WHERE id = $2")
                    .bind(archive_reason.map(String::from)).bind(id).execute(&mut *tx).await?;
                sqlx::query(INSERT_VERSION)
                    .bind(id).bind(from_version + 1).bind(action.to_string()).bind(snapshot(f, archived, archive_reason))
                    .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(reason.map(String::from))
                    .bind(actor.user_id).bind(actor.name.clone()).bind(t)
                    .execute(&mut *tx).await?;
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: &format!("cooperative.{action}"), entity_type: "cooperative", entity_id: Some(id.to_string()),
                    before: Some(audit_before), after: Some(audit_after),
                })?;
                tx.commit().await?;
            }
            n == 1
        });
        if updated {
            // The founding date is evidence for the status; keep the stored one current.
            self.refresh_status(id).await?;
        }
        let record = self.cooperative(id).await?;
        if updated {
            Ok(record)
        } else {
            Err(DbError::StaleVersion(Box::new(record)))
        }
    }

    pub async fn cooperative(&self, id: i64) -> Result<CooperativeRecord, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, CooperativeRow>(sqlx::AssertSqlSafe(format!("{SELECT_RECORD} WHERE c.id = $1")))
            .bind(id).fetch_optional(p).await)?;
        row.ok_or(DbError::NotFound)?.try_into()
    }

    /// The records with these ids (those that exist), by id: one query per 1,000 ids.
    pub async fn cooperatives_by_ids(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, CooperativeRecord>, DbError> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            let rows: Vec<CooperativeRow> = on_pool!(self, p => {
                let mut q = sqlx::QueryBuilder::new(format!("{SELECT_RECORD} WHERE c.id IN ("));
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as::<CooperativeRow>().fetch_all(p).await
            })?;
            for r in rows {
                let record = CooperativeRecord::try_from(r)?;
                out.insert(record.id, record);
            }
        }
        Ok(out)
    }

    pub async fn cooperative_by_nik(&self, nik: &str) -> Result<Option<CooperativeRecord>, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, CooperativeRow>(sqlx::AssertSqlSafe(format!("{SELECT_RECORD} WHERE c.nik = $1")))
            .bind(nik).fetch_optional(p).await)?;
        row.map(TryInto::try_into).transpose()
    }

    /// Every version, newest first.
    pub async fn cooperative_history(&self, id: i64) -> Result<Vec<VersionEntry>, DbError> {
        let rows = on_pool!(self, p => sqlx::query_as::<_, VersionRow>(
            "SELECT version, action, changes, CASE WHEN action = 'create' AND changes = '[]' THEN snapshot END AS snapshot, \
             reason, actor_name, at FROM cooperative_versions WHERE cooperative_id = $1 ORDER BY version DESC",
        ).bind(id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                let changes = match &r.snapshot {
                    // A creation's changes are its fields: imports store them once, in the
                    // snapshot (a record always has a name, so a real creation never has none).
                    Some(snap) => {
                        let v: serde_json::Value =
                            serde_json::from_str(snap).map_err(|e| DbError::Corrupt(format!("snapshot: {e}")))?;
                        let fields: CooperativeFields = serde_json::from_value(v["fields"].clone())
                            .map_err(|e| DbError::Corrupt(format!("snapshot: {e}")))?;
                        field_changes(&[], &fields.display_fields())
                    }
                    None => serde_json::from_str(&r.changes).map_err(|e| DbError::Corrupt(format!("changes: {e}")))?,
                };
                Ok(VersionEntry {
                    version: r.version,
                    action: r.action,
                    changes,
                    reason: r.reason,
                    actor_name: r.actor_name,
                    at: r.at,
                })
            })
            .collect()
    }
}

/// The scope restriction as SQL, for list and count queries.
pub(crate) fn scope_condition(scope: &Scope) -> Option<(String, Vec<crate::cooperative_list::Bind>)> {
    use crate::cooperative_list::Bind;
    match scope {
        Scope::All => None,
        Scope::Kecamatan(list) => Some((
            "c.kecamatan_code IN ({})".into(),
            list.iter().cloned().map(Bind::Text).collect(),
        )),
        Scope::Cooperative(id) => Some(("c.id = {}".into(), vec![Bind::Int(*id)])),
        Scope::Nothing => Some(("1 = 0".into(), vec![])),
    }
}

pub(crate) use CooperativeRow as Row;
