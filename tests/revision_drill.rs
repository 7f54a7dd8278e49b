//! A policy officer changes the revenue threshold from 5亿元 to 3亿元 in one rule file: no Rust
//! change, no rebuild, and the next decision (and its wording) follows the new text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn rulebook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn lowering_the_revenue_threshold_is_an_edit_to_one_rule_file() {
    let dir = std::env::temp_dir().join(format!("rulebook-drill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let policy = dir.join("policies/xiamen-innovation-consortium");
    std::fs::create_dir_all(&policy).unwrap();
    for e in std::fs::read_dir("policies/xiamen-innovation-consortium/2025-08-10").unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            continue;
        }
        std::fs::copy(&p, policy.join(p.file_name().unwrap())).unwrap();
    }
    // A lead with 4亿元 of main business revenue in the fiscal year before the decision.
    let mut case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("examples/eligible-filing.json").unwrap())
            .unwrap();
    case["consortium"]["members"][0]["financials"][2]["main_business_revenue"] =
        serde_json::json!("400000000");
    let case_path = dir.join("case.json");
    std::fs::write(&case_path, case.to_string()).unwrap();
    let policy_dir = dir.join("policies");
    let eval = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--policy",
            policy_dir.to_str().unwrap(),
            "--facts",
            case_path.to_str().unwrap(),
            "--decision",
            "filing",
        ];
        args.extend_from_slice(extra);
        rulebook(&args)
    };
    let run = || {
        let o = eval(&[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let d = r["decisions"][0].clone();
        let revenue = d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "lead-revenue")
            .unwrap()
            .clone();
        (
            d["outcome"].as_str().unwrap().to_string(),
            revenue,
            r["policy"]["digest"].clone(),
        )
    };

    let (outcome, finding, digest_before) = run();
    assert_eq!(outcome, "needs_review");
    assert_eq!(finding["status"], "review");
    assert_eq!(finding["cite"], "6(2)1");
    assert_eq!(finding["values"]["threshold"], "500000000");
    assert!(finding["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("原则上应达到5亿元以上（含）"));

    let file = policy.join("06-conditions.rules");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.matches("let threshold = 5亿元").count(),
        1,
        "the threshold is written once"
    );
    std::fs::write(
        &file,
        text.replace("let threshold = 5亿元", "let threshold = 3亿元"),
    )
    .unwrap();

    let check = rulebook(&["check", "--policy", policy_dir.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let (outcome, finding, digest_after) = run();
    assert_eq!(outcome, "eligible");
    assert_eq!(finding["status"], "satisfied");
    assert_eq!(finding["values"]["threshold"], "300000000");
    assert!(finding["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("原则上应达到3亿元以上（含）"));
    assert_ne!(
        digest_before, digest_after,
        "the digest traces the letter to the edited rules"
    );

    let letter = eval(&["--format", "letter"]);
    assert!(String::from_utf8_lossy(&letter.stdout).contains("符合备案条件"));
    std::fs::remove_dir_all(&dir).ok();
}
