//! The same findings in every format.

use super::common::{Workspace, check};

fn several_findings() -> Workspace {
    let ws = Workspace::case("unknown-owner");
    ws.write(
        "platform/dup-name.yaml",
        std::fs::read_to_string(ws.registry().join("platform/deploy-bot.yaml")).expect("read"),
    );
    ws
}

#[test]
fn json() {
    let out = check(&several_findings(), &["--format", "json"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn github_annotations() {
    let out = check(&several_findings(), &["--format", "github"]);
    assert_eq!(out.code, 1);
    for line in out.stdout.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error file=identities/")
                || line.starts_with("::warning file=identities/"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn sarif() {
    let out = check(&several_findings(), &["--format", "sarif"]);
    assert_eq!(out.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().expect("startLine") >= 1);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().expect("level")));
    }
    // Each rule carries its docs page as help and its OWASP risk as a tag;
    // the pages are checked elsewhere, so the snapshot elides them.
    let mut sarif = sarif;
    let mut tagged = 0;
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules")
    {
        let id = rule["id"].as_str().expect("id").to_owned();
        let code = tenure_schema::diagnostic::Code::parse(&id).expect("a known code");
        assert_eq!(rule["help"]["markdown"], code.explanation());
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        if let Some(risk) = code.owasp() {
            assert!(
                tags.contains(&format!("OWASP-{}", risk.id()).as_str()),
                "{id}: {tags:?}"
            );
            tagged += 1;
        }
        rule["help"] = serde_json::json!("(the docs page)");
    }
    assert!(tagged > 0, "some finding maps to an OWASP risk");
    insta::assert_snapshot!(serde_json::to_string_pretty(&sarif).expect("json"));
}

#[test]
fn human_with_color_has_escapes_and_without_has_none() {
    let ws = several_findings();
    let plain = check(&ws, &[]);
    assert!(!plain.stderr.contains('\u{1b}'));
    let colored = check(&ws, &["--color", "always"]);
    assert!(colored.stderr.contains('\u{1b}'));
}
