//! Correcting an approved year: its own procedure.
//!
//! Once the commission approved a year, its data and cycle are locked. A
//! coordinator asks for a correction with its reason; a commission member
//! accepts or rejects it, with a reason. An accepted correction opens the
//! year's data (not its cycle) until the commission approves the year again,
//! which publishes a new version carrying the correction's reason and what
//! changed; the correction is then closed with that version.

use crate::cycle::{Actor, CycleError, Role};
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionState {
    Requested,
    Accepted,
    Rejected,
    /// Published as a new version.
    Published,
}

impl CorrectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            CorrectionState::Requested => "requested",
            CorrectionState::Accepted => "accepted",
            CorrectionState::Rejected => "rejected",
            CorrectionState::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<CorrectionState> {
        [
            CorrectionState::Requested,
            CorrectionState::Accepted,
            CorrectionState::Rejected,
            CorrectionState::Published,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Requested or accepted: not yet settled.
    pub fn is_open(self) -> bool {
        matches!(self, CorrectionState::Requested | CorrectionState::Accepted)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub year: i32,
    pub requested_by: String,
    pub reason: String,
    pub state: CorrectionState,
    pub decided_by: Option<String>,
    /// Why it was accepted or rejected.
    pub decision: Option<String>,
    /// The version that published it.
    pub version: Option<i32>,
}

/// A coordinator asks to correct an approved year: one correction at a time.
pub fn request(
    actor: &Actor,
    year: i32,
    reason: &str,
    approved: bool,
    corrections: &[Correction],
) -> Result<Correction, CycleError> {
    if !actor.has(&Role::Coordinator) {
        return Err(CycleError::Forbidden(Refusal::NotCoordinator {
            user: actor.user.clone(),
        }));
    }
    if reason.trim().is_empty() {
        return Err(CycleError::State(Refusal::ReasonRequired));
    }
    if !approved {
        return Err(CycleError::State(Refusal::NotApproved { year }));
    }
    if corrections.iter().any(|c| c.state.is_open()) {
        return Err(CycleError::State(Refusal::CorrectionOpen { year }));
    }
    Ok(Correction {
        year,
        requested_by: actor.user.clone(),
        reason: reason.trim().to_string(),
        state: CorrectionState::Requested,
        decided_by: None,
        decision: None,
        version: None,
    })
}

/// A commission member accepts or rejects a requested correction.
pub fn decide(
    actor: &Actor,
    correction: &Correction,
    accept: bool,
    reason: &str,
) -> Result<Correction, CycleError> {
    if !actor.has(&Role::CommissionMember) {
        return Err(CycleError::Forbidden(Refusal::NotCommissionMember {
            user: actor.user.clone(),
        }));
    }
    if correction.state != CorrectionState::Requested {
        return Err(CycleError::State(Refusal::CorrectionDecided));
    }
    if reason.trim().is_empty() {
        return Err(CycleError::State(Refusal::ReasonRequired));
    }
    Ok(Correction {
        state: if accept {
            CorrectionState::Accepted
        } else {
            CorrectionState::Rejected
        },
        decided_by: Some(actor.user.clone()),
        decision: Some(reason.trim().to_string()),
        ..correction.clone()
    })
}

/// The correction closed by the publication of `version`.
pub fn published(correction: &Correction, version: i32) -> Correction {
    Correction {
        state: CorrectionState::Published,
        version: Some(version),
        ..correction.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user: "x".into(),
            roles: vec![role],
        }
    }

    #[test]
    fn a_correction_from_request_to_publication() {
        let coordinator = actor(Role::Coordinator);
        let chair = actor(Role::CommissionMember);
        assert!(matches!(
            request(&chair, 2023, "a reason", true, &[]),
            Err(CycleError::Forbidden(_))
        ));
        assert!(matches!(
            request(&coordinator, 2023, " ", true, &[]),
            Err(CycleError::State(Refusal::ReasonRequired))
        ));
        assert!(matches!(
            request(&coordinator, 2023, "a reason", false, &[]),
            Err(CycleError::State(Refusal::NotApproved { year: 2023 }))
        ));
        let c = request(&coordinator, 2023, " a reason ", true, &[]).unwrap();
        assert_eq!(
            (c.state, c.reason.as_str()),
            (CorrectionState::Requested, "a reason")
        );
        assert!(matches!(
            request(
                &coordinator,
                2023,
                "another",
                true,
                std::slice::from_ref(&c)
            ),
            Err(CycleError::State(Refusal::CorrectionOpen { year: 2023 }))
        ));
        assert!(matches!(
            decide(&coordinator, &c, true, "ok"),
            Err(CycleError::Forbidden(_))
        ));
        let accepted = decide(&chair, &c, true, "the data were wrong").unwrap();
        assert_eq!(accepted.state, CorrectionState::Accepted);
        assert!(matches!(
            decide(&chair, &accepted, false, "no"),
            Err(CycleError::State(Refusal::CorrectionDecided))
        ));
        let done = published(&accepted, 2);
        assert_eq!(
            (done.state, done.version),
            (CorrectionState::Published, Some(2))
        );
        assert!(request(&coordinator, 2023, "again", true, &[done]).is_ok());
        let rejected = decide(&chair, &c, false, "no new facts").unwrap();
        assert!(!rejected.state.is_open());
    }
}
