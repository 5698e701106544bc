//! The whole register in the shape of the ministry's ODS list (its column names,
//! `DD/MM/YYYY` dates), so that other tools — and Kopra's own importer — read it back.

use crate::cooperative_list::{ArchivedFilter, CooperativeFilter, Sort, SortKey};
use crate::{Db, DbError, on_pool};
use kopra_domain::Scope;
use kopra_domain::certificate::CertificateStatus;
use std::collections::HashMap;
use time::Date;

pub use kopra_domain::ods::LIST_HEADERS as ODS_HEADERS;

fn dmy(d: Option<Date>) -> String {
    d.map(|d| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
        .unwrap_or_default()
}

/// Members (male, female, total) of a cooperative's latest verified report.
type Members = (Option<i64>, Option<i64>, Option<i64>);
/// The same, as read: cooperative id, male, female, total.
type MemberRow = (i64, Option<i64>, Option<i64>, Option<i64>);

impl Db {
    /// Every non-archived cooperative in `scope` as an ODS-shaped CSV (UTF-8 with BOM).
    pub async fn export_ods_csv(&self, scope: &Scope, today: Date) -> Result<Vec<u8>, DbError> {
        // Latest verified members per cooperative, in one query.
        let members: Vec<MemberRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT cooperative_id, members_male, members_female, members_total FROM annual_reports \
             WHERE review_status = 'verified' ORDER BY cooperative_id, book_year",
        ).fetch_all(p).await)?;
        let members: HashMap<i64, Members> = members.into_iter().map(|(id, m, f, t)| (id, (m, f, t))).collect();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(ODS_HEADERS)
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        let filter = CooperativeFilter {
            archived: ArchivedFilter::Exclude,
            ..Default::default()
        };
        let sort = Sort {
            key: SortKey::Name,
            descending: false,
        };
        let mut page = 1;
        loop {
            let p = self.list_cooperatives(&filter, scope, sort, page, 500).await?;
            for c in &p.items {
                let f = &c.fields;
                let province = c.kabkota_code.split('.').next().unwrap_or("").to_string();
                for code in [&c.kabkota_code, &province] {
                    if !names.contains_key(code) {
                        let n = self.region(code).await?.map(|r| r.name).unwrap_or_default();
                        names.insert(code.clone(), n);
                    }
                }
                let (m, fe, t) = members.get(&c.id).copied().unwrap_or((None, None, None));
                let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                let amendment = f.amendments.last();
                let o = |s: &Option<String>| s.clone().unwrap_or_default();
                w.write_record([
                    o(&f.nik),
                    f.name.clone(),
                    o(&f.legal_entity_number),
                    dmy(f.legal_entity_date),
                    amendment.map(|a| a.number.clone()).unwrap_or_default(),
                    dmy(amendment.and_then(|a| a.date)),
                    dmy(c.last_rat_date),
                    o(&f.address),
                    c.kelurahan_name
                        .clone()
                        .or_else(|| f.kelurahan_text.clone())
                        .unwrap_or_default(),
                    o(&c.kecamatan_name),
                    names[&c.kabkota_code].clone(),
                    names[&province].clone(),
                    o(&f.bentuk),
                    o(&f.jenis),
                    o(&f.kelompok),
                    o(&f.sektor),
                    n(m),
                    n(fe),
                    n(t),
                    String::new(),
                    String::new(),
                    CertificateStatus::of(f.certificate_valid_until, today)
                        .ods_label()
                        .to_string(),
                    dmy(f.certificate_valid_until),
                    o(&f.ods_grade),
                ])
                .map_err(|e| DbError::Corrupt(e.to_string()))?;
            }
            if page * 500 >= p.total {
                break;
            }
            page += 1;
        }
        w.into_inner().map_err(|e| DbError::Corrupt(e.to_string()))
    }
}
