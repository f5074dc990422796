//! The evidence file store: what is accepted, what is refused (and that a
//! refusal writes nothing), and that stored content is found by its hash only.

use bagalau_store::blobs::BlobStore;
use bagalau_store::blobs::testing::Moto;
use bagalau_store::files::{FileError, FileStore};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00PE\x00\x00";
const ELF: &[u8] =
    b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00";

/// A blob-store backend to run the same tests on: a local directory, or
/// a bucket of a real S3-compatible server (moto's, when
/// `BAGALAU_TEST_MOTO` names its `moto_server` program).
enum Backend {
    Local(tempfile::TempDir),
    S3(Moto),
}

impl Backend {
    fn all() -> Vec<Backend> {
        let mut out = vec![Backend::Local(tempfile::tempdir().unwrap())];
        out.extend(Moto::from_env().map(Backend::S3));
        out
    }

    fn blobs(&self, prefix: &str) -> BlobStore {
        match self {
            Backend::Local(dir) => {
                BlobStore::open(&dir.path().join(prefix).display().to_string()).unwrap()
            }
            Backend::S3(moto) => moto.blobs("evidence", prefix),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Backend::Local(_) => "local",
            Backend::S3(_) => "s3",
        }
    }
}

async fn stored(blobs: &BlobStore) -> usize {
    blobs.list("").await.unwrap().len()
}

#[tokio::test]
async fn accepted_files_are_stored_once_under_their_hash() {
    for backend in Backend::all() {
        accepted_files(&backend).await;
    }
}

async fn accepted_files(backend: &Backend) {
    let blobs = backend.blobs("accepted");
    let store = FileStore::on(blobs.clone(), 1024);
    let a = store.put("Отчёт 2023.PDF", PDF).await.unwrap();
    assert_eq!(
        (a.media_type.as_str(), a.size, a.file_name.as_str()),
        ("application/pdf", PDF.len(), "Отчёт 2023.PDF")
    );
    assert_eq!(a.sha256, bagalau_core::hash::sha256_hex(PDF));
    assert_eq!(
        store.put("copy.pdf", PDF).await.unwrap().sha256,
        a.sha256,
        "the same content is one file"
    );
    assert_eq!(
        store.put("chart.png", PNG).await.unwrap().media_type,
        "image/png"
    );
    assert_eq!(
        store
            .put("values.csv", "body,value\nminfin,4\n".as_bytes())
            .await
            .unwrap()
            .media_type,
        "text/csv"
    );
    assert_eq!(stored(&blobs).await, 3, "{}", backend.name());
    // Kept under their SHA-256, nothing else: `ab/abcdef…`.
    let mut keys: Vec<String> = [PDF, PNG, "body,value\nminfin,4\n".as_bytes()]
        .iter()
        .map(|b| {
            let h = bagalau_core::hash::sha256_hex(b);
            format!("{}/{h}", &h[..2])
        })
        .collect();
    keys.sort();
    assert_eq!(blobs.list("").await.unwrap(), keys, "{}", backend.name());
    assert_eq!(store.get(&a.sha256).await.unwrap().as_deref(), Some(PDF));
    assert_eq!(store.get(&"0".repeat(64)).await.unwrap(), None);

    // Another server on the same store (two `bagalau serve` behind one
    // load balancer) finds what this one kept.
    let other = FileStore::on(backend.blobs("accepted"), 1024);
    assert_eq!(other.get(&a.sha256).await.unwrap().as_deref(), Some(PDF));
    assert_eq!(other.put("again.pdf", PDF).await.unwrap().sha256, a.sha256);
    assert_eq!(stored(&blobs).await, 3, "{}", backend.name());
}

#[tokio::test]
async fn bad_files_are_refused_and_nothing_is_written() {
    for backend in Backend::all() {
        bad_files(&backend).await;
    }
}

async fn bad_files(backend: &Backend) {
    let blobs = backend.blobs("refused");
    let store = FileStore::on(blobs.clone(), 128);
    let refused = |name: &str, bytes: &[u8]| store.check(name, bytes).unwrap_err();
    // What `check` refuses, `put` refuses before writing.
    assert!(matches!(
        store.put("report.pdf", EXE).await,
        Err(FileError::Disguised { .. })
    ));
    assert!(matches!(
        refused("report.pdf", EXE),
        FileError::Disguised { .. }
    ));
    assert_eq!(
        refused("report.pdf", EXE).to_string(),
        "report.pdf: the name says `.pdf` but the content is `application/vnd.microsoft.portable-executable`"
    );
    assert!(
        matches!(refused("data.csv", ELF), FileError::Disguised { .. }),
        "a program is not text"
    );
    assert!(matches!(
        refused("photo.png", PDF),
        FileError::Disguised { .. }
    ));
    assert_eq!(
        refused("tool.exe", EXE).to_string(),
        "tool.exe: files of type `.exe` are not accepted (accepted: pdf, png, jpg, jpeg, xlsx, docx, ods, odt, csv)"
    );
    assert!(matches!(
        refused("noextension", PDF),
        FileError::TypeNotAllowed { .. }
    ));
    assert_eq!(
        refused("big.csv", &[b'a'; 129]).to_string(),
        "big.csv: 129 bytes is over the limit of 128 bytes"
    );
    assert!(matches!(refused("empty.csv", b""), FileError::Empty { .. }));
    assert!(matches!(
        refused("../../etc/passwd.csv", b"x"),
        FileError::BadName { .. }
    ));
    assert!(matches!(
        refused("a\\b.csv", b"x"),
        FileError::BadName { .. }
    ));
    assert_eq!(
        stored(&blobs).await,
        0,
        "{}: a refused file leaves nothing behind",
        backend.name()
    );
}

#[tokio::test]
async fn only_a_hash_names_a_stored_file() {
    for backend in Backend::all() {
        only_a_hash(&backend).await;
    }
}

async fn only_a_hash(backend: &Backend) {
    let blobs = backend.blobs("evidence");
    let store = FileStore::on(blobs.clone(), 1024);
    if let Backend::Local(dir) = backend {
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    }
    for bad in [
        "../secret.txt",
        "..",
        "",
        "ABCDEF",
        &"g".repeat(64),
        &format!("../{}", "a".repeat(61)),
    ] {
        assert!(
            matches!(store.get(bad).await, Err(FileError::BadHash(_))),
            "{bad}"
        );
    }
    // Content changed behind the store's back is not served.
    let a = store.put("r.pdf", PDF).await.unwrap();
    blobs
        .put(
            &format!("{}/{}", &a.sha256[..2], a.sha256),
            b"%PDF-1.4 forged".to_vec(),
        )
        .await
        .unwrap();
    assert!(store.get(&a.sha256).await.is_err(), "{}", backend.name());
}
