//! Who acts: the roles a person holds, with their scopes, and the actor
//! (a person with their roles). Its own module, below the rules that use
//! it (`cycle`, `recommendation`, `monitoring`, `correction`) and the
//! refusals, so that none of them depends on another through it.

use serde::{Deserialize, Serialize};

/// A role a person holds, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    Coordinator,
    Methodologist,
    /// Staff of an authorized body assessing one direction.
    Assessor {
        direction: String,
        authority: String,
    },
    /// Staff of an evaluated body.
    Reporter {
        body: String,
    },
    Verifier,
    CommissionMember,
    /// A civil-society observer without an organisation: sees what is public.
    Monitor,
    /// A member of a monitoring organisation (an NGO): runs its public
    /// monitoring projects while the organisation is accredited.
    OrganisationMonitor {
        organisation: String,
    },
    /// Keeps the accounts (adds them, gives roles, disables them, revokes
    /// tokens) and reads the audit trail; sees no unpublished results.
    Administrator,
    /// An analyst of public services: reads the unpublished service
    /// figures (indicators, satisfaction, complaints, openness, ratings
    /// before they are published).
    ServiceAnalyst,
    /// Imports the delivery records and complaint records of one provider
    /// body (its own office's exports), nothing else.
    ServiceImporter {
        provider: String,
    },
}

/// Who acts: a person and their roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn has(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }

    pub fn reports_for(&self, body: &str) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Reporter { body: b } if b == body))
    }

    /// Whether the actor monitors public services for this organisation.
    pub fn monitors_for(&self, organisation: &str) -> bool {
        self.roles.iter().any(
            |r| matches!(r, Role::OrganisationMonitor { organisation: o } if o == organisation),
        )
    }

    /// The authority the actor assesses `direction` for, if any.
    pub fn assesses(&self, direction: &str) -> Option<&str> {
        self.roles.iter().find_map(|r| match r {
            Role::Assessor {
                direction: d,
                authority,
            } if d == direction => Some(authority.as_str()),
            _ => None,
        })
    }
}
