//! The Register of public services: kept in the store (one document,
//! replaced whole by an import), read by everyone (it is public), and what
//! changed in it between two dates; and the working-day calendar its
//! deadlines are counted on, with the additions kept in the store.

use crate::citizens::placed;
use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Upload};
use bagalau_services::calendar::{CalendarError, Rules};
use bagalau_services::register::{Change, LOCAL_AKIMATS, Register};
use bagalau_store::{AnyStore, CalendarAdditions, Document, Store};
use chrono::NaiveDate;

/// What an import of the register did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterImported {
    pub file: String,
    /// Versions of standards (a service changed on a date is two).
    pub versions: usize,
    pub services: usize,
    /// The same register was kept already.
    pub unchanged: bool,
}

/// Imports a register sent as CSV: the caller's role is checked before
/// the file is read; each problem placed.
pub async fn import_register_csv(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    file: &Upload,
    now: &str,
) -> AppResult<RegisterImported> {
    authorize(actor, Action::ImportServiceData)?;
    let register = Register::from_csv(&file.text).map_err(|problems| {
        AppError::Invalid(problems.iter().map(|p| placed(&file.name, p)).collect())
    })?;
    import_register(store, front, actor, &file.name, register, now).await
}

/// Keeps `register` (read from `file_name`) as the register of public
/// services, replacing the one kept: every provider must be a body of the
/// registry (or `akimat`, each region's).
pub async fn import_register(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    file_name: &str,
    register: Register,
    now: &str,
) -> AppResult<RegisterImported> {
    authorize(actor, Action::ImportServiceData)?;
    if let Some(registry) = store.registry().await? {
        let unknown = register
            .unknown_providers(|p| p == LOCAL_AKIMATS || registry.bodies.iter().any(|b| b.id == p));
        if !unknown.is_empty() {
            return Err(AppError::Invalid(
                unknown.iter().map(|p| placed(file_name, p)).collect(),
            ));
        }
    }
    let unchanged = store.service_register().await?.as_ref() == Some(&register);
    let versions = register.versions().len();
    let services = register
        .versions()
        .iter()
        .map(|s| s.id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut batch = crate::batch(front, actor, now, None);
    batch.service_register = Some(Document::service_register(file_name, register));
    store.apply(batch).await?;
    Ok(RegisterImported {
        file: file_name.to_string(),
        versions,
        services,
        unchanged,
    })
}

/// The register kept.
pub async fn register(store: &AnyStore) -> AppResult<Register> {
    store.service_register().await?.ok_or_else(|| {
        AppError::NotFound(
            "no register of public services is kept: import one (`bagalau services register-import FILE`)"
                .into(),
        )
    })
}

/// What changed in the kept register between two dates.
pub async fn register_changes(
    store: &AnyStore,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Change>> {
    Ok(register(store).await?.diff(from, to))
}

/// What an import of calendar additions did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarImported {
    pub file: String,
    /// The same additions were kept already.
    pub unchanged: bool,
}

/// Keeps `file` as the additions to the built-in working-day calendar
/// (movable holidays and transfers announced after the release), replacing
/// the ones kept: checked first, with the built-in calendar, as every
/// deadline will read it.
pub async fn import_calendar_additions(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    file: &Upload,
    now: &str,
) -> AppResult<CalendarImported> {
    authorize(actor, Action::ImportServiceData)?;
    Rules::kazakhstan()
        .with_additions(&file.text)
        .map_err(|e| AppError::Invalid(vec![crate::Problem::of(&file.name, e.to_string())]))?;
    let unchanged = store
        .calendar_additions()
        .await?
        .is_some_and(|kept| kept.text == file.text);
    let mut batch = crate::batch(front, actor, now, None);
    batch.calendar_additions = Some(CalendarAdditions {
        file_name: file.name.clone(),
        text: file.text.clone(),
        imported_at: now.to_string(),
    });
    store.apply(batch).await?;
    Ok(CalendarImported {
        file: file.name.clone(),
        unchanged,
    })
}

/// The working-day calendar deadlines are counted on: Kazakhstan's, with
/// the additions kept (public: holidays are law).
pub async fn calendar(store: &AnyStore) -> AppResult<Rules> {
    let rules = Rules::kazakhstan();
    let Some(additions) = store.calendar_additions().await? else {
        return Ok(rules);
    };
    rules.with_additions(&additions.text).map_err(|e| {
        AppError::Internal(format!(
            "the kept calendar additions ({}) no longer read: {e}",
            additions.file_name
        ))
    })
}

/// A day of a year that is not a plain working day or weekend.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// A weekend worked in exchange for a day off elsewhere; otherwise a
    /// day off (a holiday, its carry-over or a transferred day off).
    pub working: bool,
    /// The holiday's name, or why the day is moved.
    pub why: String,
}

/// The days of `year` that are not plain working days or weekends, in
/// date order.
pub async fn calendar_days(store: &AnyStore, year: i32) -> AppResult<Vec<CalendarDay>> {
    days_of(&calendar(store).await?, year)
}

/// The days of `year` on `rules` that are not plain working days or
/// weekends, in date order.
pub fn days_of(rules: &Rules, year: i32) -> AppResult<Vec<CalendarDay>> {
    four_digit_year(year)?;
    let off = rules.days_off(year).map_err(|e| match e {
        CalendarError::MovableUnknown { .. } => AppError::NotFound(format!(
            "{e}, in calendar additions imported with `bagalau services calendar-import FILE`"
        )),
        other => AppError::Internal(other.to_string()),
    })?;
    let mut days: Vec<CalendarDay> = off
        .into_iter()
        .map(|(date, why)| CalendarDay {
            date,
            working: false,
            why,
        })
        .chain(
            rules
                .working_weekends(year)
                .into_iter()
                .map(|date| CalendarDay {
                    date,
                    working: true,
                    why: "weekend made a working day by a transfer".into(),
                }),
        )
        .collect();
    days.sort_by_key(|d| d.date);
    Ok(days)
}

/// Years are written with four digits everywhere (a calendar knows no
/// other); anything else is refused before it is counted on.
pub(crate) fn four_digit_year(year: i32) -> AppResult<()> {
    if (1000..=9999).contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![crate::Problem::of(
            "year",
            format!("{year} is not a year of four digits"),
        )]))
    }
}
