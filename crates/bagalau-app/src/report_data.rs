//! From public services to the assessment: the values of the year's
//! methodology indicators that name a computed count (delivery records
//! through the [`DeliveryRecords`] port, the register, the survey
//! responses, complaints and openness records kept), per body, as
//! reporting data. Read by service analysts and coordinators; loaded into
//! the assessment as any reporting data is (`imports::import_data`, with
//! its checks and locks).

use crate::citizens::Judging;
use crate::indicators::IndicatorsRequest;
use crate::permission::{Action, authorize};
use crate::services::four_digit_year;
use crate::{Actor, AppError, AppResult};
use bagalau_services::deliveries::{Breakdown, DeliveryRecords};
use bagalau_services::register::Register;
use bagalau_services::report::{Sources, computed_values};
use bagalau_store::{AnyStore, Store};
use std::collections::BTreeMap;

/// One value of reporting data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportValue {
    pub body: String,
    pub indicator: String,
    pub value: f64,
    /// Where it comes from, in words.
    pub note: String,
}

/// A body whose computed values are not reporting data of the year, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    pub body: String,
    pub why: String,
    pub values: usize,
}

/// The year's computed reporting data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportData {
    pub year: i32,
    /// Only bodies assessed that year, for indicators of their kind.
    pub values: Vec<ReportValue>,
    pub left_out: Vec<LeftOut>,
    /// What had no source (no records, no complaints kept), in words.
    pub notes: Vec<String>,
    /// The values as reporting-data CSV (`year,body_id,indicator_id,value,note`),
    /// ready to be checked and imported as any reporting data.
    pub csv: String,
}

/// The computed values of `year`'s methodology; `register` replaces the
/// kept one for a what-if.
pub async fn report_data(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    actor: &Actor,
    year: i32,
    questionnaire: Option<&str>,
    judging: &Judging,
    register: Option<Register>,
) -> AppResult<ReportData> {
    authorize(actor, Action::ReadServiceFigures)?;
    four_digit_year(year)?;
    let methodology = store
        .pack(year)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("no methodology of {year}: import its pack first"))
        })?
        .methodology;
    if methodology.indicators.iter().all(|i| i.computed.is_none()) {
        return Err(AppError::NotFound(format!(
            "no indicator of the {year} methodology names a computed count"
        )));
    }
    let register = match register {
        Some(r) => r,
        None => crate::services::register(store).await?,
    };
    let calendar = crate::services::calendar(store).await?;
    let (counted, mut notes) = crate::indicators::count(
        records,
        &calendar,
        &register,
        &IndicatorsRequest::year(year, "provider"),
    )
    .await?;
    let breakdown = match counted {
        Some(counted) => counted.breakdown,
        None => {
            notes.push(format!(
                "{year}: no delivery records: record counts are zero"
            ));
            Breakdown::default()
        }
    };
    let survey = match questionnaire {
        Some(id) => {
            let q = crate::surveys::questionnaire(store, id).await?;
            Some((
                crate::surveys::responses(store, actor, &q).await?,
                q.min_respondents,
            ))
        }
        None => None,
    };
    let complaints =
        crate::citizens::complaint_indicators(store, actor, year, "body", judging).await?;
    if complaints.is_none() {
        notes.push("no complaint records kept: complaints: values left out".into());
    }
    let openness = crate::citizens::openness_indicators(store, actor, year, judging).await?;
    if openness.is_none() {
        notes.push("no openness records kept: openness: values left out".into());
    }
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: survey.as_ref().map(|(r, k)| (r.as_slice(), *k)),
        complaints: complaints.as_ref(),
        openness: openness.as_ref(),
    };
    let computed = computed_values(&methodology, year, sources)
        .map_err(|e| AppError::Invalid(vec![crate::Problem::of("methodology", e.to_string())]))?;
    let registry = store
        .registry()
        .await?
        .ok_or_else(|| AppError::NotFound("no registry of bodies: import it first".into()))?;
    let mut left_out: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut values = Vec::new();
    for v in computed {
        let why = match registry.body(&v.body) {
            None => Some("not in the registry of bodies".to_string()),
            Some(b) if !b.evaluated.contains(&year) => Some(format!("not evaluated in {year}")),
            Some(b) => methodology
                .indicators
                .iter()
                .find(|i| i.id == v.indicator)
                .filter(|i| !i.applies_to.contains(&b.kind))
                .map(|_| {
                    format!(
                        "the indicators do not apply to its kind ({})",
                        b.kind.as_str()
                    )
                }),
        };
        match why {
            Some(why) => *left_out.entry((v.body, why)).or_default() += 1,
            None => values.push(ReportValue {
                body: v.body,
                indicator: v.indicator,
                value: v.value,
                note: v.note,
            }),
        }
    }
    let csv = csv(year, &values)?;
    Ok(ReportData {
        year,
        values,
        left_out: left_out
            .into_iter()
            .map(|((body, why), values)| LeftOut { body, why, values })
            .collect(),
        notes,
        csv,
    })
}

fn csv(year: i32, values: &[ReportValue]) -> AppResult<String> {
    fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(format!("writing CSV: {e}"))
    }
    let mut w = bagalau_csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "body_id", "indicator_id", "value", "note"])
        .map_err(internal)?;
    for v in values {
        w.write_record([
            year.to_string(),
            v.body.clone(),
            v.indicator.clone(),
            v.value.to_string(),
            v.note.clone(),
        ])
        .map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(internal)?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}
