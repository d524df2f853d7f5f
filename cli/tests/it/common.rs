//! Running the binary against fixture registries copied into a temp folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The pinned clock of every test.
pub(crate) const NOW: &str = "2026-11-24";

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copy a folder tree (fixtures, docs examples) into a scratch folder.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A scratch folder holding `identities/`: the base registry with the files of
/// `case` laid over it.
pub(crate) struct Workspace {
    pub(crate) dir: tempfile::TempDir,
}

impl Workspace {
    pub(crate) fn base() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&fixtures().join("base"), dir.path());
        Self { dir }
    }

    pub(crate) fn case(case: &str) -> Self {
        let ws = Self::base();
        copy_tree(&fixtures().join(case), ws.dir.path());
        ws
    }

    pub(crate) fn registry(&self) -> PathBuf {
        self.dir.path().join("identities")
    }

    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.registry().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }

    pub(crate) fn tenure(&self) -> Tenure {
        Tenure::new(self.dir.path())
    }
}

/// A `tenure` invocation with a clean environment and the pinned clock.
pub(crate) struct Tenure {
    cmd: Command,
    stdin: Option<String>,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Output {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub(crate) fn transcript(&self) -> String {
        format!(
            "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Tenure {
    pub(crate) fn new(cwd: &Path) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tenure"));
        cmd.current_dir(cwd)
            .env_remove("TENURE_NOW")
            .env_remove("GITHUB_ACTIONS")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100");
        Self { cmd, stdin: None }
    }

    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub(crate) fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub(crate) fn stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.to_owned());
        self
    }

    pub(crate) fn run(mut self) -> Output {
        use std::io::Write;
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn tenure");
        if let Some(input) = self.stdin.take() {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait for tenure");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }
}

/// `tenure check identities --now NOW <extra>` in `ws`.
pub(crate) fn check(ws: &Workspace, extra: &[&str]) -> Output {
    ws.tenure()
        .args(["check", "identities", "--now", NOW])
        .args(extra)
        .run()
}

/// The codes in a JSON report.
pub(crate) fn codes(json: &str) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_str(json).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["severity"].as_str().expect("severity").to_owned(),
            )
        })
        .collect()
}
