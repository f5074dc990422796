//! Why an action was refused, as data: a code and its parameters.
//!
//! The rules say no in English (the `Display`, for the API, the CLI and the
//! logs), and as a [`Refusal`] that serialises to `{"code": "…", …params}`,
//! so the workspace pages can say the same in Kazakh or Russian. Every code
//! has a message in every language (the site's message test reads
//! [`Refusal::VARIANTS`]).

use crate::states::{ObjectionState, ProjectStatus, RecommendationState, Stage};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::VariantNames)]
#[serde(tag = "code", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Refusal {
    // --- who may act
    NotReporter {
        user: String,
        body: String,
    },
    NotCoordinator {
        user: String,
    },
    NotVerifier {
        user: String,
    },
    NotCommissionMember {
        user: String,
    },
    NotAssessor {
        user: String,
        direction: String,
    },
    /// The methodology gives the direction to another authorized body.
    NotAssigned {
        user: String,
        direction: String,
        authorized_body: String,
    },
    MayNotIssue,
    NotIssuer {
        issuer: String,
    },
    NoUnpublishedSight {
        user: String,
    },
    NotYourResults {
        body: String,
    },
    NotYourTemplate {
        body: String,
    },
    SelectionHidden,
    MonitorsNoEvidence,
    OpinionsHidden,
    FormExpired,
    // --- separation of duties
    AssessesItself {
        authority: String,
        direction: String,
    },
    WroteConclusion {
        user: String,
    },
    IssuesToItself {
        body: String,
    },
    // --- when
    NotOpenYet {
        stage: Stage,
        opens_after: NaiveDateTime,
    },
    Closed {
        stage: Stage,
        deadline: NaiveDateTime,
    },
    ExtensionNotInFuture,
    ExtensionAfterVerification {
        deadline: NaiveDateTime,
    },
    DueNotAfterToday {
        due: NaiveDate,
        today: NaiveDate,
    },
    // --- in which state
    AlreadySubmitted {
        body: String,
    },
    NotSelected {
        body: String,
    },
    NoPreliminary,
    AlreadyDecided {
        objection_state: ObjectionState,
    },
    NotRejected,
    NotEscalated,
    ObjectionsOpen {
        objections: String,
    },
    NoFinalConclusions,
    ConclusionGone,
    RecommendationNotOpen {
        recommendation_state: RecommendationState,
    },
    NotReported {
        recommendation_state: RecommendationState,
    },
    CorrectionNeedsReason {
        year: i32,
        version: i32,
    },
    // --- public monitoring
    /// Only coordinators and the authorised body for public services keep
    /// the list of monitoring organisations.
    MayNotAccredit {
        user: String,
    },
    NotMonitorOf {
        user: String,
        organisation: String,
    },
    NotAccredited {
        organisation: String,
        on: NaiveDate,
    },
    ProjectNotActive {
        project_status: ProjectStatus,
    },
    ProjectTransition {
        from: ProjectStatus,
        to: ProjectStatus,
    },
    /// The report waits for the bodies' replies, or the end of their term.
    RepliesPending {
        findings: String,
        until: NaiveDate,
    },
    AlreadyReplied,
    ReplyTermOver {
        due: NaiveDate,
    },
    // --- the application's permissions (bagalau-app's `permission` table)
    /// No role of the account may do this.
    NotPermitted {
        user: String,
        action: String,
    },
    /// A year assessed in a cycle is published by the commission's approval only.
    PublishedByApproval {
        year: i32,
    },
    /// The first administrator is made once, in a database without accounts.
    AccountsExist,
    /// The commission approved the year: its data and cycle are locked.
    YearApproved {
        year: i32,
    },
    /// The year's cycle runs on its methodology: it is not replaced.
    PackAdopted {
        year: i32,
    },
    /// A cycle opens on an adopted methodology only.
    PackDraft {
        year: i32,
    },
    /// Only an approved year is corrected (before, its cycle does it).
    NotApproved {
        year: i32,
    },
    /// One correction of a year at a time.
    CorrectionOpen {
        year: i32,
    },
    CorrectionDecided,
    // --- what is missing
    ReasonRequired,
    TextRequired,
}

pub use strum::VariantNames;

impl Refusal {
    /// The code sent with the refusal (`not_reporter`, …).
    pub fn code(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Refusal::*;
        match self {
            NotReporter { user, body } => write!(f, "{user} does not report for `{body}`"),
            NotCoordinator { user } => write!(f, "{user} is not a coordinator"),
            NotVerifier { user } => write!(f, "{user} is not a verifier"),
            NotCommissionMember { user } => write!(f, "{user} is not a commission member"),
            NotAssessor { user, direction } => {
                write!(f, "{user} does not assess the direction `{direction}`")
            }
            NotAssigned {
                user,
                direction,
                authorized_body,
            } => write!(
                f,
                "{user} does not assess `{direction}` for `{authorized_body}`, the body the methodology assigns it to"
            ),
            MayNotIssue => write!(
                f,
                "only coordinators, commission members and authorized bodies issue recommendations"
            ),
            NotIssuer { issuer } => write!(
                f,
                "only its issuer ({issuer}) or a coordinator reviews the report"
            ),
            NoUnpublishedSight { user } => {
                write!(f, "`{user}` has no role that sees unpublished results")
            }
            NotYourResults { body } => {
                write!(
                    f,
                    "the unpublished results of `{body}` are not yours to see"
                )
            }
            NotYourTemplate { body } => write!(f, "`{body}`'s template is not yours"),
            SelectionHidden => write!(
                f,
                "the verification selection is not shown to the bodies it concerns"
            ),
            MonitorsNoEvidence => write!(f, "monitors do not upload evidence"),
            OpinionsHidden => write!(
                f,
                "the commission's opinions are for the commission, coordinators and methodologists"
            ),
            FormExpired => write!(f, "the form expired: open the page again"),
            NotPermitted { user, action } => {
                write!(f, "`{user}` has no role that may {action}")
            }
            PublishedByApproval { year } => write!(
                f,
                "{year} is assessed in a cycle: its results are published by the commission's approval"
            ),
            YearApproved { year } => write!(
                f,
                "the commission approved {year}: its data and its cycle are locked (a correction is a new publication version with its reason)"
            ),
            NotApproved { year } => write!(
                f,
                "{year} is not approved: its cycle corrects it (objections, findings)"
            ),
            CorrectionOpen { year } => write!(
                f,
                "a correction of {year} is open already: it is decided and published first"
            ),
            CorrectionDecided => write!(f, "the correction is decided already"),
            PackDraft { year } => write!(
                f,
                "the {year} methodology is a draft: a methodologist adopts it first (bagalau methodology adopt --year {year})"
            ),
            PackAdopted { year } => write!(
                f,
                "the {year} cycle runs on its adopted methodology: the pack is not replaced"
            ),
            AccountsExist => write!(
                f,
                "the database has accounts already: an administrator adds more (bagalau user add)"
            ),
            AssessesItself {
                authority,
                direction,
            } => write!(f, "`{authority}` may not assess itself on `{direction}`"),
            WroteConclusion { user } => write!(
                f,
                "{user} wrote the conclusion objected to and may not decide the objection"
            ),
            IssuesToItself { body } => write!(
                f,
                "an authorized body does not issue recommendations to itself (`{body}`)"
            ),
            NotOpenYet { stage, opens_after } => {
                write!(f, "{} opens after {opens_after}", stage.label())
            }
            Closed { stage, deadline } => {
                write!(f, "the deadline for {} was {deadline}", stage.label())
            }
            ExtensionNotInFuture => write!(f, "an extension must end in the future"),
            ExtensionAfterVerification { deadline } => write!(
                f,
                "an extension must end before the verification deadline ({deadline})"
            ),
            DueNotAfterToday { due, today } => {
                write!(f, "the due date {due} is not after today ({today})")
            }
            AlreadySubmitted { body } => write!(
                f,
                "`{body}` has already submitted; a correction goes through verification or an objection"
            ),
            NotSelected { body } => write!(f, "`{body}` was not selected for verification"),
            NoPreliminary => write!(f, "there is no preliminary conclusion to object to"),
            AlreadyDecided { objection_state } => write!(
                f,
                "the objection is already {}",
                format!("{objection_state:?}").to_lowercase()
            ),
            NotRejected => write!(f, "only a rejected objection can be escalated"),
            NotEscalated => write!(f, "only an escalated objection goes to the commission"),
            ObjectionsOpen { objections } => write!(f, "objections still open: {objections}"),
            NoFinalConclusions => write!(f, "there are no final conclusions to approve"),
            ConclusionGone => write!(f, "the conclusion objected to is gone"),
            RecommendationNotOpen {
                recommendation_state,
            } => write!(f, "the recommendation is {}", recommendation_state.as_str()),
            NotReported {
                recommendation_state,
            } => write!(
                f,
                "the recommendation is {}, not reported",
                recommendation_state.as_str()
            ),
            CorrectionNeedsReason { year, version } => write!(
                f,
                "{year} was published as version {version}; a correction needs its reason"
            ),
            MayNotAccredit { user } => write!(
                f,
                "{user} is neither a coordinator nor with the authorised body for public services, who accredit monitoring organisations"
            ),
            NotMonitorOf { user, organisation } => {
                write!(f, "{user} does not monitor for `{organisation}`")
            }
            NotAccredited { organisation, on } => {
                write!(f, "`{organisation}` is not accredited on {on}")
            }
            ProjectNotActive { project_status } => write!(
                f,
                "the monitoring project is {}, not active",
                project_status.as_str()
            ),
            ProjectTransition { from, to } => write!(
                f,
                "a monitoring project does not go from {} to {}",
                from.as_str(),
                to.as_str()
            ),
            RepliesPending { findings, until } => write!(
                f,
                "findings {findings} await the body's reply until {until}; the report is published after that"
            ),
            AlreadyReplied => write!(f, "the finding has been replied to already"),
            ReplyTermOver { due } => write!(f, "the term for a reply ended on {due}"),
            ReasonRequired => write!(f, "a reason is required"),
            TextRequired => write!(f, "a text is required"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_its_code_and_parameters() {
        let deadline = NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap();
        let r = Refusal::Closed {
            stage: Stage::Objections,
            deadline,
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"code": "closed", "stage": "objections", "deadline": "2024-03-01T18:00:00"})
        );
        assert_eq!(r.code(), "closed");
        assert_eq!(
            r.to_string(),
            "the deadline for objections was 2024-03-01 18:00:00"
        );
        let back: Refusal = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn the_variant_names_are_the_codes() {
        assert!(Refusal::VARIANTS.contains(&"not_open_yet"));
        assert_eq!(Refusal::NotRejected.code(), "not_rejected");
        assert_eq!(
            Refusal::AlreadyDecided {
                objection_state: ObjectionState::Accepted
            }
            .code(),
            "already_decided"
        );
    }
}
