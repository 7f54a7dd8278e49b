//! The decision service end to end: the real `rulebook serve` process on a loopback port, a
//! real HTTP client, the fixture policy (a library's lending rules), a real SQLite log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{Read, Write};
use std::time::Duration;
use support::*;

fn start(extra: &[&str]) -> (Server, std::path::PathBuf) {
    let dir = temp_dir("serve");
    let db = dir.join("log.sqlite");
    let mut args = vec!["--policy", FIXTURE, "--db", db.to_str().unwrap()];
    args.extend_from_slice(extra);
    let mut server = Server::start(&args, &[]);
    server.keep(dir);
    (server, db)
}

fn outcome(record: &serde_json::Value, decision: &str) -> String {
    record["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["decision"] == decision)
        .unwrap_or_else(|| panic!("no {decision} in {record}"))["outcome"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Read from a raw connection until `marker` shows up or it closes (retrying interrupted reads).
fn read_until(c: &mut std::net::TcpStream, marker: &str) -> String {
    let mut out = String::new();
    let mut buf = [0u8; 65536];
    while !out.contains(marker) {
        match c.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("read: {e}; so far: {out}"),
        }
    }
    out
}

#[test]
fn a_decision_is_logged_with_its_exact_bytes_and_read_back() {
    let (s, _) = start(&[]);
    let r = post_json(&s.url("/v1/decisions?decision=borrow"), READER);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "application/json");
    let id = r.id.clone().expect("X-Decision-Id");
    let record = r.json();
    assert_eq!(record["id"], id.as_str());
    assert_eq!(outcome(&record, "borrow"), "allowed");
    assert_eq!(record["as_of"], "2026-03-10");
    // The record is what `eval` gives, but for the id.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args([
            "eval",
            "--policy",
            FIXTURE,
            "--decision",
            "borrow",
            "--facts",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(READER.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let mut from_cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let mut served = record.clone();
    served.as_object_mut().unwrap().remove("id");
    from_cli.as_object_mut().unwrap().remove("id");
    assert_eq!(served, from_cli);

    let logged = get(&s.url(&format!("/v1/decisions/{id}")));
    assert_eq!(logged.status, 200, "{}", logged.body);
    let l = logged.json();
    assert_eq!(l["id"], id.as_str());
    assert_eq!(l["record"], record);
    // The log keeps (and hashes) the compact record; the answer is it indented.
    assert_eq!(
        l["record_sha256"],
        sha256(compact(&r.body).as_bytes()).as_str()
    );
    assert_eq!(
        l["case"],
        serde_json::from_str::<serde_json::Value>(READER).unwrap()
    );
    assert_eq!(l["outcomes"]["borrow"], "allowed");
    assert_eq!(l["version"], "2026-01-01");
    assert!(l["digest"].as_str().unwrap().starts_with("sha256:"));

    let missing = get(&s.url("/v1/decisions/0000000000000000000000000000"));
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (404, "not_found")
    );
    let junk = get(&s.url("/v1/decisions/..%2f..%2fetc"));
    assert_eq!(junk.status, 404);
}

#[test]
fn the_log_lists_newest_first_with_filters_and_pages() {
    let (s, _) = start(&[]);
    let mut ids = Vec::new();
    for case in [READER, OWES, READER, OWES, READER] {
        let r = post_json(&s.url("/v1/decisions?decision=borrow"), case);
        assert_eq!(r.status, 200);
        ids.push(r.id.unwrap());
    }
    let all = get(&s.url("/v1/decisions")).json();
    let listed = listed_ids(&all);
    let newest_first: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(listed, newest_first);
    assert_eq!(all["next"], serde_json::Value::Null);

    let refused = get(&s.url("/v1/decisions?decision=borrow&outcome=refused")).json();
    let refused = listed_ids(&refused);
    assert_eq!(refused, vec![ids[3].as_str(), ids[1].as_str()]);

    // Pages of two, following `next`.
    let mut seen = Vec::new();
    let mut url = s.url("/v1/decisions?limit=2");
    loop {
        let page = get(&url).json();
        for d in page["decisions"].as_array().unwrap() {
            seen.push(d["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => url = s.url(&format!("/v1/decisions?limit=2&after={n}")),
            None => break,
        }
    }
    assert_eq!(seen, ids.iter().rev().cloned().collect::<Vec<_>>());

    let today = get(&s.url("/v1/decisions?since=2000-01-01")).json();
    assert_eq!(today["decisions"].as_array().unwrap().len(), 5);
    let future = get(&s.url("/v1/decisions?since=2999-01-01")).json();
    assert_eq!(future["decisions"].as_array().unwrap().len(), 0);
    let bad = get(&s.url("/v1/decisions?since=yesterday"));
    assert_eq!((bad.status, bad.code().as_str()), (400, "bad_query"));
    // A mistyped filter is a 400 naming the values there are, not an empty listing.
    let typo = get(&s.url("/v1/decisions?decision=borow"));
    assert_eq!((typo.status, typo.code().as_str()), (400, "bad_query"));
    let msg = typo.message();
    assert!(
        msg.contains("\"borow\"") && msg.ends_with("borrow, fines"),
        "{msg}"
    );
    let typo = get(&s.url("/v1/decisions?decision=borrow&outcome=refuse"));
    assert_eq!(typo.status, 400, "{}", typo.body);
    let msg = typo.message();
    assert!(
        msg.contains("\"refuse\"") && msg.ends_with("allowed, closed, refused, undetermined"),
        "{msg}"
    );
    // An outcome alone is checked against every decision's.
    assert_eq!(
        listed_ids(&get(&s.url("/v1/decisions?outcome=refused")).json()).len(),
        2
    );
}

/// A filter naming a decision of a version no longer loaded still lists what the log holds
/// under it; only a name neither loaded nor logged is a 400.
#[test]
fn the_log_lists_decisions_of_versions_no_longer_loaded() {
    let dir = temp_dir("serve-old-names");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap();
    let s = Server::start(&["--policy", FIXTURE, "--db", db_s], &[]);
    assert_eq!(
        post_json(&s.url("/v1/decisions?decision=borrow"), OWES).status,
        200
    );
    drop(s);
    // The same log served with another policy, which has no decision `borrow`.
    let s = Server::start(
        &["--policy", "tests/fixtures/garden-plots", "--db", db_s],
        &[],
    );
    let listed = get(&s.url("/v1/decisions?decision=borrow&outcome=refused"));
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed_ids(&listed.json()).len(), 1);
    let typo = get(&s.url("/v1/decisions?decision=borow"));
    assert_eq!((typo.status, typo.code().as_str()), (400, "bad_query"));
}

/// A path the service has, asked with another method: 405 with the JSON error body every other
/// error has, and the `Allow` header.
#[test]
fn a_wrong_method_is_a_405_in_json_with_allow() {
    let (s, _) = start(&[]);
    for (method, path, allow) in [
        ("PUT", "/v1/decisions", "GET,POST"),
        ("DELETE", "/v1/decisions/0", "GET"),
        ("GET", "/v1/batch", "POST"),
    ] {
        let req = ureq::http::Request::builder()
            .method(method)
            .uri(s.url(path))
            .body(())
            .unwrap();
        let r = agent()
            .configure_request(req)
            .allow_non_standard_methods(true)
            .build();
        let r = agent().run(r).unwrap();
        let mut allowed: Vec<String> = r
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(',')
            .map(|m| m.trim().to_string())
            .filter(|m| m != "HEAD")
            .collect();
        allowed.sort();
        assert_eq!(allowed.join(","), allow, "{method} {path}");
        let r = reply(Ok(r));
        assert_eq!(r.status, 405, "{method} {path}: {}", r.body);
        assert!(
            r.content_type.starts_with("application/json"),
            "{}",
            r.content_type
        );
        assert_eq!(r.code(), "method_not_allowed");
    }
}

#[test]
fn text_and_letters_are_served_and_rendered_again_from_the_log() {
    let (s, _) = start(&[]);
    let r = post_json(
        &s.url("/v1/decisions?decision=borrow&format=letter&lang=en"),
        OWES,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type.starts_with("text/markdown"));
    let id = r.id.clone().unwrap();
    let again = get(&s.url(&format!("/v1/decisions/{id}?format=letter&lang=en")));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body, r.body);
    let text = post_json(&s.url("/v1/decisions?decision=borrow&format=text"), OWES);
    assert_eq!(text.status, 200);
    assert!(text.content_type.starts_with("text/plain"));
    let text_again = get(&s.url(&format!("/v1/decisions/{}?format=text", text.id.unwrap())));
    assert_eq!(text_again.body, text.body);
}

/// `letter_number` and `letter_date` work as `eval --letter-number/--letter-date`: the service's
/// letter, and the one made again from the log, are the CLI's letter byte for byte.
#[test]
fn a_letter_carries_the_number_and_date_asked_for() {
    let (s, _) = start(&[]);
    let q =
        "letter_number=%E5%9B%BE%E5%87%BD%E3%80%942026%E3%80%957%E5%8F%B7&letter_date=2026-03-12";
    let r = post_json(
        &s.url(&format!("/v1/decisions?decision=borrow&format=letter&{q}")),
        OWES,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let cli = run_with_stdin(
        &[
            "eval",
            "--policy",
            FIXTURE,
            "--facts",
            "-",
            "--decision",
            "borrow",
            "--format",
            "letter",
            "--letter-number",
            "图函〔2026〕7号",
            "--letter-date",
            "2026-03-12",
        ],
        OWES.as_bytes(),
    );
    assert_eq!(r.body, String::from_utf8(cli.stdout).unwrap());
    assert!(
        r.body.contains("图函〔2026〕7号") && r.body.contains("2026年3月12日"),
        "{}",
        r.body
    );
    let id = r.id.unwrap();
    let again = get(&s.url(&format!("/v1/decisions/{id}?format=letter&{q}")));
    assert_eq!((again.status, &again.body), (200, &r.body));
    // The HTML letter carries them too; JSON has no letter to carry them, and a bad date is named.
    let html = get(&s.url(&format!("/v1/decisions/{id}?format=html&{q}")));
    assert!(html.body.contains("图函〔2026〕7号"), "{}", html.body);
    let long = format!("format=letter&letter_number={}", "N".repeat(101));
    for (query, word) in [
        ("letter_number=X", "format=letter"),
        ("format=letter&letter_date=2026-02-30", "letter_date"),
        ("format=letter&letter_date=2026-2-3", "letter_date"),
        ("format=letter&letter_number=%20", "letter_number"),
        ("format=letter&letter_number=N%E2%80%AE7", "letter_number"),
        (long.as_str(), "letter_number"),
    ] {
        let bad = post_json(&s.url(&format!("/v1/decisions?{query}")), OWES);
        assert_eq!(
            (bad.status, bad.code().as_str()),
            (400, "bad_query"),
            "{query}"
        );
        assert!(bad.body.contains(word), "{query}: {}", bad.body);
    }
}

#[test]
fn a_batch_streams_records_with_ids_and_lines_and_logs_them() {
    let (s, _) = start(&[]);
    let body = format!("{READER}\n\n{{not json\n{OWES}\n");
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
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(outcome(&lines[0], "borrow"), "allowed");
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[1]["error"].as_str().unwrap().len() > 3);
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(outcome(&lines[2], "borrow"), "refused");
    for l in [&lines[0], &lines[2]] {
        let id = l["id"].as_str().unwrap();
        let logged = get(&s.url(&format!("/v1/decisions/{id}"))).json();
        assert_eq!(&logged["record"], l);
    }
    // A batch over its limit is refused up front when it says its length.
    let (small, _) = start(&["--max-batch-bytes", "1000"]);
    let big = format!("{READER}\n").repeat(20);
    let r = post(
        &small.url("/v1/batch"),
        "application/x-ndjson",
        big.as_bytes(),
    );
    assert_eq!((r.status, r.code().as_str()), (413, "body_too_large"));
}

/// A batch of many groups (decided side by side) answers every line in input order, as
/// `eval --batch` does byte for byte but for the ids, with `record=lean` too; every answered
/// line is in the log with its full record, and no decided line is missing from the log.
#[test]
fn a_batch_of_many_groups_answers_in_order_and_logs_every_line() {
    let (s, db) = start(&[]);
    // 1,000 lines: readers with 0 to 6 books (allowed, then refused over 5), a bad line every
    // 97th, so that lines, outcomes and errors interleave across groups of 64. The first group
    // is the slowest to decide (400 books a reader): groups sent as they finish, not in order,
    // would put it last.
    let mut body = String::new();
    for i in 1..=1000usize {
        if i % 97 == 0 {
            body.push_str("{not json\n");
        } else {
            let books = if i <= 64 { 400 } else { i % 7 };
            body.push_str(&loans_case(books, &format!("R{i}")));
            body.push('\n');
        }
    }
    for record in ["full", "lean"] {
        let served = post(
            &s.url(&format!("/v1/batch?decision=borrow&record={record}")),
            "application/x-ndjson",
            body.as_bytes(),
        );
        assert_eq!(served.status, 200);
        let cli = run_with_stdin(
            &[
                "eval",
                "--policy",
                FIXTURE,
                "--decision",
                "borrow",
                "--record",
                record,
                "--batch",
                "-",
            ],
            body.as_bytes(),
        );
        let cli = String::from_utf8(cli.stdout).unwrap();
        let mut ids = Vec::new();
        let without_ids: String = served
            .body
            .lines()
            .map(|l| match l.strip_prefix(r#"{"id":""#) {
                Some(rest) => {
                    let end = rest.find("\",").unwrap();
                    ids.push(rest[..end].to_string());
                    format!("{{{}\n", &rest[end + 2..])
                }
                None => format!("{l}\n"),
            })
            .collect();
        assert_eq!(without_ids, cli, "record={record}");
        assert_eq!(served.body.lines().count(), 1000);
        assert_eq!(ids.len(), 1000 - 10);
        // Ids are drawn in line order, so that the log lists a batch as it was sent.
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ids);
        // Every id answered is logged, with the full record (whatever the answer's form).
        for id in ids.iter().step_by(37) {
            let logged = get(&s.url(&format!("/v1/decisions/{id}"))).json();
            let findings = logged["record"]["decisions"][0]["findings"]
                .as_array()
                .unwrap();
            assert!(findings.iter().any(|f| f["status"] == "satisfied"), "{id}");
        }
    }
    // Read beside the running service (WAL): its folder goes when it stops.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM decisions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2 * 990);
    drop(s);
}

/// A client that asks `Expect: 100-continue` before a batch's body (curl does over 1 MiB) gets
/// the `100 Continue` at once, not the answer's head first, which made curl wait a second
/// before sending the body.
#[test]
fn a_batch_sent_after_expect_100_continue_gets_the_100_first() {
    use std::io::Write;
    let (s, _) = start(&[]);
    let body = format!("{READER}\n{OWES}\n");
    let mut c = sent_head(
        &s.addr(),
        &format!("POST /v1/batch?decision=borrow HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n", body.len()),
    );
    let head = read_until(&mut c, "\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 100 Continue\r\n"), "{head}");
    c.write_all(body.as_bytes()).unwrap();
    let answer = read_until(&mut c, "\"line\":2");
    assert!(answer.contains("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\"line\":1"), "{answer}");

    // A body over the limit, announced with Expect: refused at once, without a 100 that would
    // ask for the body only to throw it away.
    let (small, _) = start(&["--max-batch-bytes", "1000", "--timeout", "2"]);
    let mut c = sent_head(
        &small.addr(),
        "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n",
    );
    let head = read_until(&mut c, "\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    // Headers and then no body: the request timeout answers 408.
    let mut c = sent_head(
        &small.addr(),
        "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 500\r\n\r\n",
    );
    let head = read_until(&mut c, "\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
}

/// A connection to `addr` that has sent `head` (a request's head and nothing after it), whose
/// reads give up after 20 s.
fn sent_head(addr: &str, head: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    c.write_all(head.as_bytes()).unwrap();
    c
}

/// A reader with `n` books on loan, as a case file on one line.
fn loans_case(n: usize, id: &str) -> String {
    let loans: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"book":"B{i}","due_on":"2026-04-01"}}"#))
        .collect();
    format!(
        r#"{{"as_of":"2026-03-10","reader":{{"id":"{id}","student":false,"unpaid_fines":"0","loans":[{}]}}}}"#,
        loans.join(",")
    )
}

/// `POST /v1/batch` answers "as `eval --batch`": the same lines skipped as blank (white space,
/// a byte order mark, an ideographic space, a vertical tab), a CRLF line read as its text, a
/// last line without its end read as it is (its `\r` kept, as `BufRead::lines` keeps it), and
/// the same words for a line that is not UTF-8 or not JSON. Byte for byte, once the ids (which
/// only the service gives) are taken out.
#[test]
fn a_batch_reads_its_lines_as_eval_batch_does() {
    let (s, _) = start(&[]);
    let mut body = Vec::new();
    for line in [
        READER.as_bytes(),
        b"",
        b"   \t",
        "\u{feff}".as_bytes(),
        "\u{3000}".as_bytes(),
        b"\x0b",
        b"\xff\xfe{}",
        b"{not json",
        OWES.as_bytes(),
    ] {
        body.extend_from_slice(line);
        body.extend_from_slice(b"\r\n");
    }
    // The last line without its end: a string left open, and a `\r` in it.
    body.extend_from_slice(br#"{"as_of":"2026-03-10","reader":{"id":"R"#);
    body.push(b'\r');
    let served = post(
        &s.url("/v1/batch?decision=borrow"),
        "application/x-ndjson",
        &body,
    );
    assert_eq!(served.status, 200, "{}", served.body);
    let cli = run_with_stdin(
        &[
            "eval",
            "--policy",
            FIXTURE,
            "--decision",
            "borrow",
            "--batch",
            "-",
        ],
        &body,
    );
    let cli = String::from_utf8(cli.stdout).unwrap();
    // The service's records begin `{"id":"…",`; taken out, the rest is the CLI's line.
    let without_ids: String = served
        .body
        .lines()
        .map(|l| match l.strip_prefix(r#"{"id":""#) {
            Some(rest) => format!("{{{}\n", &rest[rest.find("\",").unwrap() + 2..]),
            None => format!("{l}\n"),
        })
        .collect();
    assert_eq!(without_ids, cli);
    // What both said: lines 1 and 9 decided, 7, 8 and 10 errors, the blank ones skipped.
    let lines: Vec<serde_json::Value> = cli
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 7, 8, 9, 10]);
    assert_eq!(outcome(&lines[0], "borrow"), "allowed");
    assert_eq!(
        lines[1]["error"],
        "the line cannot be read: stream did not contain valid UTF-8"
    );
    assert_eq!(outcome(&lines[3], "borrow"), "refused");
    // The `\r` is still in the last line: a control character in a string, at its column.
    let last = lines[4]["error"].as_str().unwrap();
    assert!(
        last.contains("control character") && last.ends_with("column 40"),
        "{last}"
    );
    assert_eq!(served.body.lines().count(), 5);
}

/// A case sent with a byte order mark before it (which `eval` and the service skip) is logged
/// as it came, and `GET /v1/decisions/{id}` still answers JSON with the case as an object.
#[test]
fn a_case_sent_after_a_byte_order_mark_reads_back_as_json() {
    let (s, _) = start(&[]);
    for (path, content_type, body) in [
        (
            "/v1/decisions?decision=borrow",
            "application/json",
            format!("\u{feff}{READER}"),
        ),
        (
            "/v1/batch?decision=borrow",
            "application/x-ndjson",
            format!("\u{feff}{READER}\n"),
        ),
    ] {
        let r = post(&s.url(path), content_type, body.as_bytes());
        assert_eq!(r.status, 200, "{}", r.body);
        let id = match r.id {
            Some(id) => id,
            None => serde_json::from_str::<serde_json::Value>(r.body.lines().next().unwrap())
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        };
        let logged = get(&s.url(&format!("/v1/decisions/{id}")));
        assert_eq!(logged.status, 200, "{}", logged.body);
        let want: serde_json::Value = serde_json::from_str(READER).unwrap();
        assert_eq!(logged.json()["case"], want, "{path}");
    }
}

#[test]
fn bad_requests_get_a_clear_4xx_in_json() {
    let (s, _) = start(&["--max-depth", "16"]);
    let check = |r: Reply, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.content_type, "application/json");
        assert_eq!(r.code(), code, "{}", r.body);
        assert!(!r.message().is_empty());
    };
    let d = s.url("/v1/decisions");
    check(
        post_json(&format!("{d}?format=pdf"), READER),
        400,
        "bad_query",
    );
    check(
        post_json(&format!("{d}?decision=fly"), READER),
        400,
        "bad_query",
    );
    check(
        post_json(&format!("{d}?as_of=March"), READER),
        400,
        "bad_query",
    );
    check(
        post_json(&format!("{d}?colour=red"), READER),
        400,
        "bad_query",
    );
    check(
        post_json(&format!("{d}?version=1999-01-01"), READER),
        400,
        "bad_query",
    );
    check(post_json(&d, "{not json"), 422, "unusable_case");
    check(post_json(&d, "[1,2]"), 422, "unusable_case");
    let no_date = post_json(
        &d,
        r#"{"reader":{"id":"R","student":false,"unpaid_fines":"0","loans":[]}}"#,
    );
    assert_eq!(no_date.json()["error"]["path"], "as_of");
    check(no_date, 422, "unusable_case");
    // A refused field is named by its path, a key the vocabulary does not know too.
    let wrong_type = post_json(
        &d,
        r#"{"as_of":"2026-03-10","reader":{"id":"R","student":"no","unpaid_fines":"0","loans":[]}}"#,
    );
    assert_eq!(wrong_type.json()["error"]["path"], "reader.student");
    check(wrong_type, 422, "unusable_case");
    let unknown = post_json(
        &d,
        r#"{"as_of":"2026-03-10","reader":{"id":"R","student":false,"unpaid_fines":"0","loans":[{"book":"B","due_on":"2026-03-01","colour":1}]}}"#,
    );
    assert_eq!(unknown.json()["error"]["path"], "reader.loans[0].colour");
    check(unknown, 422, "unusable_case");
    // Not JSON at all: no field to name.
    assert!(post_json(&d, "{not json").json()["error"]
        .get("path")
        .is_none());
    // The date can come from the query instead.
    let dated = post_json(
        &format!("{d}?as_of=2026-03-10"),
        r#"{"reader":{"id":"R","student":false,"unpaid_fines":"0","loans":[]}}"#,
    );
    assert_eq!(dated.status, 200);
    check(
        post(&d, "text/plain", READER.as_bytes()),
        415,
        "unsupported_media_type",
    );
    check(
        post(&d, "application/x-www-form-urlencoded", READER.as_bytes()),
        415,
        "unsupported_media_type",
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    check(post_json(&d, &deep), 422, "unusable_case");
    let two_mib = format!(
        r#"{{"as_of":"2026-03-10","pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    check(post_json(&d, &two_mib), 413, "body_too_large");
    let not_utf8 = post(&d, "application/json", &[0x7b, 0xff, 0xfe, 0x7d]);
    check(not_utf8, 422, "unusable_case");
    check(get(&s.url("/v1/nothing")), 404, "not_found");
    // The server is still fine.
    assert_eq!(get(&s.url("/healthz")).status, 200);
    assert_eq!(
        post_json(&format!("{d}?decision=borrow"), READER).status,
        200
    );
}

#[test]
fn a_body_over_the_limit_sent_without_a_length_is_refused() {
    let (s, _) = start(&["--max-case-bytes", "1000"]);
    // Chunked transfer: the limit applies while reading.
    let mut c = std::net::TcpStream::connect(s.addr()).unwrap();
    let chunk = "x".repeat(600);
    let req = format!(
        "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len(),
        chunk.len()
    );
    c.write_all(req.as_bytes()).unwrap();
    let out = read_until(&mut c, "body_too_large");
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert!(out.contains("body_too_large"));
}

#[test]
fn a_slow_client_times_out_with_408_and_others_are_served() {
    let (s, _) = start(&["--timeout", "1"]);
    let mut c = std::net::TcpStream::connect(s.addr()).unwrap();
    c.write_all(
        b"POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"as_of\"",
    )
    .unwrap();
    // Meanwhile the service answers others.
    assert_eq!(post_json(&s.url("/v1/decisions"), READER).status, 200);
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = read_until(&mut c, "\"timeout\"");
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert!(head.contains("\"timeout\""));
}

/// Read until the server closes the connection (or the read times out), returning what came.
fn read_to_close(c: &mut std::net::TcpStream) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // A reset is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&got).into_owned(), true)
            }
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

#[test]
fn idle_and_slow_header_connections_are_closed_after_the_idle_timeout() {
    let (s, _) = start(&["--idle-timeout", "1"]);
    let t0 = std::time::Instant::now();
    // One connects and sends nothing; one sends half a head; one is kept alive after an answer.
    let mut silent = std::net::TcpStream::connect(s.addr()).unwrap();
    let mut slow = std::net::TcpStream::connect(s.addr()).unwrap();
    slow.write_all(b"POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Ty")
        .unwrap();
    let mut kept = std::net::TcpStream::connect(s.addr()).unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    kept.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let answer = read_until(&mut kept, "\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Meanwhile the service answers others.
    assert_eq!(post_json(&s.url("/v1/decisions"), READER).status, 200);
    for c in [&mut silent, &mut slow, &mut kept] {
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let (_, closed) = read_to_close(c);
        assert!(closed, "a connection was still open after 10 s");
    }
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(8),
        "closed after {waited:?}, the idle timeout is 1 s"
    );
    // A client that keeps asking is not cut off: two requests 0.6 s apart on one connection.
    let mut busy = std::net::TcpStream::connect(s.addr()).unwrap();
    busy.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for _ in 0..2 {
        busy.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let a = read_until(&mut busy, "\r\n\r\n");
        assert!(a.starts_with("HTTP/1.1 200"), "{a}");
        std::thread::sleep(Duration::from_millis(600));
    }
}

#[test]
fn a_token_is_required_when_set_and_compared_exactly() {
    let dir = temp_dir("auth");
    let db = dir.join("log.sqlite");
    let s = Server::start(
        &["--policy", FIXTURE, "--db", db.to_str().unwrap()],
        // Every request's line is written at debug: the test reads them all.
        &[
            ("RULEBOOK_TOKEN", "correct horse"),
            ("RULEBOOK_LOG", "debug"),
        ],
    );
    let d = s.url("/v1/decisions");
    let none = post_json(&d, READER);
    assert_eq!((none.status, none.code().as_str()), (401, "unauthorized"));
    let wrong = reply(
        agent()
            .post(&d)
            .header("Authorization", "Bearer correct hors")
            .header("Content-Type", "application/json")
            .send(READER),
    );
    assert_eq!(wrong.status, 401);
    let right = reply(
        agent()
            .post(&d)
            .header("Authorization", "Bearer correct horse")
            .header("Content-Type", "application/json")
            .send(READER),
    );
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(get(&s.url("/healthz")).status, 200);
    assert_eq!(get(&s.url("/v1/policies")).status, 401);
    // The service's own log never holds the token or the case.
    let log = s.stderr_text();
    assert!(log.contains("finished processing request"), "{log}");
    assert!(!log.contains("correct horse"), "{log}");
    assert!(!log.contains("R1"), "{log}");
}

#[test]
fn a_public_address_without_a_token_refuses_to_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args([
            "serve",
            "--policy",
            FIXTURE,
            "--no-log",
            "--addr",
            "0.0.0.0:0",
        ])
        .env_remove("RULEBOOK_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("RULEBOOK_TOKEN"), "{err}");
}

/// The policy folder comes from --policy, else $RULEBOOK_POLICY, as for every command; one that
/// is not there stops the start with the same hint, instead of a warning that promises 503s.
#[test]
fn the_policy_folder_comes_from_the_environment_and_a_missing_one_refuses_to_start() {
    let s = Server::start(&["--no-log"], &[("RULEBOOK_POLICY", FIXTURE)]);
    let p = get(&s.url("/v1/policies")).json();
    assert_eq!(p["versions"][0]["version"], "2026-01-01", "{p}");
    assert_eq!(post_json(&s.url("/v1/decisions"), OWES).status, 200);
    drop(s);

    let dir = temp_dir("no-policy");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["serve", "--no-log", "--addr", "127.0.0.1:0"])
        .env("RULEBOOK_POLICY", dir.join("nowhere"))
        .env_remove("RULEBOOK_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no policy folder"), "{err}");
    assert!(err.contains("nowhere` came from $RULEBOOK_POLICY"), "{err}");
    // The folder's own name is random (a time in nanoseconds may hold "503"): look past it.
    let said = err.replace(&dir.display().to_string(), "");
    assert!(!said.contains("503"), "{err}");
}

#[test]
fn policies_metrics_and_health_describe_the_service() {
    let (s, _) = start(&[]);
    assert_eq!(post_json(&s.url("/v1/decisions"), OWES).status, 200);
    let p = get(&s.url("/v1/policies")).json();
    let v = &p["versions"][0];
    assert_eq!(v["version"], "2026-01-01");
    assert_eq!(v["window"]["from"], "2026-01-01");
    assert_eq!(v["window"]["until"], "2027-12-31");
    assert_eq!(v["coverage"]["articles"], 4);
    assert_eq!(p["last_reload"]["ok"], true);
    let m = get(&s.url("/metrics"));
    assert!(m.content_type.starts_with("text/plain"));
    assert!(m
        .body
        .contains("rulebook_decisions_total{decision=\"borrow\",outcome=\"refused\"} 1"));
    assert!(m.body.contains(
        "rulebook_http_requests_total{route=\"/v1/decisions\",method=\"POST\",status=\"200\"} 1"
    ));
    assert!(m
        .body
        .contains("rulebook_http_request_duration_seconds_count{route=\"/v1/decisions\"} 1"));
    assert!(m.body.contains("rulebook_reloads_total{result=\"ok\"} 1"));
    let h = get(&s.url("/healthz")).json();
    assert_eq!(h["status"], "ok");
}

#[test]
fn sigterm_drains_a_request_in_flight_then_exits_zero() {
    let (mut s, db) = start(&[]);
    let mut c = std::net::TcpStream::connect(s.addr()).unwrap();
    let head = format!(
        "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        READER.len()
    );
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(&READER.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    c.write_all(&READER.as_bytes()[10..]).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let out = read_until(&mut c, "\"decisions\"");
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    drop(c);
    assert_eq!(s.wait_exit(Duration::from_secs(20)), Some(0));
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("x-decision-id: "))
        .unwrap()
        .trim()
        .to_string();
    let mut store = rulebook::log::open(db.to_str().unwrap()).unwrap();
    assert!(store.get(&id).unwrap().is_some());
}

#[test]
fn record_lean_answers_without_satisfied_findings_and_logs_the_full_record() {
    let (s, _) = start(&[]);
    let full = post_json(&s.url("/v1/decisions?decision=borrow"), OWES);
    assert_eq!(full.status, 200, "{}", full.body);
    let lean = post_json(&s.url("/v1/decisions?decision=borrow&record=lean"), OWES);
    assert_eq!(lean.status, 200, "{}", lean.body);
    let (fj, lj) = (full.json(), lean.json());
    let id = lean.id.clone().expect("X-Decision-Id");
    assert_eq!(lj["id"], id.as_str());
    assert_eq!(outcome(&lj, "borrow"), outcome(&fj, "borrow"));
    let unsatisfied: Vec<serde_json::Value> = fj["decisions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "satisfied")
        .map(|f| {
            let mut f = f.clone();
            for k in ["message", "source", "counterfactual"] {
                f.as_object_mut().unwrap().remove(k);
            }
            f
        })
        .collect();
    assert!(!unsatisfied.is_empty());
    assert_eq!(
        lj["decisions"][0]["findings"].as_array().unwrap(),
        &unsatisfied
    );
    for k in ["effects", "missing", "dates", "outcome"] {
        assert_eq!(lj["decisions"][0][k], fj["decisions"][0][k], "{k}");
    }
    // The log keeps the full record: an audit needs every finding.
    let logged = get(&s.url(&format!("/v1/decisions/{id}"))).json();
    let kept = &logged["record"]["decisions"][0]["findings"];
    assert_eq!(kept, &fj["decisions"][0]["findings"]);
    // A batch answers lean records too, with their lines.
    let body = format!("{OWES}\n");
    let r = post(
        &s.url("/v1/batch?decision=borrow&record=lean"),
        "application/x-ndjson",
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let line: serde_json::Value = serde_json::from_str(r.body.lines().next().unwrap()).unwrap();
    assert_eq!(line["line"], 1);
    assert_eq!(
        line["decisions"][0]["findings"].as_array().unwrap(),
        &unsatisfied
    );
    // Lean is a JSON record only; anything but full or lean is refused.
    let r = post_json(&s.url("/v1/decisions?record=lean&format=text"), OWES);
    assert_eq!((r.status, r.code().as_str()), (400, "bad_query"));
    let r = post_json(&s.url("/v1/decisions?record=thin"), OWES);
    assert_eq!((r.status, r.code().as_str()), (400, "bad_query"));
}

/// A counter's value in the `/metrics` text.
fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {metrics}"))
}

#[test]
fn concurrent_decisions_share_the_log_commits() {
    let (s, _) = start(&[]);
    let (clients, each) = (32, 10);
    let url = s.url("/v1/decisions?decision=borrow");
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                for _ in 0..each {
                    assert_eq!(post_json(&url, READER).status, 200);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let m = get(&s.url("/metrics")).body;
    let (commits, entries) = (
        counter(&m, "rulebook_log_commits_total"),
        counter(&m, "rulebook_log_entries_total"),
    );
    assert_eq!(entries, (clients * each) as u64, "{m}");
    // 32 clients waiting on fsyncs: commits are shared (group commit), not one per decision.
    assert!(
        commits >= 1 && commits < entries,
        "{commits} commits for {entries} entries"
    );
}

/// Nothing is answered that the log did not store. A trigger put on the running service's log
/// (from beside it, as a full disk or a broken database would) makes every insert fail: a
/// decision is then a 503 without its record, a batch's group is one error line without its
/// records, and nothing of either is in the log. With the trigger gone the service logs again.
#[test]
fn a_decision_the_log_cannot_store_is_not_answered() {
    let (s, db) = start(&[]);
    let url = s.url("/v1/decisions?decision=borrow");
    assert_eq!(post_json(&url, READER).status, 200);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )
    .unwrap();
    let count = || -> i64 {
        conn.query_row("SELECT count(*) FROM decisions", [], |r| r.get(0))
            .unwrap()
    };

    let r = post_json(&url, READER);
    assert_eq!(
        (r.status, r.code().as_str()),
        (503, "log_unavailable"),
        "{}",
        r.body
    );
    assert!(r.id.is_none());
    assert!(!r.body.contains("\"decisions\""), "{}", r.body);

    let body = format!("{READER}\n{OWES}\n");
    let b = post(
        &s.url("/v1/batch?decision=borrow"),
        "application/x-ndjson",
        body.as_bytes(),
    );
    assert_eq!(b.status, 200);
    assert_eq!(
        b.body,
        "{\"line\":1,\"error\":\"the batch stopped: the decision log cannot be written\"}\n"
    );
    assert_eq!(count(), 1);

    conn.execute_batch("DROP TRIGGER refuse").unwrap();
    let r = post_json(&url, READER);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(count(), 2);
    let id = r.id.unwrap();
    assert_eq!(get(&s.url(&format!("/v1/decisions/{id}"))).status, 200);
}

/// A batch counts under the concurrency limit until its last line is sent, not only until its
/// answer's head is: with room for one request, a decision asked while a batch streams is a
/// 429 (but not the liveness probe or the metrics), and is served once the batch is done.
#[test]
fn a_streaming_batch_holds_its_place_under_the_concurrency_limit() {
    let (s, _) = start(&["--concurrency", "1"]);
    let body = format!("{READER}\n{OWES}\n");
    let first_line = READER.len() + 1;
    let mut c = sent_head(
        &s.addr(),
        &format!("POST /v1/batch?decision=borrow HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n{}", body.len(), &body[..first_line]),
    );
    let head = read_until(&mut c, "\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let url = s.url("/v1/decisions?decision=borrow");
    let r = post_json(&url, READER);
    assert_eq!(
        (r.status, r.code().as_str()),
        (429, "too_many_requests"),
        "{}",
        r.body
    );
    // Liveness and metrics answer whatever the load.
    assert_eq!(get(&s.url("/healthz")).status, 200);
    assert_eq!(get(&s.url("/metrics")).status, 200);
    c.write_all(&body.as_bytes()[first_line..]).unwrap();
    let answer = read_until(&mut c, "\r\n0\r\n\r\n");
    assert!(answer.contains("\"line\":2"), "{answer}");
    assert!(
        eventually(Duration::from_secs(10), || post_json(&url, READER).status
            == 200),
        "the batch's place was not given back"
    );
}
