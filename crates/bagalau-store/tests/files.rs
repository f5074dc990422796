//! The evidence file store: what is accepted, what is refused (and that a
//! refusal writes nothing), and that stored content is found by its hash only.

use bagalau_store::files::{FileError, FileStore};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00PE\x00\x00";
const ELF: &[u8] =
    b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00";

fn files_in(dir: &std::path::Path) -> usize {
    walk(dir).into_iter().filter(|p| p.is_file()).count()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn accepted_files_are_stored_once_under_their_hash() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path(), 1024).unwrap();
    let a = store.put("Отчёт 2023.PDF", PDF).unwrap();
    assert_eq!(
        (a.media_type.as_str(), a.size, a.file_name.as_str()),
        ("application/pdf", PDF.len(), "Отчёт 2023.PDF")
    );
    assert_eq!(a.sha256, bagalau_core::hash::sha256_hex(PDF));
    assert_eq!(
        store.put("copy.pdf", PDF).unwrap().sha256,
        a.sha256,
        "the same content is one file"
    );
    assert_eq!(store.put("chart.png", PNG).unwrap().media_type, "image/png");
    assert_eq!(
        store
            .put("values.csv", "body,value\nminfin,4\n".as_bytes())
            .unwrap()
            .media_type,
        "text/csv"
    );
    assert_eq!(files_in(dir.path()), 3);
    assert_eq!(store.get(&a.sha256).unwrap().as_deref(), Some(PDF));
    assert_eq!(store.get(&"0".repeat(64)).unwrap(), None);
}

#[test]
fn bad_files_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path(), 128).unwrap();
    let refused = |name: &str, bytes: &[u8]| store.put(name, bytes).unwrap_err();
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
        files_in(dir.path()),
        0,
        "a refused file leaves nothing behind"
    );
}

#[test]
fn only_a_hash_names_a_stored_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path().join("evidence"), 1024).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    for bad in [
        "../secret.txt",
        "..",
        "",
        "ABCDEF",
        &"g".repeat(64),
        &format!("../{}", "a".repeat(61)),
    ] {
        assert!(
            matches!(store.get(bad), Err(FileError::BadHash(_))),
            "{bad}"
        );
    }
    // Content changed on disk behind the store's back is not served.
    let a = store.put("r.pdf", PDF).unwrap();
    let path = dir
        .path()
        .join("evidence")
        .join(&a.sha256[..2])
        .join(&a.sha256);
    std::fs::write(&path, b"%PDF-1.4 forged").unwrap();
    assert!(store.get(&a.sha256).is_err());
}
