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
