//! The public-service indicators: the delivery records of a year counted
//! by the indicator pack (through [`DeliveryRecords`], the analytical
//! engine the front end wires in) and turned into its indicators, by one
//! breakdown, for a range of months and the records a filter keeps.
//! Unpublished figures: read by the service analysts and the coordinator.

use crate::permission::{Action, authorize};
use crate::services::four_digit_year;
use crate::{Actor, AppError, AppResult, Problem};
use bagalau_core::Names;
use bagalau_services::calendar::Rules;
use bagalau_services::deliveries::{
    Breakdown, COUNTS, Counted, Counts, DIMENSIONS, DeliveryRecords, Filter, Question,
};
use bagalau_services::pack::IndicatorPack;
use bagalau_services::register::Register;
use bagalau_store::AnyStore;
use std::collections::BTreeMap;

/// The longest value a filter may name (the longest identifiers of the
/// register and the records are far shorter).
pub const FILTER_VALUE_MAX: usize = 200;

/// Which indicators, of which records, by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorsRequest {
    pub year: i32,
    /// One of [`DIMENSIONS`].
    pub by: String,
    pub first_month: u32,
    pub last_month: u32,
    pub filter: Filter,
}

impl IndicatorsRequest {
    /// The whole `year` by `by`, every record.
    pub fn year(year: i32, by: &str) -> IndicatorsRequest {
        IndicatorsRequest {
            year,
            by: by.to_string(),
            first_month: 1,
            last_month: 12,
            filter: Filter::default(),
        }
    }

    /// Each invalid part, placed on its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if four_digit_year(self.year).is_err() {
            problems.push(Problem::of(
                "year",
                format!("{} is not a year of four digits", self.year),
            ));
        }
        if !DIMENSIONS.contains(&self.by.as_str()) {
            problems.push(Problem::of(
                "by",
                format!(
                    "`{}` is not a breakdown (one of {})",
                    self.by,
                    DIMENSIONS.join(", ")
                ),
            ));
        }
        for (field, month) in [
            ("first_month", self.first_month),
            ("last_month", self.last_month),
        ] {
            if !(1..=12).contains(&month) {
                problems.push(Problem::of(
                    field,
                    format!("{month} is not a month (1 to 12)"),
                ));
            }
        }
        if self.first_month > self.last_month {
            problems.push(Problem::of(
                "last_month",
                format!(
                    "the range ends ({}) before it begins ({})",
                    self.last_month, self.first_month
                ),
            ));
        }
        for (field, value) in self.filter.conditions() {
            if value.is_empty() || value.chars().count() > FILTER_VALUE_MAX {
                problems.push(Problem::of(
                    field,
                    format!("a value of 1 to {FILTER_VALUE_MAX} characters"),
                ));
            }
        }
        problems
    }
}

/// One value of the breakdown (or the total): its counts and indicators.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorRow {
    /// The breakdown's value (the month's number for `month`); `None` for
    /// records without one (a service outside the register has no sector)
    /// and for the total.
    pub value: Option<String>,
    /// Every count of the pack, by name.
    pub counts: BTreeMap<String, u64>,
    /// Every indicator of the pack, by id: a percentage for a share (none
    /// when its denominator is zero), a number for a count.
    pub indicators: BTreeMap<String, Option<f64>>,
}

/// An indicator of the pack, as its figures are read.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorDefinition {
    pub id: String,
    pub name: Names,
    /// A count or a sum of counts.
    pub numerator: String,
    /// A share's denominator; none for a plain count.
    pub denominator: Option<String>,
}

/// A year's indicators by one breakdown.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorTable {
    pub year: i32,
    pub by: String,
    pub first_month: u32,
    pub last_month: u32,
    pub filter: Filter,
    /// The pack the records were counted with (`services-v1`).
    pub pack: String,
    pub indicators: Vec<IndicatorDefinition>,
    /// One row per value of the breakdown, in its order.
    pub rows: Vec<IndicatorRow>,
    /// Every record the filter keeps in the months asked for.
    pub total: IndicatorRow,
    /// The months asked for that have records.
    pub months_with_records: Vec<u32>,
    /// The months read from the records now (the others came from the
    /// counts cached with the fingerprint of their records).
    pub months_counted_now: Vec<u32>,
    /// What the figures cannot tell, in words.
    pub notes: Vec<String>,
}

/// The indicators of `request`, counted on the register kept (or on
/// `register` when the caller brings its own, for a what-if) and the
/// calendar kept.
pub async fn indicators(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    actor: &Actor,
    request: &IndicatorsRequest,
    register: Option<Register>,
) -> AppResult<IndicatorTable> {
    authorize(actor, Action::ReadServiceFigures)?;
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let register = match register {
        Some(r) => r,
        None => crate::services::register(store).await?,
    };
    let calendar = crate::services::calendar(store).await?;
    let year = request.year;
    let (counted, notes) = count(records, &calendar, &register, request).await?;
    let Some(counted) = counted else {
        return Err(AppError::NotFound(format!(
            "no delivery records of {year}: import them first (`bagalau services import FILE`)"
        )));
    };
    let pack = IndicatorPack::services_v1();
    Ok(table(request, &pack, counted, notes))
}

/// The counts of `request`'s records, with what the calendar could not
/// tell as notes.
pub(crate) async fn count(
    records: &dyn DeliveryRecords,
    calendar: &Rules,
    register: &Register,
    request: &IndicatorsRequest,
) -> AppResult<(Option<Counted>, Vec<String>)> {
    let year = request.year;
    let (days, next_unknown) = calendar
        .working_days_with_next(year)
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    let notes = next_unknown
        .map(|why| next_year_unknown(&why, year))
        .into_iter()
        .collect();
    let inputs = format!("{}\n{}", register.to_csv(), calendar.source());
    let question = Question {
        year,
        months: request.first_month..=request.last_month,
        filter: &request.filter,
        register,
        days: &days,
        inputs: &inputs,
    };
    let counted = records
        .count(question)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((counted, notes))
}

/// What the figures of `year` cannot tell while the calendar does not
/// know the next year (`why`).
pub fn next_year_unknown(why: &dyn std::fmt::Display, year: i32) -> String {
    format!(
        "{why}. Until it is, deadlines of {year} that run into {} are neither on time nor late: \
         add the date to the calendar additions and import them (`bagalau services calendar-import FILE`).",
        year + 1
    )
}

fn table(
    request: &IndicatorsRequest,
    pack: &IndicatorPack,
    counted: Counted,
    notes: Vec<String>,
) -> IndicatorTable {
    let breakdown: &Breakdown = &counted.breakdown;
    let rows: Vec<IndicatorRow> = if request.by == "month" {
        breakdown
            .groups
            .iter()
            .filter(|((d, _, _), _)| d == "month")
            .map(|((_, _, m), c)| row(pack, Some(m.to_string()), c))
            .collect()
    } else {
        breakdown
            .year(&request.by)
            .into_iter()
            .map(|(v, c)| row(pack, v, &c))
            .collect()
    };
    IndicatorTable {
        year: request.year,
        by: request.by.clone(),
        first_month: request.first_month,
        last_month: request.last_month,
        filter: request.filter.clone(),
        pack: format!("{}-v{}", pack.id, pack.version),
        indicators: pack
            .indicators
            .iter()
            .map(|i| IndicatorDefinition {
                id: i.id.clone(),
                name: i.name.clone(),
                numerator: i.numerator.clone(),
                denominator: i.denominator.clone(),
            })
            .collect(),
        rows,
        total: row(pack, None, &breakdown.total()),
        months_with_records: breakdown.months().into_iter().collect(),
        months_counted_now: counted.counted_now,
        notes,
    }
}

fn row(pack: &IndicatorPack, value: Option<String>, counts: &Counts) -> IndicatorRow {
    IndicatorRow {
        value,
        counts: COUNTS
            .iter()
            .map(|name| (name.to_string(), counts.get(name)))
            .collect(),
        indicators: pack
            .indicators
            .iter()
            .map(|i| (i.id.clone(), i.value(counts)))
            .collect(),
    }
}
