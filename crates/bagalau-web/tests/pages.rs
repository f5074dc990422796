//! The public portal's pages, in process on a real SQLite database: what a
//! citizen reads in each language, and that only published results show.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bagalau_core::data::{DEMONSTRATION, YearData};
use bagalau_core::publication::{Publication, Snapshot};
use bagalau_core::{pack, registry, score};
use bagalau_store::{AnyStore, Document, ImportBatch, Store};
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const NOW: &str = "2026-03-01T00:00:00+00:00";

/// The registry, the 2021 and 2022 packs with generated data, both years
/// published; returns the two snapshots.
async fn setup(dir: &tempfile::TempDir) -> (AppState, Vec<Snapshot>) {
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    let mut snapshots = Vec::new();
    for (file, text) in &bagalau_demo::PACKS[2..4] {
        let m = pack::load(file, text).unwrap();
        let obs = bagalau_demo::generate(&m, &reg, 5);
        let a = score::assess(&m, &reg, &YearData::from_observations(&obs, true));
        let snapshot = Snapshot::from_assessment(&a, &reg);
        let (content, hash) = snapshot.canonical();
        batch.publications.push((
            Publication {
                year: m.year,
                version: 1,
                content_sha256: hash,
                published_at: "2026-02-20T10:00:00+00:00".into(),
                published_by: "test".into(),
                reason: None,
            },
            content,
        ));
        batch
            .observations
            .extend(obs.into_iter().map(|o| (o, DEMONSTRATION.to_string())));
        batch.packs.push(Document {
            file_name: file.to_string(),
            text: text.to_string(),
            parsed: m,
        });
        snapshots.push(snapshot);
    }
    batch.registry = Some(Document {
        file_name: "r".into(),
        text: bagalau_demo::REGISTRY.1.into(),
        parsed: reg,
    });
    store.apply(batch).await.unwrap();
    let files = bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store,
        files,
        clock: Arc::new(|| NOW.to_string()),
    };
    (state, snapshots)
}

struct Page {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

async fn page(state: &AppState, uri: &str, extra: &[(header::HeaderName, &str)]) -> Page {
    let mut request = Request::builder().uri(uri);
    for (name, value) in extra {
        request = request.header(name, *value);
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// The text of the table row whose header links to `href`.
fn row<'a>(html: &'a str, href: &str) -> &'a str {
    let at = html.find(&format!("<a href=\"{href}\">")).unwrap();
    let start = html[..at].rfind("<tr>").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn the_rankings_in_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (state, snapshots) = setup(&dir).await;
    let en = page(&state, "/rankings/2022?lang=en", &[]).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(en.text.contains("<h1>Rankings 2022</h1>"), "{}", en.text);
    assert!(
        en.text
            .contains("<caption>Central government bodies, 2022: 27 bodies</caption>")
    );
    assert!(
        en.text
            .contains("<caption>Local executive bodies (akimats), 2022: 17 bodies</caption>")
    );
    assert!(
        en.text.contains("Demonstration data"),
        "the note on demonstration data"
    );
    assert!(en.text.contains(">Change against 2021</a>"));
    assert_eq!(
        en.headers[header::SET_COOKIE],
        "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        "the explicit choice is remembered"
    );
    // Minfin's row: its rank, total and change against 2021, from the snapshots.
    let total = |s: &Snapshot| {
        s.bodies
            .iter()
            .find(|b| b.body == "minfin")
            .unwrap()
            .total
            .unwrap()
    };
    let minfin = snapshots[1]
        .bodies
        .iter()
        .find(|b| b.body == "minfin")
        .unwrap();
    let r = row(&en.text, "/bodies/minfin?year=2022");
    assert!(r.contains("Ministry of Finance"), "{r}");
    assert!(
        r.contains(&format!("<td class=\"num\">{}</td>", minfin.rank.unwrap())),
        "{r}"
    );
    assert!(
        r.contains(&format!(
            "<td class=\"num\">{:.2}</td>",
            total(&snapshots[1])
        )),
        "{r}"
    );
    let change = total(&snapshots[1]) - total(&snapshots[0]);
    let signed = if change >= 0.0 {
        format!("+{change:.2}")
    } else {
        format!("\u{2212}{:.2}", -change)
    };
    assert!(r.contains(&signed), "{signed} in {r}");

    let ru = page(&state, "/rankings/2022?lang=ru", &[]).await;
    assert!(ru.text.contains("<h1>Рейтинги 2022</h1>"));
    assert!(
        ru.text
            .contains("Центральные государственные органы, 2022: 27 органов")
    );
    let r = row(&ru.text, "/bodies/minfin?year=2022");
    assert!(r.contains("Министерство финансов"), "{r}");
    assert!(
        r.contains(&format!("{:.2}", total(&snapshots[1])).replace('.', ",")),
        "decimal comma: {r}"
    );

    let kk = page(&state, "/rankings/2022?lang=kk", &[]).await;
    assert!(kk.text.contains("<h1>Рейтингтер 2022</h1>"));
    assert!(row(&kk.text, "/bodies/minfin?year=2022").contains("Қаржы министрлігі"));

    // Without ?lang: the cookie, then the browser's languages, then Kazakh.
    let by_cookie = page(
        &state,
        "/rankings/2022",
        &[(header::COOKIE, "x=1; lang=ru")],
    )
    .await;
    assert!(by_cookie.text.contains("<html lang=\"ru\">"));
    assert!(!by_cookie.headers.contains_key(header::SET_COOKIE));
    let by_browser = page(
        &state,
        "/rankings/2022",
        &[(header::ACCEPT_LANGUAGE, "de-DE, en;q=0.8")],
    )
    .await;
    assert!(by_browser.text.contains("<html lang=\"en\">"));
    assert!(
        page(&state, "/rankings/2022", &[])
            .await
            .text
            .contains("<html lang=\"kk\">")
    );
    // The switch links to the same page in each language.
    assert!(
        en.text
            .contains("href=\"/rankings/2022?sort=rank&#38;lang=ru\""),
        "{}",
        en.text
    );
}

#[tokio::test]
async fn sorting_filtering_and_years() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir).await;
    let latest = page(&state, "/rankings", &[]).await;
    assert_eq!(latest.status, StatusCode::SEE_OTHER);
    assert_eq!(latest.headers[header::LOCATION], "/rankings/2022");
    let leb = page(&state, "/rankings/2022?lang=en&kind=leb&sort=name", &[]).await;
    assert!(!leb.text.contains("Central government bodies, 2022"));
    let names: Vec<&str> = leb
        .text
        .split("<th scope=\"row\"><a href=\"/bodies/")
        .skip(1)
        .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(names.len(), 17);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");
    assert!(leb.text.contains("aria-sort=\"ascending\""));
    assert!(
        leb.text
            .contains("<a href=\"/rankings/2021?kind=leb\">2021</a>")
    );
}

#[tokio::test]
async fn only_published_results_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (state, snapshots) = setup(&dir).await;
    // 2020 has no publication (nor data): not found.
    let none = page(&state, "/rankings/2020?lang=en", &[]).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.text.contains("nothing of it has been published"));
    // New, unpublished data for minfin change nothing on the portal.
    let published = snapshots[1]
        .bodies
        .iter()
        .find(|b| b.body == "minfin")
        .unwrap()
        .total
        .unwrap();
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    for indicator in ["bl_violations", "bp_spent"] {
        batch.observations.push((
            bagalau_core::data::Observation {
                year: 2022,
                body: "minfin".into(),
                indicator: indicator.into(),
                value: Some(0.0),
                note: None,
            },
            "unpublished.csv".into(),
        ));
    }
    state.store.apply(batch).await.unwrap();
    let en = page(&state, "/rankings/2022?lang=en", &[]).await;
    assert!(row(&en.text, "/bodies/minfin?year=2022").contains(&format!("{published:.2}")));
    let profile = page(&state, "/bodies/minfin?lang=en", &[]).await;
    assert!(profile.text.contains(&format!("{published:.2}")));
}

#[tokio::test]
async fn a_body_profile() {
    let dir = tempfile::tempdir().unwrap();
    let (state, snapshots) = setup(&dir).await;
    let p = page(&state, "/bodies/minfin?lang=en", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text.contains("<h1>Ministry of Finance</h1>"));
    assert!(
        p.text.contains("<svg class=\"chart\""),
        "a trend chart, drawn on the server"
    );
    assert_eq!(
        p.text.matches("<circle class=\"point\"").count(),
        2,
        "2021 and 2022"
    );
    assert!(p.text.contains("<caption>Scores 2022</caption>"));
    // Every criterion of the latest year is listed.
    let minfin = snapshots[1]
        .bodies
        .iter()
        .find(|b| b.body == "minfin")
        .unwrap();
    let criteria: usize = minfin
        .result
        .tree
        .children
        .iter()
        .flat_map(|b| &b.children)
        .map(|d| d.children.len())
        .sum();
    assert_eq!(p.text.matches("class=\"level-2\"").count(), criteria);
    let older = page(&state, "/bodies/minfin?year=2021&lang=ru", &[]).await;
    assert!(older.text.contains("<caption>Баллы 2021</caption>"));
    assert_eq!(
        page(&state, "/bodies/nowhere", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&state, "/bodies/minfin?year=2019", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir).await;
    for uri in [
        "/rankings/2022",
        "/bodies/minfin",
        "/static/site.css",
        "/api/v1/health",
        "/nowhere",
    ] {
        let p = page(&state, uri, &[]).await;
        let csp = p.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(
            p.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
        assert_eq!(p.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
    }
    let css = page(&state, "/static/site.css", &[]).await;
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    // Names are escaped: nothing from the data becomes markup.
    let p = page(
        &state,
        "/rankings/2022?lang=en&kind=%3Cscript%3E&sort=%22%3E%3Cscript%3E",
        &[],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.text.contains("<script"));
}

async fn bytes(state: &AppState, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router(state.clone())
        .oneshot(
            Request::builder()
                .uri(uri)
                .header(header::HOST, "data.example.kz")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn open_data_downloads_and_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let (state, snapshots) = setup(&dir).await;
    let p = page(&state, "/open-data?lang=en", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    for format in ["csv", "json", "xlsx", "parquet"] {
        assert!(
            p.text
                .contains(&format!("href=\"/open-data/2022/v1/rankings.{format}\"")),
            "{}",
            p.text
        );
    }
    // Rankings as CSV: one row per body, totals as published.
    let (status, headers, csv) = bytes(&state, "/open-data/2022/v1/rankings.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "year,version,kind,rank,body_id,name_kk,name_ru,name_en,total,goals,interaction,organization,band,demonstration"
    );
    assert_eq!(lines.clone().count(), snapshots[1].bodies.len());
    let minfin = lines.find(|l| l.contains(",minfin,")).unwrap();
    let total: f64 = minfin.split(',').nth(8).unwrap().parse().unwrap();
    assert_eq!(
        Some(total),
        snapshots[1]
            .bodies
            .iter()
            .find(|b| b.body == "minfin")
            .unwrap()
            .total,
        "the exact published value"
    );
    // Every element of every body as JSON, through the address that follows corrections.
    let (status, headers, json) = bytes(&state, "/open-data/2022/latest/scores.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    let rows: serde_json::Value = serde_json::from_slice(&json).unwrap();
    fn count(n: &bagalau_core::score::Node) -> usize {
        1 + n.children.iter().map(count).sum::<usize>()
    }
    let nodes: usize = snapshots[1]
        .bodies
        .iter()
        .map(|b| count(&b.result.tree))
        .sum();
    assert_eq!(rows.as_array().unwrap().len(), nodes);
    assert_eq!(rows[0]["level"], "total");
    let (status, headers, xlsx) = bytes(&state, "/open-data/2021/v1/rankings.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(xlsx.starts_with(b"PK"), "a zip container");
    let (status, headers, parquet) = bytes(&state, "/open-data/2022/v1/rankings.parquet").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.apache.parquet"
    );
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    for missing in [
        "/open-data/2022/v2/rankings.csv",
        "/open-data/2020/v1/rankings.csv",
        "/open-data/2022/v1/secrets.csv",
        "/open-data/2022/v1/rankings.exe",
    ] {
        assert_eq!(
            bytes(&state, missing).await.0,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    // The catalogue names every version and its files at absolute addresses.
    let (status, headers, catalogue) = bytes(&state, "/open-data/catalog.jsonld").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/ld+json");
    let c: serde_json::Value = serde_json::from_slice(&catalogue).unwrap();
    let datasets = c["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 2);
    assert_eq!(
        datasets[1]["dcat:distribution"].as_array().unwrap().len(),
        12
    );
    assert_eq!(
        datasets[1]["dcat:distribution"][0]["dcat:downloadURL"]["@id"],
        "http://data.example.kz/open-data/2022/v1/rankings.csv"
    );
    assert!(
        datasets[1]["dct:identifier"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[tokio::test]
async fn the_methodology_and_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir).await;
    let latest = page(&state, "/methodology", &[]).await;
    assert_eq!(latest.headers[header::LOCATION], "/methodology/2022");
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let p = page(&state, "/methodology/2022?lang=en", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text.contains("<h1>Methodology 2022</h1>"));
    // Every criterion with its rule.
    for (_, _, c) in m.criteria() {
        assert!(
            p.text.contains(&format!("<tr id=\"c-{}\">", c.id)),
            "{}",
            c.id
        );
    }
    assert_eq!(p.text.matches("<tr id=\"c-").count(), m.criteria().count());
    let (_, _, first) = m.criteria().next().unwrap();
    assert!(
        p.text.contains(&askama_escape(&first.rule_text)),
        "{}",
        first.rule_text
    );
    assert!(p.text.contains("href=\"/methodology/2022/changes\""));
    let ru = page(&state, "/methodology/2022?lang=ru", &[]).await;
    assert!(ru.text.contains("<h1>Методика 2022</h1>"));
    // The changes from 2021 are those of the core's diff.
    let before = pack::load(bagalau_demo::PACKS[2].0, bagalau_demo::PACKS[2].1).unwrap();
    let changes = bagalau_core::diff::diff(&before, &m);
    assert!(!changes.is_empty());
    let c = page(&state, "/methodology/2022/changes?lang=en", &[]).await;
    assert!(c.text.contains("<h1>What changed from 2021 to 2022</h1>"));
    assert_eq!(
        c.text.matches("<tr><th scope=\"row\">").count(),
        changes.len()
    );
    assert_eq!(
        page(&state, "/methodology/2021/changes", &[]).await.status,
        StatusCode::NOT_FOUND,
        "no 2020 pack"
    );
    assert_eq!(
        page(&state, "/methodology/1999", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // A draft methodology is not public; adopted, it is.
    let (file, text) = bagalau_demo::PACKS[4];
    let draft = pack::load(file, text).unwrap();
    assert_eq!(draft.year, 2023);
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.packs.push(Document {
        file_name: file.to_string(),
        text: text.to_string(),
        parsed: draft,
    });
    state.store.apply(batch).await.unwrap();
    for hidden in ["/methodology/2023", "/methodology/2023/changes"] {
        assert_eq!(
            page(&state, hidden, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{hidden}"
        );
    }
    let latest = page(&state, "/methodology", &[]).await;
    assert_eq!(latest.headers[header::LOCATION], "/methodology/2022");
    state
        .store
        .apply(ImportBatch {
            at: NOW.into(),
            actor: "test".into(),
            pack_adoptions: vec![2023],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page(&state, "/methodology/2023", &[]).await.status,
        StatusCode::OK
    );
    let latest = page(&state, "/methodology", &[]).await;
    assert_eq!(latest.headers[header::LOCATION], "/methodology/2023");
}

/// The HTML escaping askama applies to text.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_corrected_version_says_what_changed_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let (state, snapshots) = setup(&dir).await;
    let mut corrected = snapshots[1].clone();
    let minfin = corrected
        .bodies
        .iter_mut()
        .find(|b| b.body == "minfin")
        .unwrap();
    let before = minfin.total.unwrap();
    minfin.total = Some(before - 1.5);
    let (content, hash) = corrected.canonical();
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.publications.push((
        Publication {
            year: 2022,
            version: 2,
            content_sha256: hash,
            published_at: "2026-02-25T10:00:00+00:00".into(),
            published_by: "test".into(),
            reason: Some("court ruling of 20 February".into()),
        },
        content,
    ));
    state.store.apply(batch).await.unwrap();
    let p = page(&state, "/rankings/2022?lang=en", &[]).await;
    assert!(
        p.text.contains("Version 2, published 25 February 2026"),
        "{}",
        p.text
    );
    assert!(p.text.contains("Correction: court ruling of 20 February"));
    assert!(
        p.text.contains(&format!(
            "<li>minfin: total {before:.2} → {:.2}",
            before - 1.5
        )),
        "{}",
        p.text
    );
    assert!(row(&p.text, "/bodies/minfin?year=2022").contains(&format!("{:.2}", before - 1.5)));
    // Version 1 stays downloadable as it was.
    let (_, _, v1) = bytes(&state, "/open-data/2022/v1/rankings.csv").await;
    assert!(
        String::from_utf8(v1)
            .unwrap()
            .contains(&format!(",{before},"))
    );
    // The kind filter links.
    assert!(p.text.contains(
        "<a href=\"/rankings/2022?sort=rank&#38;kind=leb\">Local executive bodies (akimats)</a>"
    ));
}
