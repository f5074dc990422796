//! The working-day calendar: which days are working days, by the law's rules
//! and the data that vary by year (movable holidays, the Government's
//! transfers of days off). Deadlines of public services are counted in
//! working days on it.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Kazakhstan's calendar, with its sources (`data/kz-calendar.toml`).
pub const KAZAKHSTAN: &str = include_str!("../data/kz-calendar.toml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar: {0}")]
    Syntax(String),
    #[error("calendar: holiday `{name}`: `{day}` is not a month-day (MM-DD)")]
    BadDay { name: String, day: String },
    #[error(
        "calendar: no date of `{name}` is known for {year}: add it to the calendar's [[movable]] dates"
    )]
    MovableUnknown { name: String, year: i32 },
    #[error("calendar: a transfer makes {works} a working day, but it is not a weekend")]
    TransferNotWeekend { works: NaiveDate },
    #[error(
        "calendar: a transfer moves a day off to {rests}, which is a weekend already: the worked day {works} would add a working day"
    )]
    TransferOntoWeekend { works: NaiveDate, rests: NaiveDate },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    name: String,
    days: Vec<String>,
    /// On a weekend, the next working day is a day off.
    carried: bool,
    from: Option<i32>,
    until: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Movable {
    name: String,
    dates: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Transfer {
    works: NaiveDate,
    rests: NaiveDate,
    #[allow(dead_code)]
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    holiday: Vec<Holiday>,
    #[serde(default)]
    movable: Vec<Movable>,
    #[serde(default)]
    transfer: Vec<Transfer>,
}

/// The rules of a country's calendar.
#[derive(Debug, Clone)]
pub struct Rules {
    file: File,
    /// The text of every file the rules came from, in order: what a cached
    /// count depends on.
    source: String,
}

impl Rules {
    pub fn parse(text: &str) -> Result<Rules, CalendarError> {
        let file: File = toml::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
        for h in &file.holiday {
            for day in &h.days {
                if month_day(2000, day).is_none() {
                    return Err(CalendarError::BadDay {
                        name: h.name.clone(),
                        day: day.clone(),
                    });
                }
            }
        }
        for t in &file.transfer {
            if !is_weekend(t.works) {
                return Err(CalendarError::TransferNotWeekend { works: t.works });
            }
            if is_weekend(t.rests) {
                return Err(CalendarError::TransferOntoWeekend {
                    works: t.works,
                    rests: t.rests,
                });
            }
        }
        Ok(Rules {
            file,
            source: text.to_string(),
        })
    }

    pub fn kazakhstan() -> Rules {
        Rules::parse(KAZAKHSTAN).expect("the embedded calendar is valid")
    }

    /// These rules with the additions of another calendar file, in the same
    /// format: the dates of movable holidays for years this release does not
    /// know yet (a date given for a year already known replaces it, as when a
    /// holiday moves by a day with the new moon), the year's transfers of
    /// days off, and holidays enacted since. Operators keep such a file as
    /// soon as the dates are announced, without waiting for a new release.
    pub fn with_additions(self, text: &str) -> Result<Rules, CalendarError> {
        let additions = Rules::parse(text)?;
        let mut file = self.file;
        // A holiday given again (a copy of the whole calendar with a new
        // date in it) is not counted twice: it would carry twice.
        for added in additions.file.holiday {
            if !file.holiday.contains(&added) {
                file.holiday.push(added);
            }
        }
        for added in additions.file.movable {
            match file.movable.iter_mut().find(|m| m.name == added.name) {
                Some(known) => {
                    known
                        .dates
                        .retain(|d| !added.dates.iter().any(|a| a.year() == d.year()));
                    known.dates.extend(added.dates);
                    known.dates.sort();
                }
                None => file.movable.push(added),
            }
        }
        for added in additions.file.transfer {
            if !file
                .transfer
                .iter()
                .any(|t| t.works == added.works && t.rests == added.rests)
            {
                file.transfer.push(added);
            }
        }
        Ok(Rules {
            file,
            source: format!("{}\n{}", self.source, text),
        })
    }

    /// The text of the calendar files these rules were read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The working days of `year` and, when the rules know it, of the next
    /// year too (a deadline begun in December ends in January); with why
    /// the next year is left out when it is. Deadlines that run past the
    /// days returned cannot be judged.
    pub fn working_days_with_next(
        &self,
        year: i32,
    ) -> Result<(WorkingDays, Option<CalendarError>), CalendarError> {
        match self.working_days(year, year + 1) {
            Ok(days) => Ok((days, None)),
            Err(e @ CalendarError::MovableUnknown { year: next, .. }) if next == year + 1 => {
                Ok((self.working_days(year, year)?, Some(e)))
            }
            Err(e) => Err(e),
        }
    }

    /// The days off of one year that are not plain weekends, with why.
    pub fn days_off(&self, year: i32) -> Result<BTreeMap<NaiveDate, String>, CalendarError> {
        let mut off: BTreeMap<NaiveDate, String> = BTreeMap::new();
        let in_force =
            |h: &&Holiday| h.from.is_none_or(|f| year >= f) && h.until.is_none_or(|u| year <= u);
        let holidays: Vec<(&Holiday, Vec<NaiveDate>)> = self
            .file
            .holiday
            .iter()
            .filter(in_force)
            .map(|h| {
                let days = h.days.iter().filter_map(|d| month_day(year, d)).collect();
                (h, days)
            })
            .collect();
        for (h, days) in &holidays {
            for d in days {
                off.insert(*d, h.name.clone());
            }
        }
        for m in &self.file.movable {
            let date = m.dates.iter().find(|d| d.year() == year).ok_or_else(|| {
                CalendarError::MovableUnknown {
                    name: m.name.clone(),
                    year,
                }
            })?;
            off.entry(*date).or_insert_with(|| m.name.clone());
        }
        // A carried holiday's days that fall on a weekend each give one day
        // off, on the next days that are neither weekends nor days off, in
        // the order of the holidays.
        let mut carried: Vec<(&Holiday, &Vec<NaiveDate>)> = holidays
            .iter()
            .filter(|(h, _)| h.carried)
            .map(|(h, d)| (*h, d))
            .collect();
        carried.sort_by_key(|(_, days)| days.first().copied());
        for (h, days) in carried {
            let owed = days.iter().filter(|d| is_weekend(**d)).count();
            let Some(mut day) = days.iter().max().copied() else {
                continue;
            };
            for _ in 0..owed {
                loop {
                    day = day.succ_opt().expect("a date within the calendar's range");
                    if !is_weekend(day) && !off.contains_key(&day) {
                        break;
                    }
                }
                off.insert(day, format!("{} (carried over from a weekend)", h.name));
            }
        }
        for t in self.file.transfer.iter().filter(|t| t.rests.year() == year) {
            off.insert(
                t.rests,
                format!("day off moved ({} worked instead)", t.works),
            );
        }
        Ok(off)
    }

    /// Weekend days made working days in `year` (by Government decree, or by
    /// the labour minister's order since 2024), each for a day off elsewhere.
    pub fn working_weekends(&self, year: i32) -> BTreeSet<NaiveDate> {
        self.file
            .transfer
            .iter()
            .filter(|t| t.works.year() == year)
            .map(|t| t.works)
            .collect()
    }

    /// The working days of the years `first..=last`, ready for counting.
    pub fn working_days(&self, first: i32, last: i32) -> Result<WorkingDays, CalendarError> {
        let start = NaiveDate::from_ymd_opt(first, 1, 1).expect("a valid year");
        let end = NaiveDate::from_ymd_opt(last, 12, 31).expect("a valid year");
        let mut off = BTreeMap::new();
        let mut working_weekends = BTreeSet::new();
        for year in first..=last {
            off.extend(self.days_off(year)?);
            working_weekends.extend(self.working_weekends(year));
        }
        let mut days = Vec::new();
        let mut count = 0u32;
        let mut day = start;
        while day <= end {
            let working =
                working_weekends.contains(&day) || (!is_weekend(day) && !off.contains_key(&day));
            if working {
                count += 1;
            }
            days.push(Day {
                date: day,
                working,
                index: count,
            });
            day = day.succ_opt().expect("a date within range");
        }
        Ok(WorkingDays { start, days })
    }
}

/// One day of the calendar: whether it is a working day, and how many
/// working days there have been since the calendar's start, this one
/// included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub working: bool,
    pub index: u32,
}

/// The days of a span of years, for counting working days.
#[derive(Debug, Clone)]
pub struct WorkingDays {
    start: NaiveDate,
    days: Vec<Day>,
}

impl WorkingDays {
    pub fn days(&self) -> &[Day] {
        &self.days
    }

    pub fn day(&self, date: NaiveDate) -> Option<Day> {
        let i = usize::try_from((date - self.start).num_days()).ok()?;
        self.days.get(i).copied()
    }

    pub fn is_working(&self, date: NaiveDate) -> Option<bool> {
        self.day(date).map(|d| d.working)
    }

    /// The `n`-th working day after `date` (the day itself not counted):
    /// the last day of an `n`-working-day deadline that starts on `date`.
    /// `None` past the calendar's end.
    pub fn add(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        // A term of any length (a hostile query's u32::MAX) ends past the
        // calendar, not in an overflow.
        let target = self.day(date)?.index.checked_add(n)?;
        let from = usize::try_from((date - self.start).num_days()).ok()?;
        self.days[from..]
            .iter()
            .find(|d| d.working && d.index == target)
            .map(|d| d.date)
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> Option<u32> {
        let (a, b) = (self.day(from)?, self.day(to)?);
        Some(b.index.saturating_sub(a.index))
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn month_day(year: i32, text: &str) -> Option<NaiveDate> {
    let (m, d) = text.split_once('-')?;
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}
