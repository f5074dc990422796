//! A real S3-compatible server for tests: moto's server mode, started on a
//! free port when `BAGALAU_TEST_MOTO` names its `moto_server` program, and
//! stopped when dropped.

use crate::BlobStore;

/// A moto server with one bucket per test that asks for one.
#[derive(Debug)]
pub struct Moto {
    child: std::process::Child,
    port: u16,
}

impl Moto {
    /// The server named by `BAGALAU_TEST_MOTO`, started; none (with a
    /// note on standard error) when the variable is not set.
    pub fn from_env() -> Option<Moto> {
        match std::env::var("BAGALAU_TEST_MOTO") {
            Ok(program) if !program.is_empty() => Some(Moto::start(&program)),
            _ => {
                eprintln!("BAGALAU_TEST_MOTO is not set: the S3 backend is not tested");
                None
            }
        }
    }

    /// Starts `program` on a free port and waits until it answers.
    ///
    /// # Panics
    /// When the server cannot be started or does not answer: a test
    /// harness, not product code.
    pub fn start(program: &str) -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = std::process::Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let moto = Moto { child, port };
        for _ in 0..100 {
            if moto.request("GET / HTTP/1.1").is_some() {
                return moto;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("{program} did not answer on port {port}");
    }

    /// One plain HTTP request without a body; the status line's code.
    fn request(&self, line: &str) -> Option<u16> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        write!(
            stream,
            "{line}\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok()?;
        answer.split_whitespace().nth(1)?.parse().ok()
    }

    /// The options that reach this server (`object_store`'s keys).
    pub fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", format!("http://127.0.0.1:{}", self.port)),
            ("aws_allow_http", "true".into()),
            ("aws_access_key_id", "test".into()),
            ("aws_secret_access_key", "test".into()),
            ("aws_region", "us-east-1".into()),
        ]
        .map(|(k, v)| (k.to_string(), v))
        .to_vec()
    }

    /// The store at `s3://BUCKET/PREFIX` on this server, the bucket made
    /// if it is new.
    ///
    /// # Panics
    /// When the bucket cannot be made or opened.
    pub fn blobs(&self, bucket: &str, prefix: &str) -> BlobStore {
        let made = self.request(&format!("PUT /{bucket} HTTP/1.1"));
        assert!(
            matches!(made, Some(200 | 409)),
            "moto did not make the bucket {bucket}: {made:?}"
        );
        BlobStore::open_with(&format!("s3://{bucket}/{prefix}"), self.options())
            .expect("a bucket on moto")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
