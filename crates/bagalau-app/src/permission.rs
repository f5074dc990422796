//! Who may do what: the permission table of the actions that are not the
//! cycle's own steps (those are decided by the cycle's rules, with their
//! dates and states: `bagalau_core::cycle`), and who sees which
//! unpublished results.
//!
//! The table is data: [`Action::may`] lists, per action, the roles that
//! may take it; `tests/fixtures/permissions.txt` says the same for every
//! action and every role, and the test checks one against the other.

use crate::{Actor, AppError, AppResult, Role};
use bagalau_core::refusal::Refusal;

/// An action of the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Add accounts, give and take roles, issue tokens for others.
    KeepAccounts,
    /// Read the audit trail, verify it, sign checkpoints and proofs.
    ReadAudit,
    /// Replace the registry of bodies.
    ImportRegistry,
    /// Import a methodology pack or a performance pack.
    ImportPack,
    /// Import reporting data or returned Excel templates on a body's behalf.
    ImportData,
    /// Import statistical and survey series for the performance assessment.
    ImportSeries,
    /// Publish a year assessed outside a cycle (earlier years' results).
    PublishArchive,
    /// Open a cycle, set its calendar, grant extensions.
    AdministerCycle,
    /// Every body's place in the cycle, and what anyone has to do.
    ReadCycle,
    /// Draw the verification selection.
    SelectForVerification,
    /// See the verification selection and findings.
    ReadSelection,
    /// Turn recommendations' execution into reporting data.
    RateRecommendations,
    /// Write any body's Excel template.
    WriteAnyTemplate,
    /// Keep the list of monitoring organisations.
    KeepMonitoringOrganisations,
    /// Read unpublished public-service figures (indicators, satisfaction,
    /// complaints, openness, ratings before publication, report data).
    ReadServiceFigures,
    /// Import public-service data: the register, survey responses;
    /// generate demonstration records.
    ImportServiceData,
    /// Import a provider's records: deliveries and complaints (an importer
    /// only its own provider's: [`provider_scope`]).
    ImportProviderRecords,
    /// Publish the ratings of service quality.
    PublishRatings,
    /// Read the performance assessment before it is published (GPI, NPI).
    ReadPerformance,
    /// Run the composite-index engine on tables of one's own (it reads
    /// nothing stored, but takes the server's time).
    ComputeIndices,
    /// Read what any account may read: published results, the registry,
    /// adopted methodologies.
    ReadPublic,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::KeepAccounts,
        Action::ReadAudit,
        Action::ImportRegistry,
        Action::ImportPack,
        Action::ImportData,
        Action::ImportSeries,
        Action::PublishArchive,
        Action::AdministerCycle,
        Action::ReadCycle,
        Action::SelectForVerification,
        Action::ReadSelection,
        Action::RateRecommendations,
        Action::WriteAnyTemplate,
        Action::KeepMonitoringOrganisations,
        Action::ReadServiceFigures,
        Action::ImportServiceData,
        Action::ImportProviderRecords,
        Action::PublishRatings,
        Action::ReadPerformance,
        Action::ComputeIndices,
        Action::ReadPublic,
    ];

    /// The action's name in the table and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Action::KeepAccounts => "keep_accounts",
            Action::ReadAudit => "read_audit",
            Action::ImportRegistry => "import_registry",
            Action::ImportPack => "import_pack",
            Action::ImportData => "import_data",
            Action::ImportSeries => "import_series",
            Action::PublishArchive => "publish_archive",
            Action::AdministerCycle => "administer_cycle",
            Action::ReadCycle => "read_cycle",
            Action::SelectForVerification => "select_for_verification",
            Action::ReadSelection => "read_selection",
            Action::RateRecommendations => "rate_recommendations",
            Action::WriteAnyTemplate => "write_any_template",
            Action::KeepMonitoringOrganisations => "keep_monitoring_organisations",
            Action::ReadServiceFigures => "read_service_figures",
            Action::ImportServiceData => "import_service_data",
            Action::ImportProviderRecords => "import_provider_records",
            Action::PublishRatings => "publish_ratings",
            Action::ReadPerformance => "read_performance",
            Action::ComputeIndices => "compute_indices",
            Action::ReadPublic => "read_public",
        }
    }

    /// What the action does, as a refusal says it ("… has no role that may …").
    pub fn describe(self) -> &'static str {
        match self {
            Action::KeepAccounts => "keep the accounts",
            Action::ReadAudit => "read the audit trail",
            Action::ImportRegistry => "replace the registry of bodies",
            Action::ImportPack => "import methodology or performance packs",
            Action::ImportData => "import reporting data",
            Action::ImportSeries => "import statistical series",
            Action::PublishArchive => "publish a year assessed outside a cycle",
            Action::AdministerCycle => "open cycles, set calendars or grant extensions",
            Action::ReadCycle => "see every body's place in the cycle",
            Action::SelectForVerification => "draw the verification selection",
            Action::ReadSelection => "see the verification selection and findings",
            Action::RateRecommendations => "rate the execution of recommendations",
            Action::WriteAnyTemplate => "write any body's template",
            Action::KeepMonitoringOrganisations => "keep the list of monitoring organisations",
            Action::ReadServiceFigures => "read unpublished public-service figures",
            Action::ImportServiceData => "import public-service data",
            Action::ImportProviderRecords => "import providers' records",
            Action::PublishRatings => "publish ratings of service quality",
            Action::ReadPerformance => "read the unpublished performance assessment",
            Action::ComputeIndices => "run the composite-index engine",
            Action::ReadPublic => "read published results",
        }
    }

    /// Whether `role` may take this action.
    pub fn may(self, role: &Role) -> bool {
        use Role::*;
        match self {
            Action::KeepAccounts | Action::ReadAudit => matches!(role, Administrator),
            Action::ImportRegistry
            | Action::ImportData
            | Action::ImportSeries
            | Action::PublishArchive
            | Action::AdministerCycle
            | Action::SelectForVerification
            | Action::RateRecommendations
            | Action::WriteAnyTemplate
            | Action::KeepMonitoringOrganisations
            | Action::ImportServiceData
            | Action::PublishRatings => matches!(role, Coordinator),
            Action::ImportPack => matches!(role, Methodologist),
            Action::ReadCycle => matches!(
                role,
                Coordinator | Methodologist | Verifier | CommissionMember
            ),
            Action::ReadSelection => matches!(role, Coordinator | Verifier | CommissionMember),
            Action::ReadServiceFigures => matches!(role, Coordinator | ServiceAnalyst),
            Action::ImportProviderRecords => matches!(role, Coordinator | ServiceImporter { .. }),
            Action::ReadPerformance => matches!(
                role,
                Coordinator | Methodologist | CommissionMember | ServiceAnalyst
            ),
            Action::ComputeIndices => matches!(
                role,
                Coordinator | Methodologist | CommissionMember | ServiceAnalyst
            ),
            Action::ReadPublic => true,
        }
    }
}

/// Refuses unless one of the actor's roles may take `action`.
pub fn authorize(actor: &Actor, action: Action) -> AppResult<()> {
    // What is public is every account's, whatever its roles.
    if action == Action::ReadPublic || actor.roles.iter().any(|r| action.may(r)) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Refusal::NotPermitted {
            user: actor.user.clone(),
            action: action.describe().to_string(),
        }))
    }
}

/// The providers whose records an actor may import: None for every one
/// (a coordinator), else those of its `importer:BODY` roles.
pub fn provider_scope(actor: &Actor) -> AppResult<Option<Vec<String>>> {
    authorize(actor, Action::ImportProviderRecords)?;
    if actor.roles.iter().any(|r| matches!(r, Role::Coordinator)) {
        return Ok(None);
    }
    Ok(Some(
        actor
            .roles
            .iter()
            .filter_map(|r| match r {
                Role::ServiceImporter { provider } => Some(provider.clone()),
                _ => None,
            })
            .collect(),
    ))
}

/// What an actor may see of a year's unpublished results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight {
    Everything,
    Bodies(Vec<String>),
}

impl Sight {
    pub fn covers(&self, body: &str) -> bool {
        match self {
            Sight::Everything => true,
            Sight::Bodies(own) => own.iter().any(|b| b == body),
        }
    }
}

/// The unpublished results an actor sees: everything for those who run
/// and judge the assessment, a reporter its own bodies; nothing for the
/// others (administrators, analysts of services, monitors).
pub fn sight(actor: &Actor) -> AppResult<Sight> {
    let broad = actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Coordinator
                | Role::Methodologist
                | Role::CommissionMember
                | Role::Verifier
                | Role::Assessor { .. }
        )
    });
    if broad {
        return Ok(Sight::Everything);
    }
    let own: Vec<String> = actor
        .roles
        .iter()
        .filter_map(|r| match r {
            Role::Reporter { body } => Some(body.clone()),
            _ => None,
        })
        .collect();
    if own.is_empty() {
        return Err(AppError::Forbidden(Refusal::NoUnpublishedSight {
            user: actor.user.clone(),
        }));
    }
    Ok(Sight::Bodies(own))
}

/// Refuses unless the actor sees the unpublished results of `body`.
pub fn may_see_results_of(actor: &Actor, body: &str) -> AppResult<()> {
    if sight(actor)?.covers(body) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Refusal::NotYourResults {
            body: body.to_string(),
        }))
    }
}
