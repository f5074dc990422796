//! Satisfaction surveys: questionnaires and the responses exported by
//! KoBoToolbox and ODK Central, kept in the store (each response once,
//! never overwritten), and read back for the estimates and the ratings.

use crate::citizens::{FileImported, new_rows, placed};
use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Upload};
use bagalau_services::kept::{keyed_rows, table};
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::register::Register;
use bagalau_services::responses::{Response, from_csv, read_export, to_csv};
use bagalau_store::{AnyStore, Family, KeptRecord, Store, StoredQuestionnaire};
use std::collections::{BTreeMap, BTreeSet};

/// What a survey import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResponsesImported {
    pub questionnaire: String,
    pub files: Vec<FileImported>,
    /// Responses of the questionnaire kept now.
    pub kept: usize,
}

const RESPONSE_KEY: [&str; 2] = ["tool", "id"];

fn parse(file: &str, text: &str) -> AppResult<Questionnaire> {
    Questionnaire::from_toml(text)
        .map_err(|e| AppError::Invalid(vec![Problem::of(file, e.to_string())]))
}

/// The questionnaire kept under `id`.
pub async fn questionnaire(store: &AnyStore, id: &str) -> AppResult<Questionnaire> {
    let kept = store.questionnaires().await?;
    match kept.iter().find(|q| q.id == id) {
        Some(q) => Questionnaire::from_toml(&q.content).map_err(|e| {
            AppError::Internal(format!(
                "the kept questionnaire `{id}` no longer reads: {e}"
            ))
        }),
        None => Err(AppError::NotFound(format!(
            "no questionnaire `{id}` is kept (kept: {}); import one with `bagalau services survey-import --questionnaire FILE`",
            if kept.is_empty() {
                "none".to_string()
            } else {
                kept.iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ))),
    }
}

/// The ids of the questionnaires kept.
pub async fn questionnaires(store: &AnyStore) -> AppResult<Vec<String>> {
    Ok(store
        .questionnaires()
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect())
}

async fn kept_rows(store: &AnyStore, questionnaire: &Questionnaire) -> AppResult<Vec<KeptRecord>> {
    Ok(store
        .kept_records(Family::SurveyResponse, Some(&questionnaire.id))
        .await?)
}

fn read_rows(questionnaire: &Questionnaire, rows: &[KeptRecord]) -> AppResult<Vec<Response>> {
    let text = table(
        &to_csv(&[], &questionnaire.measures()),
        rows.iter().map(|r| r.content.as_str()),
    );
    from_csv(&text).map_err(|p| {
        AppError::Internal(format!(
            "the kept responses to `{}` no longer read: {p}",
            questionnaire.id
        ))
    })
}

/// The responses kept for a questionnaire (none before the first import).
pub async fn responses(
    store: &AnyStore,
    actor: &Actor,
    questionnaire: &Questionnaire,
) -> AppResult<Vec<Response>> {
    authorize(actor, Action::ReadServiceFigures)?;
    read_rows(questionnaire, &kept_rows(store, questionnaire).await?)
}

/// The questionnaire of an import, to be kept with it: new, the same as
/// kept, or a change that keeps the measures of the responses kept.
async fn questionnaire_to_keep(
    store: &AnyStore,
    file: &Upload,
) -> AppResult<(Questionnaire, Option<StoredQuestionnaire>)> {
    let new = parse(&file.name, &file.text)?;
    let kept = store.questionnaires().await?;
    let Some(old) = kept.iter().find(|q| q.id == new.id) else {
        return Ok((new.clone(), Some(stored(&new, file))));
    };
    if old.content == file.text {
        return Ok((new, None));
    }
    let old_measures = Questionnaire::from_toml(&old.content)
        .map(|q| q.measures())
        .unwrap_or_default();
    if old_measures != new.measures() && !kept_rows(store, &new).await?.is_empty() {
        return Err(AppError::Invalid(vec![Problem::of(
            &file.name,
            format!(
                "the questionnaire `{}` has responses kept with the measures {}; this one has {}: \
                 a questionnaire with other measures needs an id of its own",
                new.id,
                old_measures.join(", "),
                new.measures().join(", ")
            ),
        )]));
    }
    Ok((new.clone(), Some(stored(&new, file))))
}

fn stored(q: &Questionnaire, file: &Upload) -> StoredQuestionnaire {
    StoredQuestionnaire {
        id: q.id.clone(),
        file_name: file.name.clone(),
        content: file.text.clone(),
    }
}

/// The questionnaire that reads an import's exports.
#[derive(Debug, Clone, Copy)]
pub enum QuestionnaireSource<'a> {
    /// A questionnaire file, kept with the responses.
    File(&'a Upload),
    /// One kept before, by id.
    Kept(&'a str),
}

/// Keeps a questionnaire (new, or replacing its earlier text while its
/// responses keep their measures), whose id must be `id` when one is
/// named: true when something changed.
pub async fn keep_questionnaire(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: Option<&str>,
    file: &Upload,
    now: &str,
) -> AppResult<(String, bool)> {
    authorize(actor, Action::ImportServiceData)?;
    if let Some(id) = id {
        let named = parse(&file.name, &file.text)?.id;
        if named != id {
            return Err(AppError::Invalid(vec![Problem::of(
                &file.name,
                format!("the questionnaire's id is `{named}`, not `{id}`"),
            )]));
        }
    }
    let (questionnaire, keep) = questionnaire_to_keep(store, file).await?;
    let changed = keep.is_some();
    if let Some(keep) = keep {
        let mut batch = crate::batch(front, actor, now, None);
        batch.questionnaires.push(keep);
        store.apply(batch).await?;
    }
    Ok((questionnaire.id, changed))
}

/// Imports survey exports read by the questionnaire's versions: every
/// response's service must be in `register` (the kept one when None); the
/// responses not kept before are added, one kept before with other answers
/// is refused; all files or none.
pub async fn import_responses(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    questionnaire: QuestionnaireSource<'_>,
    register: Option<&Register>,
    files: &[Upload],
    now: &str,
) -> AppResult<ResponsesImported> {
    authorize(actor, Action::ImportServiceData)?;
    let kept_register;
    let register = match register {
        Some(r) => r,
        None => {
            kept_register = crate::services::register(store).await?;
            &kept_register
        }
    };
    if files.is_empty() {
        return Err(AppError::Invalid(vec![Problem::of(
            "files",
            "name the CSV exports to import",
        )]));
    }
    let (questionnaire, keep) = match questionnaire {
        QuestionnaireSource::File(file) => questionnaire_to_keep(store, file).await?,
        QuestionnaireSource::Kept(id) => (self::questionnaire(store, id).await?, None),
    };
    let in_register = |id: &str| register.versions().iter().any(|s| s.id == id);
    let kept = kept_rows(store, &questionnaire).await?;
    let mut all = read_rows(&questionnaire, &kept)?;
    let stored_keys: BTreeSet<String> = kept.iter().map(|r| r.key.clone()).collect();
    let mut known: BTreeMap<(&'static str, String), usize> = all
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.tool.as_str(), r.id.clone()), i))
        .collect();
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut origin = BTreeMap::new();
    for file in files {
        let read = match read_export(&file.text, &questionnaire, in_register) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| placed(&file.name, p)));
                continue;
            }
        };
        let mut imported = FileImported {
            file: file.name.clone(),
            kind: "responses".into(),
            records: read.len(),
            added: 0,
            again: 0,
            rejected: read.iter().filter(|r| r.rejected).count(),
        };
        for r in read {
            let key = (r.tool.as_str(), r.id.clone());
            match known.get(&key) {
                Some(&i) if all[i] == r => imported.again += 1,
                Some(_) => problems.push(Problem::of(
                    &file.name,
                    format!(
                        "the submission `{}` was imported before with other answers; \
                         Bagalau does not overwrite a response",
                        r.id
                    ),
                )),
                None => {
                    origin.insert(format!("{}/{}", key.0, key.1), file.name.clone());
                    known.insert(key, all.len());
                    all.push(r);
                    imported.added += 1;
                }
            }
        }
        report.push(imported);
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.questionnaires.extend(keep);
    batch.kept_records = new_rows(
        Family::SurveyResponse,
        &questionnaire.id,
        &to_csv(&all, &questionnaire.measures()),
        &RESPONSE_KEY,
        &stored_keys,
        &origin,
    );
    if !batch.kept_records.is_empty() || !batch.questionnaires.is_empty() {
        store.apply(batch).await?;
    }
    Ok(ResponsesImported {
        questionnaire: questionnaire.id,
        files: report,
        kept: all.len(),
    })
}

/// Keeps the demo's questionnaire and its generated responses, unless
/// responses to it are kept already (imported, or a demo run before):
/// false then.
pub async fn keep_demonstration_responses(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    questionnaire: &Upload,
    responses: &[Response],
    now: &str,
) -> AppResult<bool> {
    authorize(actor, Action::ImportServiceData)?;
    let (parsed, keep) = questionnaire_to_keep(store, questionnaire).await?;
    if !kept_rows(store, &parsed).await?.is_empty() {
        return Ok(false);
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.questionnaires.extend(keep);
    batch.kept_records = keyed_rows(&to_csv(responses, &parsed.measures()), &RESPONSE_KEY)
        .into_iter()
        .map(|(key, content)| KeptRecord {
            family: Family::SurveyResponse,
            part: parsed.id.clone(),
            key,
            content,
            origin: "demonstration".into(),
        })
        .collect();
    store.apply(batch).await?;
    Ok(true)
}

/// Which estimates of satisfaction to make.
#[derive(Debug, Clone, Copy)]
pub struct SatisfactionRequest<'a> {
    /// The kept questionnaire's id.
    pub questionnaire: &'a str,
    /// One of its measures (default: its first).
    pub measure: Option<&'a str>,
    /// `sector` or one of [`bagalau_services::responses::BREAKDOWNS`].
    pub by: &'a str,
    /// A higher suppression threshold than the questionnaire's.
    pub min_respondents: Option<usize>,
}

/// The weighted share satisfied and mean score of one measure by group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Satisfaction {
    pub questionnaire: String,
    pub measure: String,
    pub by: String,
    /// No figure rests on fewer respondents.
    pub min_respondents: usize,
    pub groups: Vec<bagalau_services::responses::GroupEstimate>,
}

/// The satisfaction estimates of one measure by one breakdown; `register`
/// (the kept one when None) places services in sectors.
pub async fn satisfaction(
    store: &AnyStore,
    actor: &Actor,
    request: SatisfactionRequest<'_>,
    register: Option<&Register>,
) -> AppResult<Satisfaction> {
    use bagalau_services::responses::{BREAKDOWNS, breakdown, estimates};
    authorize(actor, Action::ReadServiceFigures)?;
    let questionnaire = questionnaire(store, request.questionnaire).await?;
    let measures = questionnaire.measures();
    let measure = match request.measure {
        None => measures.first().cloned().unwrap_or_default(),
        Some(m) if measures.iter().any(|x| x == m) => m.to_string(),
        Some(m) => {
            return Err(AppError::Invalid(vec![Problem::of(
                "measure",
                format!(
                    "`{m}` is not a measure of {} (it has {})",
                    questionnaire.id,
                    measures.join(", ")
                ),
            )]));
        }
    };
    let min = match request.min_respondents {
        None => questionnaire.min_respondents,
        Some(k) if k >= questionnaire.min_respondents => k,
        Some(k) => {
            return Err(AppError::Invalid(vec![Problem::of(
                "min_respondents",
                format!(
                    "{k}: the questionnaire shows no figure on fewer than {} respondents",
                    questionnaire.min_respondents
                ),
            )]));
        }
    };
    let group_of: Box<dyn Fn(&Response) -> String + Send + Sync> = if request.by == "sector" {
        let register = match register {
            Some(r) => r.clone(),
            None => store.service_register().await?.ok_or_else(|| {
                AppError::NotFound(
                    "no register of services is kept: import one to group by sector".into(),
                )
            })?,
        };
        Box::new(move |r: &Response| {
            let date = r.submitted.date();
            register
                .versions()
                .iter()
                .find(|s| s.id == r.service && s.in_force(date))
                .map_or_else(|| "(not in the register)".to_string(), |s| s.sector.clone())
        })
    } else {
        match breakdown(request.by) {
            Some(f) => Box::new(f),
            None => {
                return Err(AppError::Invalid(vec![Problem::of(
                    "by",
                    format!(
                        "`{}` is not a breakdown (one of sector, {})",
                        request.by,
                        BREAKDOWNS.join(", ")
                    ),
                )]));
            }
        }
    };
    let responses = read_rows(&questionnaire, &kept_rows(store, &questionnaire).await?)?;
    if responses.is_empty() {
        return Err(AppError::NotFound(format!(
            "no responses to {} yet: import them first",
            questionnaire.id
        )));
    }
    let groups = estimates(&responses, &measure, group_of, min)
        .map_err(|e| AppError::Invalid(vec![Problem::of("responses", e.to_string())]))?;
    Ok(Satisfaction {
        questionnaire: questionnaire.id,
        measure,
        by: request.by.to_string(),
        min_respondents: min,
        groups,
    })
}
