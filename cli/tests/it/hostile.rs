//! Files built at test time: links, sizes and encodings that fixtures in Git
//! cannot hold reliably.

use super::common::{Workspace, check, codes};

fn has(out: &super::common::Output, code: &str) -> bool {
    codes(&out.stdout).iter().any(|(c, _)| c == code)
}

#[cfg(unix)]
#[test]
fn symlink_leaving_the_registry_is_rejected() {
    let ws = Workspace::base();
    let outside = ws.dir.path().join("outside.yaml");
    std::fs::write(&outside, "apiVersion: tenure/v1\n").expect("write");
    std::os::unix::fs::symlink(&outside, ws.registry().join("platform/sneaky.yaml")).expect("link");
    std::os::unix::fs::symlink(ws.dir.path(), ws.registry().join("up")).expect("dir link");
    let out = check(&ws, &["--format", "json"]);
    assert_eq!(out.code, 1);
    let found = codes(&out.stdout);
    assert_eq!(
        found
            .iter()
            .filter(|(c, _)| c == "symlink-outside-registry")
            .count(),
        2,
        "{found:?}"
    );
}

#[cfg(unix)]
#[test]
fn links_inside_the_registry_are_fine_and_dangling_ones_are_reported() {
    let ws = Workspace::base();
    std::os::unix::fs::symlink(
        ws.registry().join("platform"),
        ws.registry().join("alias-dir"),
    )
    .expect("link");
    std::os::unix::fs::symlink(
        ws.registry().join("nowhere.yaml"),
        ws.registry().join("platform/gone.yaml"),
    )
    .expect("link");
    let out = check(&ws, &["--format", "json"]);
    let found = codes(&out.stdout);
    // The folder link is not followed, so nothing is declared twice.
    assert!(
        !found.iter().any(|(c, _)| c == "duplicate-name"),
        "{found:?}"
    );
    assert!(
        found.contains(&("unreadable-file".into(), "error".into())),
        "{found:?}"
    );
}

#[test]
fn oversized_file_is_rejected_without_parsing() {
    let ws = Workspace::base();
    let mut big = String::from("apiVersion: tenure/v1\nkind: Identity\n# ");
    big.push_str(&"x".repeat(300 * 1024));
    ws.write("platform/big.yaml", big);
    let out = check(&ws, &["--format", "json"]);
    assert_eq!(out.code, 1);
    assert!(has(&out, "file-too-large"));
}

#[test]
fn invalid_utf8_names_the_line() {
    let ws = Workspace::base();
    ws.write(
        "platform/latin1.yaml",
        b"apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: caf\xe9\n",
    );
    let out = check(&ws, &[]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn byte_order_mark_is_accepted_and_spans_stay_right() {
    let ws = Workspace::base();
    let text =
        std::fs::read_to_string(ws.registry().join("platform/deploy-bot.yaml")).expect("read");
    let with_bom = format!(
        "\u{feff}{}",
        text.replace("owner: platform", "owner: nobody")
    );
    ws.write("platform/deploy-bot.yaml", with_bom);
    let out = check(&ws, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "unknown-owner");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 10);
}

#[test]
fn missing_registry_config_is_an_error() {
    let ws = Workspace::base();
    std::fs::remove_file(ws.registry().join("tenure.yaml")).expect("rm");
    let out = check(&ws, &["--format", "json"]);
    assert_eq!(out.code, 1);
    assert!(has(&out, "missing-registry-config"));
}

#[test]
fn unicode_before_an_error_keeps_columns_in_characters() {
    let ws = Workspace::base();
    ws.write(
        "platform/unicode.yaml",
        "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: unicode\n  owner: platform\n  description: \"héllo wörld ✓\"\n  labls: {}\n",
    );
    let out = check(&ws, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let unknown = report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "unknown-field")
        .expect("unknown-field reported");
    assert_eq!(unknown["line"], 7);
    assert_eq!(unknown["column"], 3);
}

fn deploy_bot(ws: &Workspace) -> String {
    std::fs::read_to_string(ws.registry().join("platform/deploy-bot.yaml")).expect("read")
}

#[test]
fn line_separators_and_controls_are_refused_and_never_echoed() {
    let ws = Workspace::base();
    // PyYAML breaks the line at U+2028: it would read a second `owner` key here.
    let text = deploy_bot(&ws).replace(
        "  owner: platform",
        "  owner: platform # c\u{2028}  owner: evil",
    );
    ws.write("platform/deploy-bot.yaml", text);
    ws.write(
        "platform/esc.yaml",
        "apiVersion: tenure/v1 # \u{1b}[2J\u{202e}\n",
    );
    let out = check(&ws, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr.matches("error[forbidden-character]").count(),
        3,
        "{}",
        out.stderr
    );
    for raw in ['\u{2028}', '\u{1b}', '\u{202e}'] {
        assert!(!out.stderr.contains(raw), "{raw:?} reached the terminal");
    }
}

#[test]
fn yaml_1_1_readings_are_refused() {
    let ws = Workspace::base();
    ws.write(
        "platform/deploy-bot.yaml",
        deploy_bot(&ws).replace("audience: sts.amazonaws.com", "audience: on"),
    );
    ws.write(
        "platform/old.yaml",
        format!("%YAML 1.1\n---\n{}", deploy_bot(&ws)),
    );
    let found = codes(&check(&ws, &["--format", "json"]).stdout);
    assert!(
        found.contains(&("ambiguous-scalar".into(), "error".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("yaml-syntax".into(), "error".into())),
        "{found:?}"
    );
}

#[test]
fn number_keys_are_refused() {
    let ws = Workspace::base();
    ws.write(
        "platform/deploy-bot.yaml",
        deploy_bot(&ws).replace("    contents: read\n", "    1: read\n    0x1: admin\n"),
    );
    assert!(has(&check(&ws, &["--format", "json"]), "non-string-key"));
}

#[test]
fn private_keys_are_refused_and_never_printed() {
    let ws = Workspace::base();
    let body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    let key = format!(
        "  key:\n    publicKey: |\n      -----BEGIN OPENSSH PRIVATE KEY-----\n      {body}\n      -----END OPENSSH PRIVATE KEY-----\n"
    );
    ws.write(
        "platform/deploy-bot.yaml",
        format!("{}{key}", deploy_bot(&ws)),
    );
    for format in ["human", "json", "github", "sarif"] {
        let out = check(&ws, &["--format", format]);
        assert_eq!(out.code, 1);
        assert!(
            !out.stdout.contains(body) && !out.stderr.contains(body),
            "{format} printed the key"
        );
        assert!(
            out.stdout.contains("secret-in-registry") || out.stderr.contains("secret-in-registry")
        );
    }
}

#[test]
fn escapes_in_keys_cannot_forge_output_lines() {
    let ws = Workspace::base();
    ws.write(
        "platform/deploy-bot.yaml",
        deploy_bot(&ws).replace(
            "    contents: read\n",
            "    \"x\\n::error file=README.md::all good\\e[2J\": read\n",
        ),
    );
    for format in ["human", "github"] {
        let out = check(&ws, &["--format", format]);
        assert_eq!(out.code, 1);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            !all.lines().any(|l| l.starts_with("::error file=README.md")),
            "{format}: {all}"
        );
        assert!(!all.contains('\u{1b}'), "{format}");
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_links_to_dot_files_are_not_read() {
    let ws = Workspace::base();
    let fifo = ws.registry().join("platform/pipe.yaml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::fs::write(
        ws.registry().join(".env"),
        "AWS_SECRET_ACCESS_KEY=abc123SECRET\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        ws.registry().join(".env"),
        ws.registry().join("platform/env.yaml"),
    )
    .expect("link");
    let out = check(&ws, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[unreadable-file]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("error[symlink-outside-registry]"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("abc123SECRET"));
}

#[test]
fn many_duplicate_keys_are_capped() {
    let ws = Workspace::base();
    ws.write("platform/flood.yaml", "a: 1\n".repeat(5000));
    let out = check(&ws, &["--format", "json"]);
    let dups = codes(&out.stdout)
        .iter()
        .filter(|(c, _)| c == "duplicate-key")
        .count();
    assert_eq!(dups, 20);
}

#[test]
fn a_private_key_on_one_quoted_line_is_hidden_too() {
    let ws = Workspace::base();
    let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    let key = format!(
        "  key:\n    publicKey: \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"\n"
    );
    ws.write(
        "platform/deploy-bot.yaml",
        format!("{}{key}", deploy_bot(&ws)),
    );
    let out = check(&ws, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[secret-in-registry]"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(body), "{}", out.stderr);
}

#[test]
fn the_words_private_key_alone_are_not_a_secret() {
    let ws = Workspace::base();
    ws.write(
        "platform/deploy-bot.yaml",
        deploy_bot(&ws).replace(
            "description: Deploys the web app to production from GitHub Actions.",
            "description: Deploys the web app; never holds a PRIVATE KEY.",
        ),
    );
    assert_eq!(check(&ws, &[]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_file_link_inside_the_registry_is_not_read_twice() {
    let ws = Workspace::base();
    std::os::unix::fs::symlink(
        ws.registry().join("platform/deploy-bot.yaml"),
        ws.registry().join("teams/deploy-bot.yaml"),
    )
    .expect("link");
    let out = check(&ws, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn credentials_in_any_field_or_comment_are_refused_and_never_printed() {
    // Assembled at run time so this file does not trip secret scanners.
    let github = format!("ghp_{}", "R4nd0mT0k3nV4lu3x".repeat(3));
    let aws_id = format!("AKIA{}", "Q7WXYZ2345ABCDEF");
    let aws_secret = "q8Zk2Lw9/Xv4Rt7Mn3Bp6Yh1Jc5Df0Gs+Ea2Wu8Ni".to_owned();
    let jwt = format!(
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvd2ViIn0.{}",
        "c2lnbmF0dXJl".repeat(4)
    );
    let ws = Workspace::base();
    ws.write(
        "platform/deploy-bot.yaml",
        format!(
            "# {aws_id} / {aws_secret}\n{}",
            deploy_bot(&ws).replace(
                "description: Deploys the web app to production from GitHub Actions.",
                &format!("description: \"token {github} and {jwt}\""),
            )
        ),
    );
    for format in ["human", "json", "github", "sarif"] {
        let out = check(&ws, &["--format", format]);
        assert_eq!(out.code, 1, "{format}");
        let all = format!("{}{}", out.stdout, out.stderr);
        for secret in [&github, &aws_id, &aws_secret, &jwt] {
            assert!(
                !all.contains(secret.as_str()),
                "{format} printed {}",
                &secret[..4]
            );
            assert!(
                !all.contains(&secret[4..16]),
                "{format} printed part of a secret"
            );
        }
        for kind in [
            "GitHub token",
            "AWS access key id",
            "JSON Web Token",
            "high-entropy string",
        ] {
            assert!(all.contains(kind), "{format}: {kind} not named in {all}");
        }
    }
}
