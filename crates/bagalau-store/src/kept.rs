//! Citizens' records and the questionnaires of satisfaction surveys in the
//! database (migration 0024): the writes of a batch, the reads and the
//! records `audit verify` compares. A record is kept as its canonical CSV
//! row; the services crate reads the rows back under their family's header,
//! so a stored record is checked as an imported one is.

use crate::sql::corrupt;

/// What kind of record: each is its own audited entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Complaints and applications to bodies.
    Complaint,
    /// Records of the Open Government portals; the part is their kind.
    Openness,
    /// Satisfaction-survey responses; the part is the questionnaire's id.
    SurveyResponse,
}

impl Family {
    pub const ALL: [Family; 3] = [Family::Complaint, Family::Openness, Family::SurveyResponse];

    /// The name in the table and in the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Complaint => "complaint",
            Family::Openness => "openness",
            Family::SurveyResponse => "survey_response",
        }
    }

    pub fn parse(text: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// One record as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptRecord {
    pub family: Family,
    /// The openness kind or the questionnaire; empty for complaints.
    pub part: String,
    /// What identifies the record within its part (`body/id`, `tool/id`).
    pub key: String,
    /// The canonical CSV row, line ending included.
    pub content: String,
    /// The file it came from (`demonstration` for the demo's).
    pub origin: String,
}

impl KeptRecord {
    /// The key in the audit trail: the part, then the key.
    pub fn audit_key(&self) -> String {
        audit_key(&self.part, &self.key)
    }
}

fn audit_key(part: &str, key: &str) -> String {
    if part.is_empty() {
        key.to_string()
    } else {
        format!("{part}/{key}")
    }
}

/// A questionnaire as kept: its TOML, as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuestionnaire {
    pub id: String,
    pub file_name: String,
    pub content: String,
}

pub(crate) type RecordRow = (String, String, String, String, String);

pub(crate) fn record_from_row(
    (family, part, key, content, origin): RecordRow,
) -> crate::Result<KeptRecord> {
    let family = Family::parse(&family).ok_or_else(|| {
        corrupt(
            format!("kept record {}", audit_key(&part, &key)),
            format!("`{family}` is not a family of records"),
        )
    })?;
    Ok(KeptRecord {
        family,
        part,
        key,
        content,
        origin,
    })
}

/// The batch's records and questionnaires, inside the write's transaction.
/// A record kept with the same content is left; with other content it is
/// refused (the use cases refuse it first; this holds against a race).
macro_rules! write_kept {
    ($tx:ident, $changes:ident, $batch:ident) => {
        for q in &$batch.questionnaires {
            let old: Option<(String,)> = sqlx::query_as("SELECT content FROM questionnaires WHERE id = $1")
                .bind(&q.id)
                .fetch_optional(&mut *$tx)
                .await?;
            let old = old.map(|o| o.0);
            if old.as_deref() != Some(q.content.as_str()) {
                $changes.push(audit::Change { entity: "questionnaire", key: q.id.clone(), old, new: Some(q.content.clone()) });
            }
            sqlx::query(
                "INSERT INTO questionnaires (id, file_name, content, content_hash, imported_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, content = excluded.content,
                 content_hash = excluded.content_hash, imported_at = excluded.imported_at",
            )
            .bind(&q.id)
            .bind(&q.file_name)
            .bind(&q.content)
            .bind(bagalau_core::hash::sha256_hex(q.content.as_bytes()))
            .bind(&$batch.at)
            .execute(&mut *$tx)
            .await?;
        }
        for r in &$batch.kept_records {
            let old: Option<(String,)> = sqlx::query_as("SELECT content FROM kept_records WHERE family = $1 AND part = $2 AND key = $3")
                .bind(r.family.as_str())
                .bind(&r.part)
                .bind(&r.key)
                .fetch_optional(&mut *$tx)
                .await?;
            match old {
                Some((content,)) if content == r.content => continue,
                Some(_) => {
                    return Err($crate::StoreError::Conflict(format!(
                        "the {} `{}` is kept with other content: a kept record is never overwritten",
                        r.family.as_str(),
                        r.audit_key()
                    )))
                }
                None => {}
            }
            sqlx::query(
                "INSERT INTO kept_records (family, part, key, content, origin, imported_at, imported_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(r.family.as_str())
            .bind(&r.part)
            .bind(&r.key)
            .bind(&r.content)
            .bind(&r.origin)
            .bind(&$batch.at)
            .bind(&$batch.actor)
            .execute(&mut *$tx)
            .await?;
            $changes.push(audit::Change { entity: r.family.as_str(), key: r.audit_key(), old: None, new: Some(r.content.clone()) });
        }
    };
}
pub(crate) use write_kept;

/// The records `audit verify` compares, added to `out`.
macro_rules! kept_audit_records {
    ($self:ident, $out:ident) => {
        let rows: Vec<$crate::kept::RecordRow> =
            sqlx::query_as("SELECT family, part, key, content, origin FROM kept_records")
                .fetch_all(&$self.pool)
                .await?;
        for row in rows {
            let r = $crate::kept::record_from_row(row)?;
            $out.push((r.family.as_str().to_string(), r.audit_key(), r.content));
        }
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, content FROM questionnaires")
            .fetch_all(&$self.pool)
            .await?;
        $out.extend(
            rows.into_iter()
                .map(|(id, c)| ("questionnaire".to_string(), id, c)),
        );
    };
}
pub(crate) use kept_audit_records;
