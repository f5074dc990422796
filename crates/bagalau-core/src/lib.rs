//! Bagalau's pure core: the registry of evaluated bodies, methodology packs,
//! the expression language, reporting data, scoring with full explanations,
//! ranking and methodology diffs.
//!
//! Invariant: nothing here does I/O, reads a clock or keeps global state.
//! Inputs arrive as strings and values; the same inputs give the same
//! results, byte for byte.

pub mod accounts;
pub mod audit;
pub mod checked;
pub mod correction;
pub mod cycle;
pub mod data;
pub mod diagnostics;
pub mod diff;
pub mod expr;
pub mod hash;
pub mod monitoring;
pub mod pack;
pub mod performance;
pub mod publication;
pub mod recommendation;
pub mod refusal;
pub mod registry;
pub mod risk;
pub mod roles;
pub mod score;
pub mod states;
pub mod transparency;

pub use diagnostics::{Diagnostic, Diagnostics};

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a state body: bodies are ranked within their kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Central government body: ministry, agency.
    Cgb,
    /// Local executive body: akimat of a region, a city of republican significance, the capital.
    Leb,
    /// Takes part in the assessment without being evaluated (coordinators, authorized bodies).
    Other,
}

impl Kind {
    pub const RANKED: [Kind; 2] = [Kind::Cgb, Kind::Leb];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cgb => "cgb",
            Kind::Leb => "leb",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "cgb" => Some(Kind::Cgb),
            "leb" => Some(Kind::Leb),
            "other" => Some(Kind::Other),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Cgb => "CGB",
            Kind::Leb => "LEB",
            Kind::Other => "other",
        })
    }
}

/// A language the product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A name in Kazakh, Russian and English (all three required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}
