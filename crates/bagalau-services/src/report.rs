//! From counted records to the assessment: the values of a methodology's
//! indicators that name a computed count (`computed = "services:breaches"`),
//! per body, as reporting data for the year. The record counts come per
//! provider body; `register:` values from the register at the year's end;
//! `survey:` values are the weighted share satisfied, per body that
//! delivered the service, suppressed under the survey's threshold;
//! `complaints:` and `openness:` values are the counts of the year's
//! complaint and openness records per body ([`Citizens`]).

use crate::complaints;
use crate::deliveries::{Breakdown, COUNTS};
use crate::openness::{self, Source};
use crate::register::{Channel, LOCAL_AKIMATS, REGIONS, Register, provider_in};
use crate::responses::{Response, estimates};
use crate::survey::Figure;
use bagalau_core::pack::Methodology;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// A computed value that cannot be worked out, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

/// One reporting value computed from records or the register.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedValue {
    pub body: String,
    pub indicator: String,
    pub value: f64,
    /// Where it comes from, in words, for the data's note.
    pub note: String,
}

/// The register's services of each body in force on `date` (the local
/// akimats' services count for every region's akimat), and how many of them
/// are offered on the portal.
fn register_counts(register: &Register, date: NaiveDate) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for service in register.at(date).values() {
        let electronic = service.channels.contains(&Channel::Portal);
        let bodies: Vec<String> = service
            .providers
            .iter()
            .flat_map(|p| {
                if p == LOCAL_AKIMATS {
                    REGIONS
                        .iter()
                        .map(|r| provider_in(p, r).into_owned())
                        .collect::<Vec<_>>()
                } else {
                    vec![p.clone()]
                }
            })
            .collect();
        for body in bodies {
            let entry = out.entry(body).or_default();
            entry.0 += 1;
            entry.1 += u64::from(electronic);
        }
    }
    out
}

/// What the values are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The year's record counts.
    pub breakdown: &'a Breakdown,
    pub register: &'a Register,
    /// Satisfaction-survey responses and the smallest number of respondents
    /// a figure may rest on.
    pub survey: Option<(&'a [Response], usize)>,
    /// The year's complaints and applications counted per body. Left out,
    /// the indicators that name them get no values; the caller says so.
    pub complaints: Option<&'a BTreeMap<String, complaints::Counts>>,
    /// The year's openness values per body.
    pub openness: Option<&'a BTreeMap<String, openness::BodyValues>>,
}

/// The bodies that delivered a response's service: its providers, the
/// local akimats resolved by the response's region.
pub(crate) fn survey_bodies(response: &Response, register: &Register) -> Vec<String> {
    let date = response.submitted.date();
    register
        .versions()
        .iter()
        .filter(|s| s.id == response.service && s.in_force(date))
        .flat_map(|s| s.providers.iter())
        .map(|p| provider_in(p, &response.region).into_owned())
        .collect()
}

/// The computed values of every indicator of `methodology` that names one,
/// for the bodies in the records (`services:`), the register (`register:`),
/// the survey (`survey:`), the complaints (`complaints:`) and the openness
/// records (`openness:`). A name that is not a known count is an error
/// naming the indicator.
pub fn computed_values(
    methodology: &Methodology,
    year: i32,
    sources: Sources<'_>,
) -> Result<Vec<ComputedValue>, ReportError> {
    let Sources {
        breakdown,
        register,
        survey,
        complaints: complaint_counts,
        openness: openness_values,
    } = sources;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| ReportError(format!("no such year {year}")))?;
    let by_provider = breakdown.year("provider");
    let in_register = register_counts(register, year_end);
    let mut out = Vec::new();
    for indicator in &methodology.indicators {
        let Some(computed) = &indicator.computed else {
            continue;
        };
        let unknown = || {
            ReportError(format!(
                "indicator {}: computed `{computed}` is not known (services:<{}>, register:services, register:electronic, survey:<measure>, complaints:<{}> or openness:<{}>)",
                indicator.id,
                COUNTS.join("|"),
                complaints::VALUES.join("|"),
                openness::VALUES.join("|"),
            ))
        };
        match computed.split_once(':') {
            Some(("services", count)) if COUNTS.contains(&count) => {
                for (body, counts) in &by_provider {
                    let Some(body) = body else { continue };
                    out.push(ComputedValue {
                        body: body.clone(),
                        indicator: indicator.id.clone(),
                        value: counts.get(count) as f64,
                        note: if count == "records" {
                            format!("delivery records of {year} (services pack)")
                        } else {
                            format!(
                                "{count} among {} delivery records of {year} (services pack)",
                                counts.get("records")
                            )
                        },
                    });
                }
            }
            Some(("register", what @ ("services" | "electronic"))) => {
                for (body, (all, electronic)) in &in_register {
                    let value = if what == "services" {
                        *all
                    } else {
                        *electronic
                    };
                    out.push(ComputedValue {
                        body: body.clone(),
                        indicator: indicator.id.clone(),
                        value: value as f64,
                        note: format!(
                            "{what} of the body's {all} services in the register on {year_end}"
                        ),
                    });
                }
            }
            Some(("survey", measure)) => {
                let Some((responses, min)) = survey else {
                    return Err(ReportError(format!(
                        "indicator {}: computed `{computed}` needs the survey's responses",
                        indicator.id
                    )));
                };
                let mut by_body: BTreeMap<String, Vec<Response>> = BTreeMap::new();
                for r in responses
                    .iter()
                    .filter(|r| r.submitted.date().year() == year)
                {
                    for body in survey_bodies(r, register) {
                        by_body.entry(body).or_default().push(r.clone());
                    }
                }
                for (body, answers) in by_body {
                    let estimates = estimates(&answers, measure, |_| String::new(), min)
                        .map_err(|e| ReportError(e.to_string()))?;
                    // A body under the threshold gets no value: nothing
                    // rests on fewer respondents, the assessment included.
                    if let Some(Figure {
                        respondents,
                        value,
                        low,
                        high,
                        ..
                    }) = estimates.first().and_then(|g| g.satisfied.figure())
                    {
                        out.push(ComputedValue {
                            body,
                            indicator: indicator.id.clone(),
                            value: (value * 10_000.0).round() / 100.0,
                            note: format!(
                                "{respondents} respondents of {year} satisfied with `{measure}` (weighted; 95% interval {:.1}-{:.1}%)",
                                100.0 * low,
                                100.0 * high
                            ),
                        });
                    }
                }
            }
            Some(("complaints", name)) if complaints::VALUES.contains(&name) => {
                for (body, counts) in complaint_counts.into_iter().flatten() {
                    let value = counts.get(name).ok_or_else(unknown)?;
                    out.push(ComputedValue {
                        body: body.clone(),
                        indicator: indicator.id.clone(),
                        value: value as f64,
                        note: if name == "total" {
                            format!("complaints and applications received in {year}")
                        } else {
                            format!(
                                "{} among {} complaints and applications received in {year}",
                                name.replace('_', " "),
                                counts.total
                            )
                        },
                    });
                }
            }
            Some(("openness", name)) if openness::VALUES.contains(&name) => {
                for (body, values) in openness_values.into_iter().flatten() {
                    let Some(v) = values.get(name) else { continue };
                    out.push(ComputedValue {
                        body: body.clone(),
                        indicator: indicator.id.clone(),
                        value: v.value,
                        note: match v.source {
                            Source::Records(n) => {
                                format!(
                                    "{} of {year}, counted from {n} records",
                                    name.replace('_', " ")
                                )
                            }
                            Source::Aggregate => {
                                format!(
                                    "{} of {year}, as the body's figure",
                                    name.replace('_', " ")
                                )
                            }
                        },
                    });
                }
            }
            _ => return Err(unknown()),
        }
    }
    Ok(out)
}
