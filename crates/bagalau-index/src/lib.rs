//! A composite-index engine for any framework written in the conventions of
//! the JRC's COINr package: a data table (one row per unit, one column per
//! indicator, plus group, time and denominator columns) and a metadata table
//! (`iCode`, `iName`, `Level`, `Parent`, `Weight`, `Direction`,
//! `Denominator`, `Target`, `Type`).
//!
//! The steps follow the OECD/JRC *Handbook on Constructing Composite
//! Indicators* (2008): denominate, screen units by data availability, impute,
//! treat outliers, normalise, aggregate level by level, rank. Each formula is
//! written in `docs/composite-index.md` with its source.
//!
//! Like the scoring core, this crate does no I/O: tables come in as text and
//! results go out as values (and CSV text).

pub mod config;
pub mod pipeline;
pub mod stats;
pub mod table;
pub mod uncertainty;

pub use config::Pipeline;
pub use pipeline::{Build, build};
pub use table::{Data, Framework, TableError};
