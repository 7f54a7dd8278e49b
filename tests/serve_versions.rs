//! The service serves every version of a policy folder: a case is decided by the version in
//! force on its date (as `eval` chooses), `version=V` pins one, `/v1/policies` lists them all,
//! a reload swaps the whole set, and letters of logged decisions are rendered with the logged
//! case's facts by the logged version. The fixture is the library-lending policy in two version
//! folders: the second takes effect on 2026-06-01 and lends six books instead of five.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;
use support::*;

const V1: &str = "2026-01-01";
const V2: &str = "2026-06-01";
/// A letter frame naming the reader by card number, so letters show the case's own facts.
const WORDING: &str = "\nlet card = reader.id \"读者证号\" | \"card\"\nwording {\n  authority \"市图书馆\" | \"City Library\"\n  addressee \"{card}：\" | \"To {card}:\"\n}\n";

/// Write one version folder of the fixture: its `version` and `effective`, and its loan limit.
fn write_version(root: &Path, version: &str, limit: u32) -> PathBuf {
    let dir = root.join(version);
    copy_policy(FIXTURE, &dir);
    let rules = dir.join("lending.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    assert!(text.contains("version   2026-01-01\n  effective 2026-01-01"));
    assert!(text.contains("let limit = 5 "));
    let text = text
        .replace(
            "version   2026-01-01\n  effective 2026-01-01",
            &format!("version   {version}\n  effective {version}"),
        )
        .replace("let limit = 5 ", &format!("let limit = {limit} "))
        + WORDING;
    std::fs::write(&rules, text).unwrap();
    dir
}

/// A reader with `n` books on loan on `as_of`.
fn reader(n: usize, as_of: &str) -> String {
    let loans: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"book":"B{i}","due_on":"2027-12-01"}}"#))
        .collect();
    format!(
        r#"{{"as_of":"{as_of}","reader":{{"id":"CARD-7","student":false,"unpaid_fines":"0","loans":[{}]}}}}"#,
        loans.join(",")
    )
}

/// Fields drop in this order: the server stops before its folder is removed.
struct Fixture {
    server: Server,
    policy: PathBuf,
    dir: TempDir,
}

fn start() -> Fixture {
    let dir = temp_dir("versions");
    let policy = dir.join("policy");
    write_version(&policy, V1, 5);
    write_version(&policy, V2, 6);
    let db = dir.join("log.sqlite");
    let server = Server::start(
        &[
            "--policy",
            policy.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        &[],
    );
    Fixture {
        server,
        policy,
        dir,
    }
}

/// `rulebook eval` on the same folder and case, for comparison.
fn eval_cli(policy: &Path, case: &str, extra: &[&str]) -> String {
    let dir = temp_dir("versions-case");
    let file = dir.join("case.json");
    std::fs::write(&file, case).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["eval", "--policy", policy.to_str().unwrap()])
        .args(extra)
        .arg("--facts")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !out.stdout.is_empty(),
        "eval wrote nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A record without its `id` (the service's only addition to `eval`'s record).
fn without_id(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("id");
    v
}

fn outcome(record: &serde_json::Value) -> &str {
    record["decisions"][0]["outcome"].as_str().unwrap()
}

#[test]
fn each_case_is_decided_by_the_version_in_force_on_its_date_or_the_pinned_one() {
    let f = start();
    let s = &f.server;
    let policies = get(&s.url("/v1/policies")).json();
    let versions = policies["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{policies}");
    let (d1, d2) = (
        versions[0]["digest"].as_str().unwrap(),
        versions[1]["digest"].as_str().unwrap(),
    );
    assert_ne!(d1, d2);

    // Five books: over the limit before 2026-06-01, within it from that day.
    let before = reader(5, "2026-05-31");
    let after = reader(5, "2026-06-01");
    let r = post_json(&s.url("/v1/decisions?decision=borrow"), &before);
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = r.json();
    assert_eq!(rec["policy"]["version"], V1);
    assert_eq!(rec["policy"]["digest"], d1);
    assert_eq!(outcome(&rec), "refused");
    let r = post_json(&s.url("/v1/decisions?decision=borrow"), &after);
    let rec = r.json();
    assert_eq!(rec["policy"]["version"], V2);
    assert_eq!(rec["policy"]["digest"], d2);
    assert_eq!(outcome(&rec), "allowed");
    // The query's as_of chooses too, as `eval --as-of` does.
    let rec = post_json(
        &s.url("/v1/decisions?decision=borrow&as_of=2026-06-02"),
        &before,
    )
    .json();
    assert_eq!(rec["policy"]["version"], V2);
    assert_eq!(outcome(&rec), "allowed");

    // The log names the version and digest used.
    let listed = get(&s.url("/v1/decisions?limit=3")).json();
    let logged: Vec<(&str, &str)> = listed["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["version"].as_str().unwrap(),
                d["digest"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(logged, vec![(V2, d2), (V2, d2), (V1, d1)]);

    // Each record is the one `eval` writes for the same folder and case (but for the id).
    for (case, pin) in [(&before, None), (&after, None), (&after, Some(V1))] {
        let mut url = "/v1/decisions?decision=borrow".to_string();
        let mut extra = vec!["--decision", "borrow"];
        if let Some(v) = pin {
            url.push_str(&format!("&version={v}"));
            extra.extend(["--version", v]);
        }
        let served = post_json(&s.url(&url), case).json();
        let cli: serde_json::Value =
            serde_json::from_str(&eval_cli(&f.policy, case, &extra)).unwrap();
        assert_eq!(without_id(served), cli, "{url}");
    }

    // Pinning the first version decides a later case by its rules (with its window).
    let pinned = post_json(
        &s.url(&format!("/v1/decisions?decision=borrow&version={V1}")),
        &after,
    )
    .json();
    assert_eq!(pinned["policy"]["version"], V1);
    assert_eq!(pinned["policy"]["digest"], d1);
    assert_ne!(outcome(&pinned), "allowed");

    // An unknown version is a 400 that lists the real ones.
    let r = post_json(&s.url("/v1/decisions?version=2099-01-01"), &before);
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "bad_query");
    let msg = r.message();
    assert!(msg.contains(&format!("{V1}, {V2}")), "{msg}");

    // A batch chooses per line.
    let body = format!("{before}\n{after}\n");
    let r = post(
        &s.url("/v1/batch?decision=borrow"),
        "application/x-ndjson",
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let lines: Vec<serde_json::Value> = r
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["policy"]["version"], V1);
    assert_eq!(outcome(&lines[0]), "refused");
    assert_eq!(lines[1]["policy"]["version"], V2);
    assert_eq!(outcome(&lines[1]), "allowed");
    std::fs::remove_dir_all(&f.dir).ok();
}

#[test]
fn policies_list_every_version_and_a_reload_swaps_the_whole_set() {
    let f = start();
    let s = &f.server;
    let p = get(&s.url("/v1/policies")).json();
    let v = &p["versions"];
    assert_eq!(v[0]["version"], V1);
    assert_eq!(v[0]["window"]["from"], V1);
    // The second version ends the first's window on the day before it takes effect.
    assert_eq!(v[0]["window"]["until"], "2026-05-31");
    assert_eq!(v[1]["version"], V2);
    assert_eq!(v[1]["window"]["from"], V2);
    assert_eq!(v[1]["window"]["until"], "2028-05-31");
    for x in v.as_array().unwrap() {
        assert!(x["digest"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(x["coverage"]["articles"], 4, "{x}");
        assert_eq!(x["decisions"][0], "borrow");
    }
    // Which one is in force today depends on the clock: exactly one of them, or none.
    let in_force = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["in_force"] == true)
        .count();
    assert!(in_force <= 1, "{p}");
    assert_eq!(p["last_reload"]["ok"], true);

    // A third version is added: the set is reloaded as a whole.
    write_version(&f.policy, "2027-01-01", 7);
    assert!(
        eventually(Duration::from_secs(15), || {
            get(&s.url("/v1/policies")).json()["versions"]
                .as_array()
                .is_some_and(|a| a.len() == 3)
        }),
        "the third version was not loaded: {}",
        get(&s.url("/v1/policies")).body
    );
    let p = get(&s.url("/v1/policies")).json();
    assert_eq!(p["versions"][1]["window"]["until"], "2026-12-31");
    let seven = reader(6, "2027-02-01");
    let rec = post_json(&s.url("/v1/decisions?decision=borrow"), &seven).json();
    assert_eq!(rec["policy"]["version"], "2027-01-01");
    assert_eq!(outcome(&rec), "allowed");
    // A version that fails `check` keeps the whole last good set, and says why.
    std::fs::write(
        f.policy.join("2027-01-01").join("lending.rules"),
        "policy {",
    )
    .unwrap();
    assert!(eventually(Duration::from_secs(15), || {
        get(&s.url("/v1/policies")).json()["last_reload"]["ok"] == false
    }));
    let p = get(&s.url("/v1/policies")).json();
    assert_eq!(p["versions"].as_array().unwrap().len(), 3, "{p}");
    assert!(!p["last_reload"]["errors"].as_array().unwrap().is_empty());
    let rec = post_json(&s.url("/v1/decisions?decision=borrow"), &seven).json();
    assert_eq!(rec["policy"]["version"], "2027-01-01");
    std::fs::remove_dir_all(&f.dir).ok();
}

#[test]
fn letters_of_logged_decisions_use_the_logged_case_and_version() {
    let f = start();
    let s = &f.server;
    let case = reader(5, "2026-03-10");
    // POST with format=letter: the addressee is the case's card number.
    let posted = post_json(
        &s.url("/v1/decisions?decision=borrow&format=letter&lang=en"),
        &case,
    );
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert!(posted.content_type.starts_with("text/markdown"));
    assert!(posted.body.contains("To CARD-7:"), "{}", posted.body);
    let html = post_json(
        &s.url("/v1/decisions?decision=borrow&format=html&lang=zh"),
        &case,
    );
    assert_eq!(html.status, 200, "{}", html.body);
    assert!(html.content_type.starts_with("text/html"));
    assert!(html.body.contains("CARD-7："), "{}", html.body);
    assert!(html.body.contains("<html"), "{}", html.body);

    // The logged decision (made by the first version, not the one in force today) renders
    // again as the same letter, with the logged case's facts.
    let id = posted.id.clone().unwrap();
    let again = get(&s.url(&format!("/v1/decisions/{id}?format=letter&lang=en")));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body, posted.body);
    let logged = get(&s.url(&format!("/v1/decisions/{id}"))).json();
    assert_eq!(logged["version"], V1);
    let hid = html.id.clone().unwrap();
    let again = get(&s.url(&format!("/v1/decisions/{hid}?format=html&lang=zh")));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body, html.body);
    assert!(again.content_type.starts_with("text/html"));
    let r = get(&s.url(&format!("/v1/decisions/{id}?format=pdf")));
    assert_eq!(r.status, 400);

    // Once the first version's rules change, its logged decisions are not rendered again.
    let rules = f.policy.join(V1).join("lending.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, text.replace("let limit = 5 ", "let limit = 4 ")).unwrap();
    assert!(eventually(Duration::from_secs(15), || {
        get(&s.url(&format!("/v1/decisions/{id}?format=letter"))).status == 409
    }));
    let r = get(&s.url(&format!("/v1/decisions/{id}?format=letter")));
    assert_eq!(r.code(), "policy_changed");
    std::fs::remove_dir_all(&f.dir).ok();
}

/// `rulebook schema` on the same folder.
fn schema_cli(policy: &Path, version: &str) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["schema", "--policy", policy.to_str().unwrap()])
        .args(["--version", version])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_case_schema_is_the_version_in_force_or_the_one_named() {
    let f = start();
    let s = &f.server;
    for v in [V1, V2] {
        let r = get(&s.url(&format!("/v1/schema?version={v}")));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.content_type, "application/json");
        let schema = r.json();
        assert_eq!(
            schema["$id"],
            format!("urn:rulebook:city-library-lending:{v}:case").as_str()
        );
        assert_eq!(schema["required"], serde_json::json!(["as_of"]));
        assert!(schema["properties"]["reader"].is_object(), "{schema}");
        assert_eq!(schema, schema_cli(&f.policy, v));
    }
    // Without `version`: the one `/v1/policies` marks in force today (else the latest).
    let p = get(&s.url("/v1/policies")).json();
    let versions = p["versions"].as_array().unwrap();
    let today = versions
        .iter()
        .find(|x| x["in_force"] == true)
        .unwrap_or(versions.last().unwrap());
    let schema = get(&s.url("/v1/schema")).json();
    let v = today["version"].as_str().unwrap();
    assert_eq!(schema, schema_cli(&f.policy, v));
    let r = get(&s.url("/v1/schema?version=1999-01-01"));
    assert_eq!(r.status, 400);
    assert!(r.body.contains(&format!("{V1}, {V2}")), "{}", r.body);
    let r = get(&s.url("/v1/schema?lang=en"));
    assert_eq!(r.status, 400);
    std::fs::remove_dir_all(&f.dir).ok();
}
