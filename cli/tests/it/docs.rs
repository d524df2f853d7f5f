//! The command transcripts in `docs/src/` are real output, checked on every
//! test run, so the book cannot drift from the binary.
//!
//! # The convention
//!
//! A fenced block whose info string is `text example=NAME` is a transcript:
//!
//! ````text
//! ```text example=unknown-owner
//! $ tenure check --now 2026-11-24
//! error[unknown-owner]: owner `payment` is not a declared Team
//! ...
//! ```
//! ````
//!
//! Its last line that starts with `$ ` is the command; every line after it is
//! what the command prints. The test copies `docs/examples/NAME/` (a registry
//! in `identities/`, laid out as a reader would have it) to a scratch folder,
//! runs the command there with `NO_COLOR=1` and `COLUMNS=100`, and compares the
//! output with the block: stdout, then stderr, as a terminal shows them (one
//! command writes to only one of them), trailing whitespace on each line and
//! trailing blank lines ignored. A bare `text example` runs in an empty scratch
//! folder, for commands that need no registry (`--help`, `tenure explain`);
//! the scratch folder's path is shown as `/tmp` there.
//!
//! Renderers (mdBook, GitHub) use only the first word of the info string, so
//! the marker is invisible on the page; `tenure explain` shows it on the fence
//! line.
//!
//! The command is `[VAR=value ...] tenure ARGS`, optionally piped:
//!
//! - into `jq '.path[0].to'` (a path only) or `head -n N`, applied to stdout;
//! - from a command shown earlier in the same block with its output, such as
//!   `$ git diff --name-only origin/main...`: that command is not run, its
//!   output as written is tenure's stdin.
//!
//! A block whose last line is `...` shows only the start of the output: the
//! lines before `...` must be the first lines printed.
//!
//! Every `tenure check` of an example registry must pin the clock (`--now` or
//! `TENURE_NOW`), or its output would change with the calendar.
//!
//! # Updating the docs
//!
//! `TENURE_BLESS=1 cargo test -p tenure --test it docs` rewrites every block
//! that differs with the real output (as `schema_files_are_fresh` does for the
//! schema files). Review the diff: the prose around a block must still say
//! what the output shows.
//!
//! # What is not checked
//!
//! - Blocks listed in [`UNCHECKED`], with the reason. Any other `text` block
//!   that shows a `$ ... tenure` command without a marker fails the test, so a
//!   new transcript cannot slip in unchecked. Today the list is empty: every
//!   transcript in `docs/src/` is marked.
//! - Examples that need what a Git checkout cannot hold (symbolic links, a
//!   FIFO, a file name or bytes that are not UTF-8, `chmod 000`) or should not
//!   hold (a file over 256 KiB, a private key block, an invisible U+2028) get
//!   it from [`SETUPS`] in the scratch copy before they run. Where the platform
//!   cannot build it, the block is skipped with a message on stderr, neither
//!   failed nor rewritten:
//!   - `codes/unreadable-file.md`, the `chmod 000` block: skipped when the
//!     tests run as root, who reads the file anyway (so in root containers it
//!     is never verified);
//!   - the links (`unreadable-file.md`, `symlink-outside-registry.md`), the
//!     FIFO (`unreadable-file.md`) and the non-UTF-8 name (`invalid-utf8.md`):
//!     skipped where the OS or file system refuses them (Windows; macOS for
//!     the name).
//! - The sample output in the repository's `README.md`: it is not under
//!   `docs/src/` and has no `$ ` command line.
//! - Other `text` blocks are not transcripts: usage lists without `$ `
//!   (`tenure schema identity  # one kind`), the registry layout tree, shell
//!   lines to copy. The ```` ```yaml ```` blocks that show an example's files
//!   are not compared with `docs/examples/`; the files there were written to
//!   match them.
//! - Exit codes are not compared; the prose states them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::common::{Tenure, copy_tree};

/// Transcripts that are deliberately not run: (page under `docs/src/`, command
/// line without `$ `, why).
const UNCHECKED: &[(&str, &str, &str)] = &[];

/// Files an example needs that a Git checkout cannot hold faithfully or should
/// not hold; written into the scratch copy of `docs/examples/<example>/`.
struct Setup {
    example: &'static str,
    /// What is built, and why it is not committed.
    why: &'static str,
    /// Builds it in the scratch folder; `Err` skips the block, with the reason.
    apply: fn(&Path) -> Result<(), String>,
}

const SETUPS: &[Setup] = &[
    Setup {
        example: "git-history",
        why: "a Git history: built by scripts/fixture-repo.sh, a repository cannot be committed inside another",
        apply: |dir| {
            let build = dir.join(".build");
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/fixture-repo.sh");
            let out = std::process::Command::new("bash")
                .arg(&script)
                .arg(&build)
                .output()
                .map_err(|e| format!("cannot run fixture-repo.sh: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "fixture-repo.sh failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            for entry in std::fs::read_dir(&build).map_err(|e| e.to_string())? {
                let entry = entry.map_err(|e| e.to_string())?;
                std::fs::rename(entry.path(), dir.join(entry.file_name()))
                    .map_err(|e| e.to_string())?;
            }
            std::fs::remove_dir(&build).map_err(|e| e.to_string())
        },
    },
    Setup {
        example: "file-too-large",
        why: "a 361 KB declaration: generated rather than committed",
        apply: |dir| {
            let mut text = String::from(
                "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: payments-deploy\n  owner: payments\n  description: |\n",
            );
            for i in 0..12_000 {
                writeln!(text, "    line {i} of a pasted log").expect("write to a String");
            }
            text.push_str(SPEC);
            write(dir, "identities/payments-deploy.yaml", text)
        },
    },
    Setup {
        example: "forbidden-character",
        why: "U+2028 in a comment: invisible in the committed file, as in review",
        apply: |dir| {
            let text = DEPLOY.replace(
                "  owner: payments\n",
                "  owner: payments # maintained by payments\u{2028}  owner: security\n",
            );
            write(dir, "identities/payments-deploy.yaml", text)
        },
    },
    Setup {
        example: "secret-in-registry",
        why: "a private key block, even a fake one, trips secret scanners",
        apply: |dir| {
            // Kept out of the literal, so that this file holds no key block either.
            let marker = "PRIVATE KEY";
            let text = format!(
                "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: payments-deploy-key\n  owner: payments\n  description: Read-only deploy key of the payments repository.\nspec:\n  type: deploy-key\n  environment: ci\n  created: 2026-11-02\n  expires: 2027-05-01\n  github:\n    repository: acme/payments\n  key:\n    publicKey: |\n      -----BEGIN OPENSSH {marker}-----\n      b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n      -----END OPENSSH {marker}-----\n    readOnly: true\n"
            );
            write(dir, "identities/payments-deploy-key.yaml", text)
        },
    },
    Setup {
        example: "invalid-utf8",
        why: "Latin-1 bytes, which editors and Git filters may re-encode",
        apply: |dir| {
            let text = PLATFORM.replace("build platform.", "build platform for M\u{fc}nchen.");
            let latin1: Vec<u8> = text
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
                .collect();
            write(dir, "identities/teams/platform.yaml", latin1)
        },
    },
    Setup {
        example: "invalid-utf8-utf16",
        why: "UTF-16 with a byte-order mark, which Git treats as binary",
        apply: |dir| {
            let mut bytes = vec![0xff, 0xfe];
            bytes.extend(PLATFORM.encode_utf16().flat_map(u16::to_le_bytes));
            write(dir, "identities/teams/platform.yaml", bytes)
        },
    },
    Setup {
        example: "invalid-utf8-name",
        why: "a file name that is not UTF-8, which only some file systems accept",
        apply: |dir| {
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"m\xfcnchen.yaml");
                std::fs::write(dir.join("identities/teams").join(name), PLATFORM)
                    .map_err(|e| format!("this file system refuses the name: {e}"))
            }
            #[cfg(not(unix))]
            {
                let _ = dir;
                Err("non-UTF-8 file names need Unix".to_owned())
            }
        },
    },
    Setup {
        example: "unreadable-file",
        why: "`chmod 000`: Git keeps only the executable bit",
        apply: |dir| {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let path = dir.join("identities/teams/platform.yaml");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000))
                    .map_err(|e| e.to_string())?;
                if std::fs::File::open(&path).is_ok() {
                    return Err("the tests run as root, who reads a `chmod 000` file".to_owned());
                }
                Ok(())
            }
            #[cfg(not(unix))]
            {
                let _ = dir;
                Err("permission bits need Unix".to_owned())
            }
        },
    },
    Setup {
        example: "unreadable-file-dangling",
        why: "a symbolic link to a deleted file",
        apply: |dir| symlink("ops-2025.yaml", &dir.join("identities/teams/ops.yaml")),
    },
    Setup {
        example: "unreadable-file-fifo",
        why: "a FIFO, which Git cannot hold",
        apply: |dir| {
            let fifo = dir.join("identities/teams/ops.yaml");
            match std::process::Command::new("mkfifo").arg(&fifo).status() {
                Ok(status) if status.success() => Ok(()),
                Ok(status) => Err(format!("`mkfifo` failed: {status}")),
                Err(e) => Err(format!("no `mkfifo`: {e}")),
            }
        },
    },
    Setup {
        example: "symlink-outside-registry",
        why: "a symbolic link out of the registry",
        apply: |dir| {
            symlink(
                "../shared/payments-deploy.yaml",
                &dir.join("identities/payments-deploy.yaml"),
            )
        },
    },
    Setup {
        example: "symlink-outside-registry-hidden",
        why: "a symbolic link into a dot-folder of the registry",
        apply: |dir| {
            symlink(
                ".drafts/payments-deploy.yaml",
                &dir.join("identities/payments-deploy.yaml"),
            )
        },
    },
];

/// `docs/examples/*/identities/teams/platform.yaml`, for the setups.
const PLATFORM: &str = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: platform\n  owner: platform\n  description: Runs the build platform.\nspec:\n  members: [ada]\n";

/// `docs/examples/*/identities/payments-deploy.yaml`, for the setups.
const DEPLOY: &str = "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: payments-deploy\n  owner: payments\n  description: Deploys the payments service from main.\nspec:\n  type: github-actions\n  environment: production\n  created: 2026-11-02\n  expires: 2027-05-01\n";

/// The `spec` of [`DEPLOY`].
const SPEC: &str = "spec:\n  type: github-actions\n  environment: production\n  created: 2026-11-02\n  expires: 2027-05-01\n";

fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> Result<(), String> {
    std::fs::write(dir.join(rel), contents).map_err(|e| format!("cannot write `{rel}`: {e}"))
}

fn symlink(target: &str, link: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(target, link).map_err(|e| e.to_string())
    }
    #[cfg(not(unix))]
    {
        let _ = (target, link);
        Err("symbolic links need Unix".to_owned())
    }
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

/// Every `*.md` file under `dir`, in path order.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list docs folder")
        .map(|e| e.expect("docs folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// A fenced code block: line indexes of its fences, and its info string.
struct Fence {
    open: usize,
    close: usize,
    info: String,
}

fn fences(lines: &[String]) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let ticks = lines[i].len() - lines[i].trim_start_matches('`').len();
        if ticks < 3 {
            i += 1;
            continue;
        }
        let info = lines[i][ticks..].trim().to_owned();
        let close = (i + 1..lines.len())
            .find(|&j| {
                let t = lines[j].trim_end();
                t.len() >= ticks && t.bytes().all(|b| b == b'`')
            })
            .unwrap_or(lines.len());
        out.push(Fence {
            open: i,
            close,
            info,
        });
        i = close + 1;
    }
    out
}

/// What a transcript asks for.
#[derive(Debug, Default)]
struct Invocation {
    env: Vec<(String, String)>,
    args: Vec<String>,
    stdin: Option<String>,
    filters: Vec<Filter>,
}

#[derive(Debug)]
enum Filter {
    /// `jq '.a[0].b'`: the value at a path, pretty-printed.
    Jq(Vec<Step>),
    /// `head -n N`.
    Head(usize),
}

#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Shell words, with `|` as a word of its own. Quotes group; no expansions.
fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                words.extend(word.take());
            }
            '|' => {
                words.extend(word.take());
                words.push("|".to_owned());
            }
            '\'' | '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some(ch) => w.push(ch),
                        None => return Err(format!("unclosed quote in `{line}`")),
                    }
                }
            }
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

fn jq_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                steps.push(Step::Key(r[..end].to_owned()));
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or("unclosed `[` in the jq path")?;
            let index = r[..end].parse().map_err(|_| "jq indexes are numbers")?;
            steps.push(Step::Index(index));
            rest = &r[end + 1..];
        } else {
            return Err(format!("unsupported jq filter `{path}`: only paths"));
        }
    }
    Ok(steps)
}

/// Parse the command of a transcript; `shown` are the commands shown before
/// it in the block, with their output.
fn parse_command(line: &str, shown: &[(String, Vec<String>)]) -> Result<Invocation, String> {
    let words = shell_words(line)?;
    let mut segments: Vec<&[String]> = words.split(|w| w == "|").collect();
    let mut inv = Invocation::default();
    let tenure_at = segments
        .iter()
        .position(|s| s.iter().any(|w| w == "tenure"))
        .ok_or("no `tenure` command")?;
    if tenure_at > 1 {
        return Err("at most one command may feed tenure".to_owned());
    }
    if tenure_at == 1 {
        let producer = segments[0].join(" ");
        let (_, output) = shown
            .iter()
            .find(|(cmd, _)| shell_words(cmd).map(|w| w.join(" ")).ok() == Some(producer.clone()))
            .ok_or_else(|| {
                format!("`{producer}` feeds tenure but is not shown earlier in the block")
            })?;
        inv.stdin = Some(output.iter().map(|l| format!("{l}\n")).collect());
    } else if let Some((cmd, _)) = shown.first() {
        return Err(format!("`{cmd}` is shown but does not feed tenure"));
    }
    let mut rest = segments.split_off(tenure_at);
    let mut tenure = rest.remove(0).iter();
    for word in tenure.by_ref() {
        if word == "tenure" {
            break;
        }
        let (key, value) = word
            .split_once('=')
            .ok_or_else(|| format!("`{word}` before `tenure` is not VAR=value"))?;
        inv.env.push((key.to_owned(), value.to_owned()));
    }
    inv.args = tenure.cloned().collect();
    for filter in rest {
        let filter: Vec<&str> = filter.iter().map(String::as_str).collect();
        inv.filters.push(match filter.as_slice() {
            ["jq", path] => Filter::Jq(jq_path(path)?),
            ["head", "-n", n] => Filter::Head(n.parse().map_err(|_| "`head -n` needs a number")?),
            other => return Err(format!("unsupported filter `{}`", other.join(" "))),
        });
    }
    Ok(inv)
}

fn apply(filter: &Filter, text: &str) -> Result<String, String> {
    match filter {
        Filter::Head(n) => Ok(text.lines().take(*n).map(|l| format!("{l}\n")).collect()),
        Filter::Jq(steps) => {
            let mut value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("jq: not JSON: {e}"))?;
            for step in steps {
                value = match step {
                    Step::Key(k) => value[k.as_str()].take(),
                    Step::Index(i) => value[*i].take(),
                };
            }
            let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            Ok(pretty + "\n")
        }
    }
}

/// Why a block was not run.
struct Skip(String);

/// Run a transcript's command in a scratch copy of its example; the output as
/// a terminal shows it.
fn run(example: Option<&str>, inv: &Invocation) -> Result<Result<String, Skip>, String> {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path();
    if let Some(name) = example {
        let source = docs_dir().join("examples").join(name);
        if !source.is_dir() {
            return Err(format!("no example folder `docs/examples/{name}/`"));
        }
        copy_tree(&source, dir);
        if let Some(setup) = SETUPS.iter().find(|s| s.example == name)
            && let Err(reason) = (setup.apply)(dir)
        {
            return Ok(Err(Skip(format!("{}: {reason}", setup.why))));
        }
    }
    let is_check = inv.args.first().is_some_and(|a| a == "check");
    let help = inv.args.iter().any(|a| a == "--help" || a == "-h");
    let pinned = inv
        .args
        .iter()
        .any(|a| a == "--now" || a.starts_with("--now="))
        || inv.env.iter().any(|(k, _)| k == "TENURE_NOW");
    if example.is_some() && is_check && !help && !pinned {
        return Err(
            "pin the clock with `--now` or `TENURE_NOW`: the output must not change with the calendar"
                .to_owned(),
        );
    }
    let mut tenure = Tenure::new(dir).args(&inv.args);
    for (key, value) in &inv.env {
        tenure = tenure.env(key, value);
    }
    if let Some(input) = &inv.stdin {
        tenure = tenure.stdin(input);
    }
    let out = tenure.run();
    let mut stdout = out.stdout;
    for filter in &inv.filters {
        stdout = apply(filter, &stdout)?;
    }
    let mut text = stdout + &out.stderr;
    // Only the empty scratch folder can show up, in "no registry found".
    for shown in [dir.canonicalize().ok(), Some(dir.to_path_buf())]
        .into_iter()
        .flatten()
    {
        text = text.replace(&*shown.to_string_lossy(), "/tmp");
    }
    Ok(Ok(text))
}

/// Lines as compared: trailing whitespace and trailing blank lines dropped.
fn normalize<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = lines.into_iter().map(|l| l.trim_end().to_owned()).collect();
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Where a page stands after checking its blocks.
#[derive(Default)]
struct Report {
    checked: usize,
    skipped: Vec<String>,
    stale: Vec<String>,
    broken: Vec<String>,
    used_examples: std::collections::BTreeSet<String>,
    used_unchecked: std::collections::BTreeSet<usize>,
}

/// Check (or, with `bless`, rewrite) the transcripts of one page; returns the
/// page's new text when it changed.
fn check_page(path: &Path, rel: &str, bless: bool, report: &mut Report) -> Option<String> {
    let text = std::fs::read_to_string(path).expect("read docs page");
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut changed = false;
    // Bottom-up, so that rewriting a block keeps the line numbers of those above.
    for fence in fences(&lines).into_iter().rev() {
        let mut info = fence.info.split_whitespace();
        if info.next() != Some("text") {
            continue;
        }
        let example = info
            .find(|w| *w == "example" || w.starts_with("example="))
            .map(|w| w.strip_prefix("example=").map(str::to_owned));
        let body = &lines[fence.open + 1..fence.close];
        let at = format!("{rel}:{}", fence.open + 1);
        let Some(last) = body.iter().rposition(|l| l.starts_with("$ ")) else {
            if example.is_some() {
                report.broken.push(format!("{at}: no `$ ` command line"));
            }
            continue;
        };
        let command = body[last][2..].to_owned();
        let Some(example) = example else {
            if body
                .iter()
                .any(|l| l.starts_with("$ ") && l.contains("tenure"))
            {
                match UNCHECKED
                    .iter()
                    .position(|(page, cmd, _)| *page == rel && *cmd == command)
                {
                    Some(i) => {
                        report.used_unchecked.insert(i);
                    }
                    None => report.broken.push(format!(
                        "{at}: `{command}` is not checked; mark the block `text example=NAME` or list it in UNCHECKED"
                    )),
                }
            }
            continue;
        };
        if !body[0].starts_with("$ ") {
            report
                .broken
                .push(format!("{at}: a transcript starts with its `$ ` command"));
            continue;
        }
        let mut shown = Vec::new();
        for (i, line) in body[..last].iter().enumerate() {
            if let Some(cmd) = line.strip_prefix("$ ") {
                let output = body[i + 1..last]
                    .iter()
                    .take_while(|l| !l.starts_with("$ "))
                    .cloned()
                    .collect();
                shown.push((cmd.to_owned(), output));
            }
        }
        let inv = match parse_command(&command, &shown) {
            Ok(inv) => inv,
            Err(e) => {
                report.broken.push(format!("{at}: {e}"));
                continue;
            }
        };
        if let Some(name) = &example {
            report.used_examples.insert(name.clone());
        }
        let actual = match run(example.as_deref(), &inv) {
            Ok(Ok(actual)) => actual,
            Ok(Err(Skip(reason))) => {
                report.skipped.push(format!("{at}: `{command}`: {reason}"));
                continue;
            }
            Err(e) => {
                report.broken.push(format!("{at}: `{command}`: {e}"));
                continue;
            }
        };
        report.checked += 1;
        let written = &body[last + 1..];
        let prefix_only = written.last().is_some_and(|l| l.trim_end() == "...");
        let mut expected = normalize(written.iter().map(String::as_str));
        let mut actual = normalize(actual.lines());
        if prefix_only {
            expected.pop();
            actual.truncate(expected.len());
        }
        if actual == expected {
            continue;
        }
        if let Some(bad) = actual
            .iter()
            .find(|l| l.starts_with("```") || l.starts_with("$ "))
        {
            report
                .broken
                .push(format!("{at}: output line `{bad}` would break the block"));
            continue;
        }
        if bless {
            let mut new_body: Vec<String> = body[..=last].to_vec();
            new_body.extend(actual);
            if prefix_only {
                new_body.push("...".to_owned());
            }
            lines.splice(fence.open + 1..fence.close, new_body);
            changed = true;
        } else {
            let mut diff = format!("{at}: `{command}` prints something else:\n");
            let width = expected.len().max(actual.len());
            for i in 0..width {
                let (e, a) = (expected.get(i), actual.get(i));
                if e != a {
                    let _ = writeln!(diff, "  line {}:", i + 1);
                    let _ = writeln!(diff, "    docs:   {}", e.map_or("(none)", |s| s));
                    let _ = writeln!(diff, "    actual: {}", a.map_or("(none)", |s| s));
                }
            }
            report.stale.push(diff);
        }
    }
    changed.then(|| lines.join("\n"))
}

#[test]
fn docs_transcripts_match_the_binary() {
    let bless = std::env::var_os("TENURE_BLESS").is_some();
    let src = docs_dir().join("src");
    let mut pages = Vec::new();
    markdown_files(&src, &mut pages);
    assert!(!pages.is_empty(), "no pages under {}", src.display());
    let mut report = Report::default();
    for page in &pages {
        let rel = page
            .strip_prefix(&src)
            .expect("page under docs/src")
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(new_text) = check_page(page, &rel, bless, &mut report) {
            std::fs::write(page, new_text).expect("rewrite docs page");
            eprintln!("blessed {rel}");
        }
    }
    // Nothing stale in the tables that drive the test.
    let mut examples: Vec<String> = std::fs::read_dir(docs_dir().join("examples"))
        .expect("list docs/examples")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    examples.sort();
    for name in examples {
        if !report.used_examples.contains(&name) {
            report.broken.push(format!(
                "docs/examples/{name}/ is used by no `text example={name}` block"
            ));
        }
    }
    for setup in SETUPS {
        if !report.used_examples.contains(setup.example) {
            report
                .broken
                .push(format!("SETUPS: `{}` is used by no block", setup.example));
        }
    }
    for (i, (page, cmd, _)) in UNCHECKED.iter().enumerate() {
        if !report.used_unchecked.contains(&i) {
            report
                .broken
                .push(format!("UNCHECKED: no block `{cmd}` in {page}"));
        }
    }
    for skipped in &report.skipped {
        eprintln!("skipped {skipped}");
    }
    eprintln!(
        "{} transcripts checked, {} skipped",
        report.checked,
        report.skipped.len()
    );
    let mut problems = report.broken.join("\n");
    if !report.stale.is_empty() {
        if !problems.is_empty() {
            problems.push_str("\n\n");
        }
        problems.push_str(&report.stale.join("\n"));
        problems.push_str(
            "\nrun `TENURE_BLESS=1 cargo test -p tenure --test it docs` and review the diff",
        );
    }
    assert!(problems.is_empty(), "docs transcripts:\n{problems}");
}
