//! The registry of evaluated bodies and their lineage (format documented in
//! `docs/registry.md`).

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::{Kind, Lang, Names};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use toml::Spanned;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Body {
    pub id: String,
    pub kind: Kind,
    /// The name at the start of the covered period or at creation.
    pub name: Names,
    #[serde(default)]
    pub evaluated: Vec<i32>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Created,
    Renamed,
    Split,
    Merged,
    Abolished,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Renamed => "renamed",
            EventKind::Split => "split",
            EventKind::Merged => "merged",
            EventKind::Abolished => "abolished",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub kind: EventKind,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub name: Option<Names>,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Event {
    /// Bodies this event concerns, in order: `body`, then `from`, then `to`.
    pub fn bodies(&self) -> impl Iterator<Item = &str> {
        self.body
            .iter()
            .chain(&self.from)
            .chain(&self.to)
            .map(String::as_str)
    }
}

/// A validated registry. Events are kept sorted by date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Registry {
    pub title: String,
    pub sources: Vec<Source>,
    pub bodies: Vec<Body>,
    pub events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    format: Spanned<u32>,
    #[serde(default)]
    title: String,
    #[serde(default, rename = "source")]
    sources: Vec<Spanned<Source>>,
    #[serde(default, rename = "body")]
    bodies: Vec<Spanned<RawBody>>,
    #[serde(default, rename = "event")]
    events: Vec<Spanned<RawEvent>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    id: Spanned<String>,
    kind: Kind,
    name: Names,
    #[serde(default)]
    evaluated: Vec<i32>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: toml::value::Datetime,
    kind: EventKind,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    name: Option<Names>,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Parses and validates a registry file.
pub fn load(file: &str, text: &str) -> Result<Registry, Diagnostics> {
    let map = SourceMap::new(file, text);
    let raw: RawRegistry =
        toml::from_str(text).map_err(|e| Diagnostics(vec![map.toml_error(&e)]))?;
    let mut errors: Vec<Diagnostic> = Vec::new();
    if *raw.format.get_ref() != 1 {
        errors.push(map.at(
            raw.format.span().start,
            "unsupported registry format (this version reads format 1)",
        ));
    }
    let mut source_ids: HashSet<&str> = HashSet::new();
    for s in &raw.sources {
        if !source_ids.insert(s.get_ref().id.as_str()) {
            errors.push(map.at(
                s.span().start,
                format!(
                    "duplicate source id `{}`",
                    crate::checked::shown(&s.get_ref().id)
                ),
            ));
        }
    }
    let mut ids = HashSet::new();
    for b in &raw.bodies {
        let body = b.get_ref();
        let full_id = body.id.get_ref();
        let id = &crate::checked::shown(full_id);
        if !ids.insert(full_id.clone()) {
            errors.push(map.at(body.id.span().start, format!("duplicate body id `{id}`")));
        }
        for (lang, name) in [
            ("kk", &body.name.kk),
            ("ru", &body.name.ru),
            ("en", &body.name.en),
        ] {
            if name.trim().is_empty() {
                errors.push(map.at(
                    b.span().start,
                    format!("body `{id}`: its name in {lang} is empty"),
                ));
            }
        }
        if full_id.is_empty()
            || !full_id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(map.at(
                body.id.span().start,
                format!("body id `{id}` must be lower-case letters, digits and `_`"),
            ));
        }
        for s in &body.sources {
            if !source_ids.contains(s.as_str()) {
                errors.push(map.at(b.span().start, format!("body `{id}`: unknown source `{s}`")));
            }
        }
        let mut years = HashSet::new();
        for y in &body.evaluated {
            if !(1900..=2200).contains(y) {
                errors.push(map.at(
                    b.span().start,
                    format!("body `{id}`: {y} is not a plausible assessment year"),
                ));
            } else if !years.insert(*y) {
                errors.push(map.at(
                    b.span().start,
                    format!("body `{id}`: year {y} is listed twice in `evaluated`"),
                ));
            }
        }
        if body.kind == Kind::Other && !body.evaluated.is_empty() {
            errors.push(map.at(
                b.span().start,
                format!("body `{id}` of kind `other` cannot be evaluated"),
            ));
        }
    }
    let mut events = Vec::new();
    for e in &raw.events {
        let ev = e.get_ref();
        let at = e.span().start;
        let date = match (ev.date.date, ev.date.time) {
            (Some(d), None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        let Some(date) = date else {
            errors.push(map.at(at, "event date must be a plain date like 2022-06-08"));
            continue;
        };
        let event = Event {
            date,
            kind: ev.kind,
            body: ev.body.clone(),
            name: ev.name.clone(),
            from: ev.from.clone(),
            to: ev.to.clone(),
            sources: ev.sources.clone(),
            note: ev.note.clone(),
        };
        let shape_ok = match ev.kind {
            EventKind::Created | EventKind::Abolished => ev.body.is_some() && ev.name.is_none(),
            EventKind::Renamed => ev.body.is_some() && ev.name.is_some(),
            EventKind::Split => ev.body.is_none() && ev.from.len() == 1 && ev.to.len() >= 2,
            EventKind::Merged => ev.body.is_none() && ev.from.len() >= 2 && ev.to.len() == 1,
        };
        if !shape_ok {
            let want = match ev.kind {
                EventKind::Created | EventKind::Abolished => "`body` (and no `name`)",
                EventKind::Renamed => "`body` and the new `name`",
                EventKind::Split => "one body in `from` and two or more in `to`",
                EventKind::Merged => "two or more bodies in `from` and one in `to`",
            };
            errors.push(map.at(at, format!("a `{}` event needs {want}", ev.kind.as_str())));
        }
        for list in [&event.from, &event.to] {
            let mut named = HashSet::new();
            for b in list {
                if !named.insert(b) {
                    errors.push(map.at(at, format!("event of {date}: body `{b}` is named twice")));
                }
            }
        }
        for b in event.bodies() {
            if !ids.contains(b) {
                errors.push(map.at(at, format!("event of {date}: unknown body `{b}`")));
            }
        }
        for s in &ev.sources {
            if !source_ids.contains(s.as_str()) {
                errors.push(map.at(at, format!("event of {date}: unknown source `{s}`")));
            }
        }
        events.push((at, event));
    }
    events.sort_by_key(|(_, e)| e.date);
    let body_spans: std::collections::HashMap<String, usize> = raw
        .bodies
        .iter()
        .map(|b| (b.get_ref().id.get_ref().clone(), b.span().start))
        .collect();
    let registry = Registry {
        title: raw.title,
        sources: raw.sources.into_iter().map(Spanned::into_inner).collect(),
        bodies: raw
            .bodies
            .into_iter()
            .map(|b| {
                let b = b.into_inner();
                Body {
                    id: b.id.into_inner(),
                    kind: b.kind,
                    name: b.name,
                    evaluated: b.evaluated,
                    sources: b.sources,
                    note: b.note,
                }
            })
            .collect(),
        events: events.iter().map(|(_, e)| e.clone()).collect(),
    };
    if errors.is_empty() {
        // Lifetimes: events on living bodies, evaluated years within the lifetime.
        for (at, e) in &events {
            for b in e.bodies() {
                let (start, end) = registry.lifetime(b);
                let alive_before = start.is_none_or(|s| s <= e.date);
                let is_birth = matches!(e.kind, EventKind::Created)
                    || e.to.iter().any(|x| x == b) && !e.from.iter().any(|x| x == b);
                if !is_birth && !alive_before {
                    errors.push(map.at(
                        *at,
                        format!("event of {}: body `{b}` does not exist yet", e.date),
                    ));
                }
                if let Some(end) = end
                    && end < e.date
                {
                    errors.push(map.at(
                        *at,
                        format!("event of {}: body `{b}` ceased on {end}", e.date),
                    ));
                }
            }
        }
        for b in &registry.bodies {
            let (start, end) = registry.lifetime(&b.id);
            for &y in &b.evaluated {
                let year_end = NaiveDate::from_ymd_opt(y, 12, 31).expect("valid date");
                let year_start = NaiveDate::from_ymd_opt(y, 1, 1).expect("valid date");
                if start.is_some_and(|s| s > year_end) || end.is_some_and(|e| e < year_start) {
                    errors.push(map.at(
                        body_spans[&b.id],
                        format!("body `{}` is evaluated for {y}, outside its lifetime", b.id),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(registry)
    } else {
        Err(Diagnostics(errors))
    }
}

impl Registry {
    pub fn body(&self, id: &str) -> Option<&Body> {
        self.bodies.iter().find(|b| b.id == id)
    }

    /// The dates the body came into being and ceased, if the registry records them.
    pub fn lifetime(&self, id: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let mut start = None;
        let mut end = None;
        for e in &self.events {
            let created = match e.kind {
                EventKind::Created => e.body.as_deref() == Some(id),
                EventKind::Split | EventKind::Merged => {
                    e.to.iter().any(|x| x == id) && !e.from.iter().any(|x| x == id)
                }
                _ => false,
            };
            if created && start.is_none() {
                start = Some(e.date);
            }
            let ceased = match e.kind {
                EventKind::Abolished => e.body.as_deref() == Some(id),
                EventKind::Split | EventKind::Merged => {
                    e.from.iter().any(|x| x == id) && !e.to.iter().any(|x| x == id)
                }
                _ => false,
            };
            if ceased {
                end = Some(e.date);
            }
        }
        (start, end)
    }

    /// Whether the body existed at some time during `year`.
    pub fn exists_in(&self, id: &str, year: i32) -> bool {
        let (start, end) = self.lifetime(id);
        let (first, last) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        );
        self.body(id).is_some()
            && start.is_none_or(|s| Some(s) <= last)
            && end.is_none_or(|e| Some(e) >= first)
    }

    /// The body's name in force at the end of `year` (or its last name).
    pub fn name_in_year(&self, id: &str, year: i32) -> Option<&Names> {
        let body = self.body(id)?;
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31)?;
        Some(
            self.events
                .iter()
                .filter(|e| {
                    e.kind == EventKind::Renamed
                        && e.body.as_deref() == Some(id)
                        && e.date <= year_end
                })
                .filter_map(|e| e.name.as_ref())
                .next_back()
                .unwrap_or(&body.name),
        )
    }

    pub fn display_name(&self, id: &str, year: i32, lang: Lang) -> String {
        self.name_in_year(id, year)
            .map_or_else(|| id.to_string(), |n| n.get(lang).to_string())
    }

    /// Bodies evaluated in `year`, sorted by id.
    pub fn evaluated_in(&self, year: i32) -> Vec<&Body> {
        let mut out: Vec<&Body> = self
            .bodies
            .iter()
            .filter(|b| b.evaluated.contains(&year))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// Direct predecessors: bodies it was split or merged from.
    pub fn predecessors(&self, id: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for e in &self.events {
            if matches!(e.kind, EventKind::Split | EventKind::Merged)
                && e.to.iter().any(|x| x == id)
            {
                out.extend(e.from.iter().map(String::as_str).filter(|x| *x != id));
            }
        }
        out
    }

    /// Direct successors: bodies split or merged out of it.
    pub fn successors(&self, id: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for e in &self.events {
            if matches!(e.kind, EventKind::Split | EventKind::Merged)
                && e.from.iter().any(|x| x == id)
            {
                out.extend(e.to.iter().map(String::as_str).filter(|x| *x != id));
            }
        }
        out
    }

    /// Every event that concerns the body, oldest first.
    pub fn history(&self, id: &str) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| e.bodies().any(|b| b == id))
            .collect()
    }

    /// Ids of all bodies, for checking references.
    pub fn ids(&self) -> HashMap<&str, Kind> {
        self.bodies
            .iter()
            .map(|b| (b.id.as_str(), b.kind))
            .collect()
    }
}
