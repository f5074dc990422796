//! Public monitoring in the database (migration 0016): the writes of a
//! batch, the reads, and the records `audit verify` compares. The SQL is
//! portable like the rest; the `sql_store!` macro expands these macros
//! inside the one `Store` implementation shared by SQLite and PostgreSQL.

use bagalau_core::monitoring::{
    Accreditation, Finding, Observation, Organisation, Project, ProjectPlan, ProjectRecommendation,
    ProjectStatus, Reply, Revocation, Severity, Stance,
};
use bagalau_core::recommendation::{Recommendation, RecommendationState};
use chrono::{NaiveDate, NaiveDateTime};

use crate::sql::corrupt;

const DATE: &str = "%Y-%m-%d";
const TIME: &str = "%Y-%m-%dT%H:%M:%S";

fn date(what: &dyn Fn() -> String, text: &str) -> crate::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, DATE).map_err(|e| corrupt(what(), e))
}

fn time(what: &dyn Fn() -> String, text: &str) -> crate::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME).map_err(|e| corrupt(what(), e))
}

fn list(what: &dyn Fn() -> String, json: &str) -> crate::Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| corrupt(what(), e))
}

pub(crate) fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("a list of strings serialises")
}

pub(crate) fn time_text(t: &NaiveDateTime) -> String {
    t.format(TIME).to_string()
}

macro_rules! ORGANISATION_COLUMNS {
    () => {
        "id, name_kk, name_ru, name_en, accredited_by, accredited_from, accredited_until, revoked_on, revocation_reason"
    };
}
pub(crate) use ORGANISATION_COLUMNS;

pub(crate) type OrganisationRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn organisation_from_row(row: OrganisationRow) -> crate::Result<Organisation> {
    let (id, kk, ru, en, by, from, until, revoked_on, revocation_reason) = row;
    let what = || format!("monitoring organisation {id}");
    let accreditation = match (by, from, until) {
        (Some(by), Some(from), Some(until)) => Some(Accreditation {
            by,
            from: date(&what, &from)?,
            until: date(&what, &until)?,
            revoked: match revoked_on {
                Some(on) => Some(Revocation {
                    on: date(&what, &on)?,
                    reason: revocation_reason.unwrap_or_default(),
                }),
                None => None,
            },
        }),
        _ => None,
    };
    Ok(Organisation {
        id,
        name: bagalau_core::Names { kk, ru, en },
        accreditation,
    })
}

/// The accreditation's columns as stored: by, from, until, revoked on, why.
pub(crate) type AccreditationColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn accreditation_columns(o: &Organisation) -> AccreditationColumns {
    match &o.accreditation {
        None => (None, None, None, None, None),
        Some(a) => (
            Some(a.by.clone()),
            Some(a.from.to_string()),
            Some(a.until.to_string()),
            a.revoked.as_ref().map(|r| r.on.to_string()),
            a.revoked.as_ref().map(|r| r.reason.clone()),
        ),
    }
}

macro_rules! PROJECT_COLUMNS {
    () => {
        "id, organisation, title, services, regions, period_from, period_to, method, status, created_by, reported_at"
    };
}
pub(crate) use PROJECT_COLUMNS;

pub(crate) type ProjectRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) fn project_from_row(row: ProjectRow) -> crate::Result<(i64, Project)> {
    let (
        id,
        organisation,
        title,
        services,
        regions,
        period_from,
        period_to,
        method,
        status,
        created_by,
        reported_at,
    ) = row;
    let what = || format!("monitoring project {id}");
    Ok((
        id,
        Project {
            organisation,
            plan: ProjectPlan {
                title,
                services: list(&what, &services)?,
                regions: list(&what, &regions)?,
                period_from: date(&what, &period_from)?,
                period_to: date(&what, &period_to)?,
                method,
            },
            status: ProjectStatus::parse(&status)
                .ok_or_else(|| corrupt(what(), format!("unknown status `{status}`")))?,
            created_by,
            reported_at: reported_at.map(|t| time(&what, &t)).transpose()?,
        },
    ))
}

macro_rules! FINDING_COLUMNS {
    () => {
        "id, project, service, body, region, office, observed_on, text, severity, evidence, submitted_by, submitted_at, reply_due, reply_by, reply_at, reply_stance, reply_text, reply_evidence"
    };
}
pub(crate) use FINDING_COLUMNS;

/// A finding as its columns come back (the tuple would exceed what sqlx
/// decodes at once, so the row is read by index).
pub(crate) fn finding_from_row<R>(row: &R) -> crate::Result<(i64, Finding)>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let id: i64 = row.try_get(0)?;
    let text = |i: usize| -> crate::Result<String> { Ok(row.try_get::<String, _>(i)?) };
    let optional =
        |i: usize| -> crate::Result<Option<String>> { Ok(row.try_get::<Option<String>, _>(i)?) };
    let what = || format!("monitoring finding {id}");
    let severity = text(8)?;
    let reply = match (optional(13)?, optional(14)?, optional(15)?, optional(16)?) {
        (Some(by), Some(at), Some(stance), Some(reply_text)) => Some(Reply {
            by,
            at: time(&what, &at)?,
            stance: Stance::parse(&stance)
                .ok_or_else(|| corrupt(what(), format!("unknown stance `{stance}`")))?,
            text: reply_text,
            evidence: list(&what, &text(17)?)?,
        }),
        _ => None,
    };
    Ok((
        id,
        Finding {
            project: row.try_get(1)?,
            observation: Observation {
                service: text(2)?,
                body: text(3)?,
                region: text(4)?,
                office: optional(5)?,
                observed_on: date(&what, &text(6)?)?,
                text: text(7)?,
                severity: Severity::parse(&severity)
                    .ok_or_else(|| corrupt(what(), format!("unknown severity `{severity}`")))?,
                evidence: list(&what, &text(9)?)?,
            },
            submitted_by: text(10)?,
            submitted_at: time(&what, &text(11)?)?,
            reply_due: date(&what, &text(12)?)?,
            reply,
        },
    ))
}

macro_rules! RECOMMENDATION_COLUMNS {
    () => {
        "id, project, organisation, year, body, issued_by, text, due, state, report, reported_at, review_reason, evidence"
    };
}
pub(crate) use RECOMMENDATION_COLUMNS;

pub(crate) fn recommendation_from_row<R>(row: &R) -> crate::Result<(i64, ProjectRecommendation)>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let id: i64 = row.try_get(0)?;
    let text = |i: usize| -> crate::Result<String> { Ok(row.try_get::<String, _>(i)?) };
    let optional =
        |i: usize| -> crate::Result<Option<String>> { Ok(row.try_get::<Option<String>, _>(i)?) };
    let what = || format!("monitoring recommendation {id}");
    let state = text(8)?;
    Ok((
        id,
        ProjectRecommendation {
            project: row.try_get(1)?,
            organisation: text(2)?,
            recommendation: Recommendation {
                year: row.try_get(3)?,
                body: text(4)?,
                issued_by: text(5)?,
                text: text(6)?,
                due: date(&what, &text(7)?)?,
                state: RecommendationState::parse(&state)
                    .ok_or_else(|| corrupt(what(), format!("unknown state `{state}`")))?,
                report: optional(9)?,
                reported_at: optional(10)?.map(|t| time(&what, &t)).transpose()?,
                review_reason: optional(11)?,
                evidence: list(&what, &text(12)?)?,
            },
        },
    ))
}

/// Writes a batch's monitoring records inside the batch's transaction and
/// notes an audit change for each (`$tx`, `$changes`, `$batch` as in `apply`).
macro_rules! write_monitoring {
    ($tx:ident, $changes:ident, $batch:ident) => {
        for o in &$batch.monitoring_organisations {
            let old: Option<$crate::monitoring::OrganisationRow> = sqlx::query_as(concat!(
                "SELECT ",
                $crate::monitoring::ORGANISATION_COLUMNS!(),
                " FROM monitoring_organisations WHERE id = $1"
            ))
            .bind(&o.id)
            .fetch_optional(&mut *$tx)
            .await?;
            let old = old
                .map($crate::monitoring::organisation_from_row)
                .transpose()?
                .map(|o| o.audit_content());
            let (by, from, until, revoked_on, revocation_reason) =
                $crate::monitoring::accreditation_columns(o);
            sqlx::query(
                "INSERT INTO monitoring_organisations (id, name_kk, name_ru, name_en, accredited_by, accredited_from,
                 accredited_until, revoked_on, revocation_reason, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (id) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru, name_en = excluded.name_en,
                 accredited_by = excluded.accredited_by, accredited_from = excluded.accredited_from,
                 accredited_until = excluded.accredited_until, revoked_on = excluded.revoked_on,
                 revocation_reason = excluded.revocation_reason",
            )
            .bind(&o.id)
            .bind(&o.name.kk)
            .bind(&o.name.ru)
            .bind(&o.name.en)
            .bind(by)
            .bind(from)
            .bind(until)
            .bind(revoked_on)
            .bind(revocation_reason)
            .bind(&$batch.at)
            .execute(&mut *$tx)
            .await?;
            let new = o.audit_content();
            if old.as_deref() != Some(new.as_str()) {
                $changes.push(audit::Change {
                    entity: "monitoring_organisation",
                    key: o.id.clone(),
                    old,
                    new: Some(new),
                });
            }
        }
        for (id, p) in &$batch.monitoring_projects {
            let (id, old) = match id {
                Some(id) => {
                    let row: Option<$crate::monitoring::ProjectRow> = sqlx::query_as(concat!(
                        "SELECT ",
                        $crate::monitoring::PROJECT_COLUMNS!(),
                        " FROM monitoring_projects WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                    let old = row
                        .map($crate::monitoring::project_from_row)
                        .transpose()?
                        .map(|(_, p)| p.audit_content());
                    (*id, old)
                }
                None => {
                    let (max,): (i64,) =
                        sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM monitoring_projects")
                            .fetch_one(&mut *$tx)
                            .await?;
                    (max + 1, None)
                }
            };
            // What a project is about stays as opened; its status moves.
            sqlx::query(
                "INSERT INTO monitoring_projects (id, organisation, title, services, regions, period_from, period_to, method,
                 status, created_by, created_at, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, reported_at = excluded.reported_at",
            )
            .bind(id)
            .bind(&p.organisation)
            .bind(&p.plan.title)
            .bind($crate::monitoring::json_list(&p.plan.services))
            .bind($crate::monitoring::json_list(&p.plan.regions))
            .bind(p.plan.period_from.to_string())
            .bind(p.plan.period_to.to_string())
            .bind(&p.plan.method)
            .bind(p.status.as_str())
            .bind(&p.created_by)
            .bind(&$batch.at)
            .bind(p.reported_at.as_ref().map($crate::monitoring::time_text))
            .execute(&mut *$tx)
            .await?;
            $changes.push(audit::Change {
                entity: "monitoring_project",
                key: id.to_string(),
                old,
                new: Some(p.audit_content()),
            });
        }
        for (id, f) in &$batch.monitoring_findings {
            let (id, old) = match id {
                Some(id) => {
                    let row = sqlx::query(concat!(
                        "SELECT ",
                        $crate::monitoring::FINDING_COLUMNS!(),
                        " FROM monitoring_findings WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                    let old = row
                        .as_ref()
                        .map($crate::monitoring::finding_from_row)
                        .transpose()?
                        .map(|(_, f)| f.audit_content());
                    (*id, old)
                }
                None => {
                    let (max,): (i64,) =
                        sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM monitoring_findings")
                            .fetch_one(&mut *$tx)
                            .await?;
                    (max + 1, None)
                }
            };
            let o = &f.observation;
            let r = f.reply.as_ref();
            // A finding stays as submitted; only the body's reply is added.
            sqlx::query(
                "INSERT INTO monitoring_findings (id, project, service, body, region, office, observed_on, text, severity,
                 evidence, submitted_by, submitted_at, reply_due, reply_by, reply_at, reply_stance, reply_text, reply_evidence)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                 ON CONFLICT (id) DO UPDATE SET reply_by = excluded.reply_by, reply_at = excluded.reply_at,
                 reply_stance = excluded.reply_stance, reply_text = excluded.reply_text, reply_evidence = excluded.reply_evidence",
            )
            .bind(id)
            .bind(f.project)
            .bind(&o.service)
            .bind(&o.body)
            .bind(&o.region)
            .bind(&o.office)
            .bind(o.observed_on.to_string())
            .bind(&o.text)
            .bind(o.severity.as_str())
            .bind($crate::monitoring::json_list(&o.evidence))
            .bind(&f.submitted_by)
            .bind($crate::monitoring::time_text(&f.submitted_at))
            .bind(f.reply_due.to_string())
            .bind(r.map(|r| r.by.clone()))
            .bind(r.map(|r| $crate::monitoring::time_text(&r.at)))
            .bind(r.map(|r| r.stance.as_str()))
            .bind(r.map(|r| r.text.clone()))
            .bind($crate::monitoring::json_list(r.map_or(&[][..], |r| &r.evidence[..])))
            .execute(&mut *$tx)
            .await?;
            $changes.push(audit::Change {
                entity: "monitoring_finding",
                key: id.to_string(),
                old,
                new: Some(f.audit_content()),
            });
        }
        for (id, pr) in &$batch.monitoring_recommendations {
            let (id, old) = match id {
                Some(id) => {
                    let row = sqlx::query(concat!(
                        "SELECT ",
                        $crate::monitoring::RECOMMENDATION_COLUMNS!(),
                        " FROM monitoring_recommendations WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                    let old = row
                        .as_ref()
                        .map($crate::monitoring::recommendation_from_row)
                        .transpose()?
                        .map(|(_, r)| r.audit_content());
                    (*id, old)
                }
                None => {
                    let (max,): (i64,) = sqlx::query_as(
                        "SELECT COALESCE(MAX(id), 0) FROM monitoring_recommendations",
                    )
                    .fetch_one(&mut *$tx)
                    .await?;
                    (max + 1, None)
                }
            };
            let r = &pr.recommendation;
            sqlx::query(
                "INSERT INTO monitoring_recommendations (id, project, organisation, year, body, issued_by, text, due, state,
                 report, reported_at, review_reason, evidence, issued_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (id) DO UPDATE SET state = excluded.state, report = excluded.report, reported_at = excluded.reported_at,
                 review_reason = excluded.review_reason, evidence = excluded.evidence",
            )
            .bind(id)
            .bind(pr.project)
            .bind(&pr.organisation)
            .bind(r.year)
            .bind(&r.body)
            .bind(&r.issued_by)
            .bind(&r.text)
            .bind(r.due.to_string())
            .bind(r.state.as_str())
            .bind(&r.report)
            .bind(r.reported_at.as_ref().map($crate::monitoring::time_text))
            .bind(&r.review_reason)
            .bind($crate::monitoring::json_list(&r.evidence))
            .bind(&$batch.at)
            .execute(&mut *$tx)
            .await?;
            $changes.push(audit::Change {
                entity: "monitoring_recommendation",
                key: id.to_string(),
                old,
                new: Some(pr.audit_content()),
            });
        }
    };
}
pub(crate) use write_monitoring;

/// The `Store` methods that read monitoring records (expanded inside the
/// `impl Store` of `sql_store!`).
macro_rules! read_monitoring {
    () => {
        async fn monitoring_organisations(
            &self,
        ) -> Result<Vec<bagalau_core::monitoring::Organisation>> {
            let rows: Vec<$crate::monitoring::OrganisationRow> = sqlx::query_as(concat!(
                "SELECT ",
                $crate::monitoring::ORGANISATION_COLUMNS!(),
                " FROM monitoring_organisations ORDER BY id"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map($crate::monitoring::organisation_from_row)
                .collect()
        }

        async fn monitoring_projects(
            &self,
        ) -> Result<Vec<(i64, bagalau_core::monitoring::Project)>> {
            let rows: Vec<$crate::monitoring::ProjectRow> = sqlx::query_as(concat!(
                "SELECT ",
                $crate::monitoring::PROJECT_COLUMNS!(),
                " FROM monitoring_projects ORDER BY id"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map($crate::monitoring::project_from_row)
                .collect()
        }

        async fn monitoring_findings(
            &self,
            project: Option<i64>,
        ) -> Result<Vec<(i64, bagalau_core::monitoring::Finding)>> {
            let rows = sqlx::query(concat!(
                "SELECT ",
                $crate::monitoring::FINDING_COLUMNS!(),
                " FROM monitoring_findings WHERE $1 IS NULL OR project = $2 ORDER BY id"
            ))
            .bind(project)
            .bind(project)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map($crate::monitoring::finding_from_row)
                .collect()
        }

        async fn monitoring_recommendations(
            &self,
            project: Option<i64>,
        ) -> Result<Vec<(i64, bagalau_core::monitoring::ProjectRecommendation)>> {
            let rows = sqlx::query(concat!(
                "SELECT ",
                $crate::monitoring::RECOMMENDATION_COLUMNS!(),
                " FROM monitoring_recommendations WHERE $1 IS NULL OR project = $2 ORDER BY id"
            ))
            .bind(project)
            .bind(project)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map($crate::monitoring::recommendation_from_row)
                .collect()
        }
    };
}
pub(crate) use read_monitoring;

/// Adds the stored monitoring records, with the content the audit trail
/// records of them, to `$out` (in `audit_records`).
macro_rules! monitoring_records {
    ($self:ident, $out:ident) => {
        for o in $self.monitoring_organisations().await? {
            $out.push((
                "monitoring_organisation".to_string(),
                o.id.clone(),
                o.audit_content(),
            ));
        }
        for (id, p) in $self.monitoring_projects().await? {
            $out.push((
                "monitoring_project".to_string(),
                id.to_string(),
                p.audit_content(),
            ));
        }
        for (id, f) in $self.monitoring_findings(None).await? {
            $out.push((
                "monitoring_finding".to_string(),
                id.to_string(),
                f.audit_content(),
            ));
        }
        for (id, r) in $self.monitoring_recommendations(None).await? {
            $out.push((
                "monitoring_recommendation".to_string(),
                id.to_string(),
                r.audit_content(),
            ));
        }
    };
}
pub(crate) use monitoring_records;
