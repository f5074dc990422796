//! The Register of public services: kept in the store (one document,
//! replaced whole by an import), read by everyone (it is public), and what
//! changed in it between two dates.

use crate::citizens::placed;
use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Upload};
use bagalau_services::register::{Change, LOCAL_AKIMATS, Register};
use bagalau_store::{AnyStore, Document, Store};
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
