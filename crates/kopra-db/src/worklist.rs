//! The activation worklist: inactive and no-data cooperatives ranked by how close they are
//! to activation (scored by `kopra_domain::worklist`), and who follows each up.

use crate::audit::AuditEntry;
use crate::cooperative_list::Bind;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::status::Status;
use kopra_domain::worklist::{Reason, WorklistFacts, belongs, reasons, score};
use kopra_domain::{FieldError, FieldErrors, Role, Scope};
use serde::Serialize;
use serde_json::json;
use time::Date;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorklistItem {
    pub cooperative_id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub kecamatan_code: String,
    pub kecamatan_name: Option<String>,
    pub status: String,
    pub score: i64,
    pub reasons: Vec<Reason>,
    pub assigned_to: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct WorklistFilter {
    pub kecamatan: Option<String>,
    pub supervised_only: bool,
    /// Only those assigned to this user.
    pub assigned_to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    nik: Option<String>,
    kecamatan_code: String,
    kecamatan_name: Option<String>,
    status: String,
    last_rat_date: Option<Date>,
    certificate_valid_until: Option<Date>,
    legal_entity_date: Option<Date>,
    ods_grade: Option<String>,
    members: Option<i64>,
    report_without_rat: i64,
    assigned_to: Option<String>,
}

impl Db {
    /// The ranked worklist within the user's scope: highest score first, then name.
    pub async fn worklist(&self, f: &WorklistFilter, scope: &Scope, today: Date) -> Result<Vec<WorklistItem>, DbError> {
        let rules = self.status_rules().await?;
        let mut clauses = vec![
            "c.archived = $1".to_string(),
            "c.status IN ('inactive', 'dissolution_candidate', 'no_data')".to_string(),
        ];
        let mut binds = vec![Bind::Bool(false)];
        let mut push = |clause: &str, b: Bind, binds: &mut Vec<Bind>| {
            binds.push(b);
            clauses.push(clause.replace("{}", &format!("${}", binds.len())));
        };
        if f.supervised_only {
            push("c.supervised = {}", Bind::Bool(true), &mut binds);
        }
        if let Some(k) = f.kecamatan.as_deref().filter(|k| !k.is_empty()) {
            push("c.kecamatan_code = {}", Bind::Text(k.to_string()), &mut binds);
        }
        if let Some(u) = f.assigned_to {
            push("a.user_id = {}", Bind::Int(u), &mut binds);
        }
        match scope {
            Scope::All => {}
            Scope::Kecamatan(list) => {
                let mut names = Vec::new();
                for k in list {
                    binds.push(Bind::Text(k.clone()));
                    names.push(format!("${}", binds.len()));
                }
                clauses.push(if names.is_empty() {
                    "1 = 0".into()
                } else {
                    format!("c.kecamatan_code IN ({})", names.join(", "))
                });
            }
            Scope::Cooperative(id) => push("c.id = {}", Bind::Int(*id), &mut binds),
            Scope::Nothing => clauses.push("1 = 0".into()),
        }
        let year = today.year() - 1;
        binds.push(Bind::Int(i64::from(year)));
        let year_param = binds.len();
        let sql = format!(
            "SELECT c.id, c.name, c.nik, c.kecamatan_code, kec.name AS kecamatan_name, c.status, c.last_rat_date, c.certificate_valid_until, \
             c.legal_entity_date, c.ods_grade, \
             (SELECT r.members_total FROM annual_reports r WHERE r.cooperative_id = c.id ORDER BY r.book_year DESC LIMIT 1) AS members, \
             (SELECT COUNT(*) FROM annual_reports r WHERE r.cooperative_id = c.id AND r.book_year = ${year_param} AND r.rat_date IS NULL) AS report_without_rat, \
             u.username AS assigned_to \
             FROM cooperatives c LEFT JOIN regions kec ON kec.code = c.kecamatan_code \
             LEFT JOIN worklist_assignments a ON a.cooperative_id = c.id LEFT JOIN users u ON u.id = a.user_id \
             WHERE {}",
            clauses.join(" AND ")
        );
        let rows: Vec<Row> = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql));
            for b in binds {
                q = match b {
                    Bind::Text(s) => q.bind(s),
                    Bind::Int(i) => q.bind(i),
                    Bind::Bool(v) => q.bind(v),
                };
            }
            q.fetch_all(p).await
        })?;
        let mut items: Vec<WorklistItem> = rows
            .into_iter()
            .filter_map(|r| {
                let status = Status::parse(&r.status)?;
                if !belongs(status) {
                    return None;
                }
                let facts = WorklistFacts {
                    status,
                    last_rat: r.last_rat_date,
                    certificate_valid_until: r.certificate_valid_until,
                    founded: r.legal_entity_date,
                    members: r.members,
                    ods_grade: r.ods_grade,
                    report_without_rat: r.report_without_rat > 0,
                };
                let rs = reasons(&facts, today, rules.active_window_years);
                Some(WorklistItem {
                    cooperative_id: r.id,
                    name: r.name,
                    nik: r.nik,
                    kecamatan_code: r.kecamatan_code,
                    kecamatan_name: r.kecamatan_name,
                    status: r.status,
                    score: score(&rs),
                    reasons: rs,
                    assigned_to: r.assigned_to,
                })
            })
            .collect();
        items.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
        Ok(items)
    }

    /// Assigns a cooperative on the worklist to a petugas (or clears it with `None`).
    pub async fn assign_worklist(
        &self,
        cooperative_id: i64,
        user_id: Option<i64>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.cooperative(cooperative_id).await?;
        if let Some(u) = user_id {
            match self.user_by_id(u).await? {
                Some(user) if user.role != Role::Pengurus => {}
                _ => {
                    return Err(DbError::Invalid(FieldErrors::single(
                        "user_id",
                        FieldError::ValueNotInList,
                    )));
                }
            }
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO worklist_assignments (cooperative_id, user_id, assigned_by_name, assigned_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (cooperative_id) DO UPDATE SET user_id = excluded.user_id, assigned_by_name = excluded.assigned_by_name, assigned_at = excluded.assigned_at",
            )
            .bind(cooperative_id).bind(user_id).bind(actor.name.clone()).bind(now())
            .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "worklist.assign", entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                before: None, after: Some(json!({"user_id": user_id})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }
}
