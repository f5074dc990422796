//! The interface's messages in Kazakh, Russian and English (Project Fluent),
//! the choice of language, and numbers and dates in each language's style.

use bagalau_core::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The message files, embedded at build time.
pub const MESSAGES: [(Lang, &str, &str); 3] = [
    (Lang::Kk, "kk.ftl", include_str!("../i18n/kk.ftl")),
    (Lang::Ru, "ru.ftl", include_str!("../i18n/ru.ftl")),
    (Lang::En, "en.ftl", include_str!("../i18n/en.ftl")),
];

/// Every language, in the order the language switch shows them.
pub const LANGS: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

/// The language when nothing else says: the state language.
pub const DEFAULT_LANG: Lang = Lang::Kk;

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("{file}: {problems}")]
    Syntax {
        file: &'static str,
        problems: String,
    },
}

/// The parsed message bundles of every language.
pub struct Catalog {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "kk",
        Lang::Ru => "ru",
        Lang::En => "en",
    }
}

/// The language's own name, for the switch.
pub fn native_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Қазақша",
        Lang::Ru => "Русский",
        Lang::En => "English",
    }
}

impl Catalog {
    pub fn new() -> Result<Catalog, I18nError> {
        let mut bundles = Vec::new();
        for (lang, file, text) in MESSAGES {
            let resource = FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
                I18nError::Syntax {
                    file,
                    problems: format!("{errors:?}"),
                }
            })?;
            let id: unic_langid::LanguageIdentifier =
                code(lang).parse().expect("a valid language code");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks would end up inside HTML attributes and CSV cells.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| I18nError::Syntax {
                    file,
                    problems: format!("{errors:?}"),
                })?;
            bundles.push((lang, bundle));
        }
        Ok(Catalog { bundles })
    }

    pub fn tr(&self, lang: Lang) -> Tr<'_> {
        let bundle = &self
            .bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language has a bundle")
            .1;
        Tr { lang, bundle }
    }
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(f64),
}

/// The messages of one language.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub lang: Lang,
    bundle: &'a FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Tr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("lang", &self.lang).finish()
    }
}

impl Tr<'_> {
    /// A message without arguments. A missing one shows its id (and the
    /// catalogue test fails).
    pub fn t(&self, id: &str) -> String {
        self.fmt(id, &[])
    }

    /// A message whose id is made from data (a sector of the register),
    /// or `None` when the language has no such message.
    pub fn lookup(&self, id: &str) -> Option<String> {
        self.bundle
            .get_message(id)
            .and_then(|m| m.value())
            .map(|_| self.t(id))
    }

    pub fn fmt(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("[{id}]");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(t) => fluent_args.set(*name, FluentValue::from(*t)),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    pub fn code(&self) -> &'static str {
        code(self.lang)
    }

    /// A number with `decimals` places: `1,234.5` in English, `1 234,5` in
    /// Kazakh and Russian (no-break space between thousands).
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let (group, point) = match self.lang {
            Lang::En => (",", "."),
            Lang::Kk | Lang::Ru => ("\u{a0}", ","),
        };
        let digits: Vec<char> = whole.chars().collect();
        let mut grouped = String::new();
        for (i, d) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(group);
            }
            grouped.push(*d);
        }
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "\u{2212}"
        } else {
            ""
        };
        if fraction.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{point}{fraction}")
        }
    }

    /// A change, always with its sign.
    pub fn signed(&self, value: f64, decimals: usize) -> String {
        let text = self.number(value, decimals);
        if text.starts_with('\u{2212}')
            || self.number(value.abs(), decimals) == self.number(0.0, decimals)
        {
            text
        } else {
            format!("+{text}")
        }
    }

    /// A date (`YYYY-MM-DD…`, as stored): `24 November 2026` in English,
    /// `24.11.2026` in Kazakh and Russian.
    pub fn date(&self, stored: &str) -> String {
        let Some((y, m, d)) = stored
            .get(..10)
            .and_then(|s| {
                let mut parts = s.split('-');
                Some((parts.next()?, parts.next()?, parts.next()?))
            })
            .filter(|(y, m, d)| y.len() == 4 && m.len() == 2 && d.len() == 2)
        else {
            return stored.to_string();
        };
        match self.lang {
            Lang::En => {
                const MONTHS: [&str; 12] = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ];
                let month = m
                    .parse::<usize>()
                    .ok()
                    .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
                    .copied()
                    .unwrap_or(m);
                format!("{} {month} {y}", d.trim_start_matches('0'))
            }
            Lang::Kk | Lang::Ru => format!("{d}.{m}.{y}"),
        }
    }
}

impl Tr<'_> {
    /// A date and time (`YYYY-MM-DDTHH:MM…`): the date in the language's
    /// style, then the time of day when there is one.
    pub fn datetime(&self, stored: &str) -> String {
        let date = self.date(stored);
        match stored.get(11..16) {
            Some(time) if stored.len() > 10 => format!("{date} {time}"),
            _ => date,
        }
    }
}

/// The language of a request: `?lang=`, then the remembered choice (a
/// cookie), then the first language of `Accept-Language` Bagalau speaks,
/// then Kazakh.
pub fn negotiate(query: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = query
        .and_then(Lang::parse)
        .or_else(|| cookie.and_then(Lang::parse))
    {
        return lang;
    }
    let mut ranked: Vec<(f32, usize, Lang)> = accept_language
        .unwrap_or_default()
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let primary = tag.split('-').next()?;
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_string))
                .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
            (q > 0.0).then_some((q, i, Lang::parse(primary)?))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map_or(DEFAULT_LANG, |(_, _, lang)| *lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_query_then_the_cookie_then_the_browser() {
        assert_eq!(negotiate(Some("ru"), Some("en"), Some("kk")), Lang::Ru);
        assert_eq!(negotiate(Some("xx"), Some("en"), Some("kk")), Lang::En);
        assert_eq!(
            negotiate(None, None, Some("de-DE,ru;q=0.8,en;q=0.9")),
            Lang::En
        );
        assert_eq!(negotiate(None, None, Some("ru-RU, en;q=0.5")), Lang::Ru);
        assert_eq!(negotiate(None, None, Some("en;q=0, ru;q=0.1")), Lang::Ru);
        assert_eq!(negotiate(None, None, Some("de, fr")), Lang::Kk);
        assert_eq!(negotiate(None, None, None), Lang::Kk);
    }

    #[test]
    fn numbers_and_dates_in_each_language() {
        let c = Catalog::new().unwrap();
        let (en, ru, kk) = (c.tr(Lang::En), c.tr(Lang::Ru), c.tr(Lang::Kk));
        assert_eq!(en.number(12345.678, 2), "12,345.68");
        assert_eq!(ru.number(12345.678, 2), "12\u{a0}345,68");
        assert_eq!(kk.number(-0.5, 1), "\u{2212}0,5");
        assert_eq!(en.number(-0.004, 2), "0.00", "no minus on a zero");
        assert_eq!(en.signed(2.345, 1), "+2.3");
        assert_eq!(en.signed(-2.0, 1), "\u{2212}2.0");
        assert_eq!(en.signed(0.0, 1), "0.0");
        assert_eq!(en.date("2024-05-20T12:00:00+00:00"), "20 May 2024");
        assert_eq!(ru.date("2024-05-20T12:00:00+00:00"), "20.05.2024");
    }

    #[test]
    fn plurals_follow_each_language() {
        let c = Catalog::new().unwrap();
        let caption = |lang, n: f64| {
            c.tr(lang).fmt(
                "rankings-caption",
                &[
                    ("kind", Arg::Text("X")),
                    ("year", Arg::Number(2023.0)),
                    ("count", Arg::Number(n)),
                ],
            )
        };
        assert_eq!(caption(Lang::En, 1.0), "X, 2023: 1 body");
        assert_eq!(caption(Lang::En, 29.0), "X, 2023: 29 bodies");
        assert_eq!(caption(Lang::Ru, 21.0), "X, 2023: 21 орган");
        assert_eq!(caption(Lang::Ru, 22.0), "X, 2023: 22 органа");
        assert_eq!(caption(Lang::Ru, 29.0), "X, 2023: 29 органов");
        assert_eq!(caption(Lang::Kk, 29.0), "X, 2023: 29 орган");
    }
}
