//! One fixture per diagnostic code: the code appears with the expected
//! severity, the exit code follows, and the human output is snapshotted.

use super::common::{Workspace, check, codes};

/// (case folder = code, severity, exit code)
const CASES: &[(&str, &str, i32)] = &[
    ("yaml-syntax", "error", 1),
    ("duplicate-key", "error", 1),
    ("non-string-key", "error", 1),
    ("yaml-aliases", "error", 1),
    ("yaml-tag", "error", 1),
    ("yaml-too-deep", "error", 1),
    ("multiple-documents", "error", 1),
    ("empty-file", "error", 1),
    ("not-a-declaration", "error", 1),
    ("misplaced-kind", "error", 1),
    ("unsupported-api-version", "error", 1),
    ("unknown-kind", "error", 1),
    ("unknown-field", "error", 1),
    ("missing-field", "error", 1),
    ("missing-expiry", "error", 1),
    ("invalid-type", "error", 1),
    ("invalid-value", "error", 1),
    ("conflicting-fields", "error", 1),
    ("invalid-pattern", "error", 1),
    ("duplicate-name", "error", 1),
    ("name-mismatch", "error", 1),
    ("unknown-owner", "error", 1),
    ("owner-without-members", "error", 1),
    ("unknown-environment", "error", 1),
    ("expires-before-created", "error", 1),
    ("lifetime-exceeded", "error", 1),
    ("missing-justification", "error", 1),
    ("unanchored-pattern", "error", 1),
    ("weak-key", "error", 1),
    ("invalid-public-key", "error", 1),
    ("disallowed-auth-method", "error", 1),
    ("federation-preferred", "warning", 0),
    ("missing-vendor", "error", 1),
    ("third-party-write", "warning", 0),
    ("permission-ceiling", "error", 1),
    ("missing-audience", "error", 1),
    ("disallowed-issuer", "error", 1),
    ("disallowed-audience", "error", 1),
    ("broad-subject", "error", 1),
    ("unprotected-production", "error", 1),
    ("disallowed-type", "error", 1),
    ("disallowed-team", "error", 1),
    ("reused-credential", "error", 1),
    ("confusable-name", "error", 1),
    ("interactive-identity", "error", 1),
    ("human-subject", "error", 1),
    ("unpinned-signer", "error", 1),
    ("unscoped-signing", "error", 1),
    ("guardrail-loosened", "error", 1),
    ("created-in-future", "warning", 0),
    ("expired", "warning", 0),
    ("expires-soon", "note", 0),
    ("ignored-yml-file", "warning", 0),
];

#[test]
fn base_registry_is_clean() {
    let ws = Workspace::base();
    let out = check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn every_case_reports_its_code() {
    let mut failures = Vec::new();
    for &(case, severity, exit) in CASES {
        let ws = Workspace::case(case);
        let json = check(&ws, &["--format", "json"]);
        let found = codes(&json.stdout);
        if !found.contains(&(case.to_owned(), severity.to_owned())) {
            failures.push(format!(
                "{case}: expected {severity} `{case}`, got {found:?}"
            ));
        }
        if json.code != exit {
            failures.push(format!("{case}: exit {} instead of {exit}", json.code));
        }
        // A broken file never hides findings elsewhere: the base stays loaded.
        let summary: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
        if summary["summary"]["declarations"].as_u64().unwrap_or(0) < 4 {
            failures.push(format!("{case}: the base declarations did not all load"));
        }
        let human = check(&ws, &[]);
        assert_eq!(human.code, exit, "{case}: human and JSON exit codes differ");
        insta::assert_snapshot!(format!("case_{case}"), human.transcript());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lapsed_entries_fail_only_when_strict_or_changed() {
    let ws = Workspace::case("expired");
    let default = check(&ws, &["--format", "json"]);
    assert_eq!(default.code, 0);
    assert!(codes(&default.stdout).contains(&("expired".into(), "warning".into())));

    let strict = check(&ws, &["--format", "json", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(codes(&strict.stdout).contains(&("expired".into(), "error".into())));

    // The PR touches the lapsed file: it must be dealt with in that PR.
    let touched = check(
        &ws,
        &[
            "--format",
            "json",
            "--changed",
            "identities/platform/lapsed.yaml",
        ],
    );
    assert_eq!(touched.code, 1, "{}", touched.stdout);

    // The PR touches something else: the lapsed entry stays a warning.
    let other = check(
        &ws,
        &[
            "--format",
            "json",
            "--changed",
            "identities/platform/deploy-bot.yaml",
        ],
    );
    assert_eq!(other.code, 0);

    // The same list from stdin, as `git diff --name-only | tenure check --changed-from -`.
    let piped = ws
        .tenure()
        .args([
            "check",
            "identities",
            "--now",
            super::common::NOW,
            "--format",
            "json",
            "--changed-from",
            "-",
        ])
        .stdin("README.md\nidentities/platform/lapsed.yaml\n")
        .run();
    assert_eq!(piped.code, 1, "{}", piped.stdout);
}

#[test]
fn the_clock_decides_lapsed_and_soon() {
    let ws = Workspace::base();
    // deploy-bot expires 2027-03-01: inside the 30-day window on 2027-02-10,
    // still valid through 1 March, lapsed on 2 March.
    let soon = ws
        .tenure()
        .args(["check", "identities", "--format", "json"])
        .env("TENURE_NOW", "2027-02-10")
        .run();
    assert!(codes(&soon.stdout).contains(&("expires-soon".into(), "note".into())));
    let last_day = ws
        .tenure()
        .args([
            "check",
            "identities",
            "--format",
            "json",
            "--now",
            "2027-03-01T23:59:59Z",
        ])
        .run();
    assert!(!codes(&last_day.stdout).iter().any(|(c, _)| c == "expired"));
    let lapsed = ws
        .tenure()
        .args([
            "check",
            "identities",
            "--format",
            "json",
            "--now",
            "2027-03-02",
        ])
        .run();
    assert!(codes(&lapsed.stdout).iter().any(|(c, _)| c == "expired"));
}

#[test]
fn broken_team_does_not_cascade_into_unknown_owner() {
    let ws = Workspace::base();
    ws.write(
        "teams/platform.yaml",
        "apiVersion: tenure/v1\nkind: Team\nmetadata: [\n",
    );
    let out = check(&ws, &["--format", "json"]);
    let found = codes(&out.stdout);
    assert!(found.iter().any(|(c, _)| c == "yaml-syntax"));
    assert!(
        !found.iter().any(|(c, _)| c == "unknown-owner"),
        "{found:?}"
    );
}

#[test]
fn all_findings_in_one_run() {
    let ws = Workspace::base();
    ws.write("platform/a.yaml", "a: [\n");
    ws.write("platform/b.yaml", "apiVersion: tenure/v1\nkind: Nope\n");
    ws.write(
        "platform/c.yaml",
        std::fs::read_to_string(
            super::common::fixtures().join("unknown-owner/identities/platform/orphan.yaml"),
        )
        .expect("fixture"),
    );
    let out = check(&ws, &["--format", "json"]);
    let found: Vec<String> = codes(&out.stdout).into_iter().map(|(c, _)| c).collect();
    for code in [
        "yaml-syntax",
        "unknown-kind",
        "unknown-owner",
        "name-mismatch",
    ] {
        assert!(
            found.iter().any(|c| c == code),
            "missing {code} in {found:?}"
        );
    }
}

#[test]
fn errors_inside_optional_sections_are_precise() {
    let ws = Workspace::base();
    let text =
        std::fs::read_to_string(ws.registry().join("platform/deploy-bot.yaml")).expect("read");
    ws.write(
        "platform/deploy-bot.yaml",
        text.replace("    subject:", "    subjet:").replace(
            "workflow: .github/workflows/deploy.yml",
            "workflow: deploy.yml",
        ),
    );
    let out = check(&ws, &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error[unknown-field]: unknown field `subjet` in `spec.federation`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `subject`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`spec.github.workflow` does not match"),
        "{}",
        out.stderr
    );
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn registry_settings_are_owned_by_a_declared_team() {
    let ws = Workspace::base();
    let text = std::fs::read_to_string(ws.registry().join("tenure.yaml")).expect("read");
    ws.write(
        "tenure.yaml",
        text.replace("owner: security", "owner: secops"),
    );
    let out = check(&ws, &["--format", "json"]);
    assert_eq!(out.code, 1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["diagnostics"][0]["code"], "unknown-owner");
    assert_eq!(report["diagnostics"][0]["file"], "identities/tenure.yaml");
}

#[test]
fn broken_settings_do_not_invent_environment_findings() {
    let ws = Workspace::case("unknown-environment");
    ws.write(
        "tenure.yaml",
        "apiVersion: tenure/v1\nkind: Registry\nmetadata: [\n",
    );
    let out = check(&ws, &["--format", "json"]);
    let found = codes(&out.stdout);
    assert!(found.iter().any(|(c, _)| c == "yaml-syntax"));
    assert!(
        !found.iter().any(|(c, _)| c == "unknown-environment"),
        "{found:?}"
    );
}

/// Every code a rule emits has a fixture case above; the clean base registry
/// is every rule's passing case.
#[test]
fn every_rule_code_has_a_fixture_case() {
    let missing: Vec<&str> = tenure_schema::rules::ALL
        .iter()
        .flat_map(|rule| rule.codes.iter())
        .map(|code| code.as_str())
        .filter(|code| !CASES.iter().any(|(case, ..)| case == code))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture case: {missing:?}"
    );
}
