//! The checker protects letters, and its errors point at the mistake: each case edits a copy of
//! the library-lending fixture and asserts the error's code, its line:col and its help.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::{LoadError, Policy};
use std::path::PathBuf;

struct Found {
    code: &'static str,
    line: usize,
    col: usize,
    message: String,
    help: String,
}

/// The fixture with `edits` applied to its rule file and `source_edits` to its source text;
/// returns the errors and the edited rule file.
fn check(tag: &str, edits: &[(&str, &str)], source_edits: &[(&str, &str)]) -> (Vec<Found>, String) {
    let from = PathBuf::from("tests/fixtures/library-lending");
    let dir = std::env::temp_dir().join(format!("rulebook-checker-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut rules = std::fs::read_to_string(from.join("lending.rules")).unwrap();
    for (a, b) in edits {
        assert!(rules.contains(a), "the fixture has no `{a}`");
        rules = rules.replacen(a, b, 1);
    }
    let mut source = std::fs::read_to_string(from.join("source.txt")).unwrap();
    for (a, b) in source_edits {
        assert!(source.contains(a), "the source text has no `{a}`");
        source = source.replacen(a, b, 1);
    }
    std::fs::write(dir.join("lending.rules"), &rules).unwrap();
    std::fs::write(dir.join("source.txt"), &source).unwrap();
    let found = match Policy::load(&dir) {
        // Loaded: what is left to report are its warnings.
        Ok(p) => found(&p.warnings, &p.sources),
        Err(LoadError::Invalid {
            diagnostics,
            sources,
        }) => found(&diagnostics, &sources),
        Err(e) => panic!("{e:?}"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    (found, rules)
}

fn found(
    diagnostics: &[rulebook::check::Diagnostic],
    sources: &rulebook::source::SourceMap,
) -> Vec<Found> {
    diagnostics
        .iter()
        .map(|d| {
            let span = d.span.expect("every error here has a place");
            let (line, col) = sources.files[span.file as usize].line_col(span.start as usize);
            Found {
                code: d.code.as_str(),
                line,
                col,
                message: d.message.clone(),
                help: d.help.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// 1-based line and column (in characters) of the `nth` occurrence of `needle` in `text`, plus
/// `skip` characters.
fn pos(text: &str, needle: &str, skip: usize) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1
        + skip;
    (line, col)
}

fn only_one(found: Vec<Found>) -> Found {
    assert_eq!(
        found.len(),
        1,
        "{:?}",
        found
            .iter()
            .map(|f| format!("{} {}:{} {} ({})", f.code, f.line, f.col, f.message, f.help))
            .collect::<Vec<_>>()
    );
    found.into_iter().next().unwrap()
}

const ITEMS_SOURCE: (&str, &str) = (
    "第二条 读者同时在借图书不得超过5册；读者欠缴罚款达到50元的，不得借阅。",
    "第二条 借阅条件：（一）同时在借图书不得超过5册。1.含电子书。（二）欠缴罚款达到50元的，不得借阅。",
);
const ITEMS_QUOTE: (&str, &str) = (
    "\"\"\"第二条 读者同时在借图书不得超过5册；读者欠缴罚款达到50元的，不得借阅。\"\"\"",
    "\"\"\"第二条 借阅条件：（一）同时在借图书不得超过5册。1.含电子书。（二）欠缴罚款达到50元的，不得借阅。\"\"\"",
);

#[test]
fn the_fixture_itself_checks_clean() {
    assert!(check("clean", &[], &[]).0.is_empty());
    // And with numbered items, cites of items and points that exist pass.
    let (found, _) = check(
        "items-ok",
        &[
            ITEMS_QUOTE,
            (
                "cite 2\n  in borrow\n  let on_loan",
                "cite 2(1)1\n  in borrow\n  let on_loan",
            ),
            (
                "cite 2\n  in borrow\n  let fines",
                "cite 2(2)\n  in borrow\n  let fines",
            ),
        ],
        &[ITEMS_SOURCE],
    );
    assert!(
        found.is_empty(),
        "{:?}",
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

#[test]
fn a_cite_of_an_item_the_article_does_not_have_is_an_error() {
    let (found, rules) = check(
        "item",
        &[
            ITEMS_QUOTE,
            (
                "cite 2\n  in borrow\n  let fines",
                "cite 2(9)\n  in borrow\n  let fines",
            ),
        ],
        &[ITEMS_SOURCE],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::bad-cite");
    assert_eq!((f.line, f.col), pos(&rules, "cite 2(9)", 0));
    assert!(f.message.contains("（九）"), "{}", f.message);
    assert_eq!(f.help, "article 2 has: 2(1), 2(2)");
}

#[test]
fn a_cite_of_a_point_the_item_does_not_have_is_an_error() {
    let (found, rules) = check(
        "point",
        &[
            ITEMS_QUOTE,
            (
                "cite 2\n  in borrow\n  let on_loan",
                "cite 2(1)3\n  in borrow\n  let on_loan",
            ),
        ],
        &[ITEMS_SOURCE],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::bad-cite");
    assert_eq!((f.line, f.col), pos(&rules, "cite 2(1)3", 0));
    assert_eq!(f.help, "item （一） has: 2(1)1");
}

#[test]
fn an_item_cite_of_an_article_without_items_is_an_error() {
    let (found, rules) = check(
        "noitems",
        &[("cite 3\n  in fines\n  for", "cite 3(1)\n  in fines\n  for")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::bad-cite");
    assert_eq!((f.line, f.col), pos(&rules, "cite 3(1)", 0));
    assert_eq!(
        f.help,
        "article 3 has no numbered items; cite the article: `cite 3`"
    );
}

#[test]
fn a_bare_number_compared_with_money_is_an_error_with_the_units_in_its_help() {
    let (found, rules) = check("bare", &[("let cap = 50元", "let cap = 3")], &[]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::type-mismatch");
    assert_eq!((f.line, f.col), pos(&rules, "must fines < cap", 13));
    // The units come from grammar/units.txt: the largest money unit and the yuan.
    let units = std::fs::read_to_string("grammar/units.txt").unwrap();
    let money: Vec<(&str, u64)> = units
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let p: Vec<&str> = l.split_whitespace().collect();
            (p.len() == 3 && p[1] == "money").then(|| (p[0], p[2].parse().unwrap()))
        })
        .collect();
    let big = money.iter().max_by_key(|u| u.1).unwrap();
    let one = money.iter().find(|u| u.1 == 1).unwrap();
    assert_eq!(
        f.help,
        format!("write 3{} or {}{}", big.0, 3 * big.1, one.0)
    );

    // A literal written in the comparison itself, too; zero needs no unit.
    let (found, rules) = check(
        "bare-lit",
        &[("must fines < cap", "must fines < 7 and fines >= 0")],
        &[],
    );
    let f = only_one(found);
    assert_eq!((f.line, f.col), pos(&rules, "must fines < 7", 13));
}

#[test]
fn an_unterminated_string_is_reported_at_its_opening_quote() {
    let (found, rules) = check(
        "quote",
        &[("\"{on_loan} books on loan\"", "\"{on_loan} books on loan")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::syntax");
    assert_eq!((f.line, f.col), pos(&rules, "\"{on_loan} books on loan", 0));
    assert!(
        f.message.starts_with("unterminated string"),
        "{}",
        f.message
    );
    assert_eq!(f.help, "end the text with `\"` on the same line");
}

#[test]
fn one_typo_in_a_fact_gives_one_error() {
    let (found, rules) = check(
        "typo",
        &[(
            "reader.unpaid_fines \"欠缴罚款\"",
            "reader.unpaid_fine \"欠缴罚款\"",
        )],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-field");
    assert_eq!((f.line, f.col), pos(&rules, "unpaid_fine \"欠缴罚款\"", 0));
    assert_eq!(f.help, "did you mean `unpaid_fines`?");
}

#[test]
fn a_typo_in_in_suggests_a_decision_the_policy_has() {
    let (found, rules) = check(
        "in",
        &[("in borrow\n  let on_loan", "in borow\n  let on_loan")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-decision");
    assert_eq!((f.line, f.col), pos(&rules, "borow", 0));
    assert_eq!(f.help, "did you mean `borrow`?");
    // A name near none of them lists them all.
    let (found, _) = check(
        "in2",
        &[("in borrow\n  let on_loan", "in review\n  let on_loan")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.help, "the decisions are: borrow, fines");
}

#[test]
fn a_typo_in_overrides_is_one_error() {
    let (found, rules) = check(
        "overrides",
        &[("overrides overdue-fine", "overrides overdue-fin")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-rule");
    assert_eq!((f.line, f.col), pos(&rules, "overdue-fin\n", 0));
    assert_eq!(f.help, "did you mean `overdue-fine`?");
}

#[test]
fn a_unit_written_in_part_gets_the_units_as_help() {
    // Every unit of more than one character, cut to its first character, gets the help.
    let units = std::fs::read_to_string("grammar/units.txt").unwrap();
    let names: Vec<&str> = units
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let long = names
        .iter()
        .find(|n| n.chars().count() > 1 && !n.is_ascii())
        .expect("a unit of several characters");
    let cut: String = long.chars().take(1).collect();
    let (found, rules) = check(
        "unit",
        &[("let cap = 50元", &format!("let cap = 50{cut}"))],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::syntax");
    assert_eq!((f.line, f.col), pos(&rules, &format!("50{cut}"), 2));
    assert!(
        f.help
            .starts_with(&format!("a number's unit is written in full: `50{long}`")),
        "{}",
        f.help
    );
    assert!(f.help.ends_with(&names.join(", ")), "{}", f.help);
}

#[test]
fn a_typo_in_a_gate_gets_a_did_you_mean() {
    let (found, rules) = check("gate", &[("gate in-force else closed\n  outcome closed \"规则未生效\" | \"rules not in force\"\n  outcome refused", "gate in-forc else closed\n  outcome closed \"规则未生效\" | \"rules not in force\"\n  outcome refused")], &[]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-rule");
    assert_eq!((f.line, f.col), pos(&rules, "in-forc else", 0));
    assert_eq!(f.help, "did you mean `in-force`?");
}

#[test]
fn a_quote_that_differs_from_the_source_shows_where() {
    let (found, rules) = check(
        "mismatch",
        &[("不得超过5册；读者欠缴", "不得超过6册；读者欠缴")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::quote-mismatch");
    assert_eq!((f.line, f.col), pos(&rules, "6册；读者欠缴", 0));
    assert!(f.help.starts_with("the quote has 「…不得超过6册；读者欠缴罚款达到5…」 where the source has 「…不得超过5册；读者欠缴罚款达到5…」"), "{}", f.help);
}

#[test]
fn an_amount_the_cited_article_does_not_quote_is_a_warning() {
    let (found, rules) = check("threshold", &[("let cap = 50元", "let cap = 60元")], &[]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::threshold-not-quoted");
    assert_eq!((f.line, f.col), pos(&rules, "60元", 0));
    assert_eq!(f.message, "the rule says 60元; article 2 says 50元");
    // The same amount in another unit of the table is the same amount.
    let (found, _) = check(
        "threshold-ok",
        &[("let cap = 50元", "let cap = 50.00元")],
        &[],
    );
    assert!(found.is_empty());
    // A warning does not stop the policy: `check` prints it and exits 0.
    let dir = std::env::temp_dir().join(format!("rulebook-checker-warn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["lending.rules", "source.txt"] {
        let t = std::fs::read_to_string(format!("tests/fixtures/library-lending/{f}")).unwrap();
        std::fs::write(
            dir.join(f),
            t.replacen("let cap = 50元", "let cap = 60元", 1),
        )
        .unwrap();
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--policy"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: ") && err.contains("lending.rules:"),
        "{err}"
    );
    assert!(
        err.contains("the rule says 60元; article 2 says 50元"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wording_naming_a_value_it_cannot_use_is_an_error_even_when_empty_or_in_chinese() {
    // `{}` and `{理由}` are holes like any other: each is reported once, at the wording's key, and
    // the text after them is still read (the `{cite}` after both is allowed, `{x}` is not).
    let (found, rules) = check(
        "wording-holes",
        &[(
            "outcome none \"无罚款\" | \"no fine\" otherwise\n}",
            "outcome none \"无罚款\" | \"no fine\" otherwise\n}\n\nwording {\n  consequence \"{}依据{理由}{cite}{x}\" | \"under {cite}\"\n}",
        )],
        &[],
    );
    let messages: Vec<_> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the wording `consequence` names `{}`, which it cannot use",
            "the wording `consequence` names `{理由}`, which it cannot use",
            "the wording `consequence` names `{x}`, which it cannot use",
        ]
    );
    let at = pos(&rules, "consequence \"", 0);
    for f in &found {
        assert_eq!(
            (f.code, f.line, f.col),
            ("rulebook::bad-template", at.0, at.1)
        );
        assert_eq!(f.help, "it may use: {cite}, {measures}");
    }
}

#[test]
fn a_duration_times_a_whole_number_reads_either_way_round() {
    // A product of whole numbers is a whole number, so a duration can be scaled by it.
    for (tag, form) in [
        ("dur-int", "1 day * d"),
        ("int-dur", "d * 1 day"),
        ("dur-product", "1 day * (d * 1)"),
    ] {
        let (found, _) = check(
            tag,
            &[(
                "l.due_on + 1 day * d <= as_of",
                &format!("l.due_on + {form} <= as_of"),
            )],
            &[],
        );
        let messages: Vec<_> = found.iter().map(|f| &f.message).collect();
        assert!(messages.is_empty(), "{form}: {messages:?}");
    }
    // Added, not multiplied: a whole number is no duration.
    let f = only_one(
        check(
            "int-plus-dur",
            &[(
                "l.due_on + 1 day * d <= as_of",
                "l.due_on + (d + 1 day) <= as_of",
            )],
            &[],
        )
        .0,
    );
    assert_eq!(f.code, "rulebook::type-mismatch");
}

#[test]
fn only_numbers_can_be_negated() {
    let (found, _) = check("neg-ok", &[("let limit = 5 ", "let limit = -(-5) ")], &[]);
    assert!(
        found.is_empty(),
        "{:?}",
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    let (found, rules) = check("neg-bool", &[("let limit = 5 ", "let limit = -true ")], &[]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::type-mismatch");
    assert_eq!(
        f.message,
        "only numbers can be negated, but this is a yes/no value"
    );
    assert_eq!((f.line, f.col), pos(&rules, "-true", 1));
}

#[test]
fn a_misused_count_gets_the_form_of_count_as_help() {
    let (found, rules) = check(
        "count-form",
        &[("count(l in reader.loans)", "count(reader.loans)")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-function");
    assert_eq!(f.message, "count(...) is not written this way");
    assert_eq!(f.help, "write count(x in list where …)");
    assert_eq!((f.line, f.col), pos(&rules, "count(reader", 0));
}

#[test]
fn an_amount_written_in_an_effect_is_checked_against_the_article_too() {
    let (found, rules) = check(
        "threshold-effect",
        &[(
            "otherwise fine amount fine subject l.book",
            "otherwise fine amount 25元 subject l.book",
        )],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::threshold-not-quoted");
    assert_eq!((f.line, f.col), pos(&rules, "25元", 0));
    assert_eq!(f.message, "the rule says 25元; article 3 says 0.5元, 20元");
}

#[test]
fn an_enumeration_value_without_words_is_a_warning_at_the_value() {
    let (found, rules) = check(
        "unlabelled",
        &[(
            "    student: bool",
            "    age_group: enum(adult \"成人\" | \"adult\", child) \"读者类别\" | \"age group\"\n    student: bool",
        )],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::bad-vocabulary");
    assert_eq!(f.message, "the value `child` has no words for letters");
    assert_eq!(f.help, "write `child \"中文\" | \"English\"`");
    assert_eq!((f.line, f.col), pos(&rules, "child)", 0));
}

/// The messages of a check of the fixture with `edits`, for cases that must check clean.
fn messages(tag: &str, edits: &[(&str, &str)]) -> Vec<String> {
    check(tag, edits, &[])
        .0
        .into_iter()
        .map(|f| f.message)
        .collect()
}

#[test]
fn a_decimal_times_a_whole_number_is_a_number() {
    assert_eq!(
        messages("dec-mul", &[("let limit = 5 ", "let limit = 2.5 * 2 ")]),
        Vec::<String>::new()
    );
    // And compared with money it is a bare number like any other, decimals included.
    for (tag, edit) in [
        ("bare-dec-lit", ("must fines < cap", "must fines < 50.5")),
        ("bare-dec-let", ("let cap = 50元", "let cap = 50.5")),
    ] {
        let (found, rules) = check(tag, &[edit], &[]);
        let f = only_one(found);
        assert_eq!(f.code, "rulebook::type-mismatch", "{tag}");
        assert_eq!((f.line, f.col), pos(&rules, "must fines < ", 13), "{tag}");
        // The largest money unit comes from grammar/units.txt (see the test above).
        assert!(f.help.starts_with("write 50.5"), "{tag}: {}", f.help);
        assert!(f.help.ends_with(" or 5050000000元"), "{tag}: {}", f.help);
    }
}

#[test]
fn min_over_a_list_is_an_aggregate() {
    assert_eq!(
        messages(
            "min-agg",
            &[("let limit = 5 ", "let limit = min(n for n from 5 to 9) ")]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn an_enumeration_compared_with_a_value_of_the_policy_is_no_misspelt_enumeration_value() {
    let kind = (
        "    student: bool",
        "    age_group: enum(adult \"成人\" | \"adult\", child \"儿童\" | \"child\") \"读者类别\" | \"age group\"\n    student: bool",
    );
    let usual = (
        "rule in-force",
        "let usual_group = reader.age_group\n\nrule in-force",
    );
    let compare = (
        "must on_loan < limit",
        "must on_loan < limit or reader.age_group == usual_group",
    );
    assert_eq!(
        messages("enum-global", &[kind, usual, compare]),
        Vec::<String>::new()
    );
    // A bare name that is neither a value of the policy nor an enumeration value still is one.
    let typo = (
        "must on_loan < limit",
        "must on_loan < limit or reader.age_group == chlid",
    );
    let (found, _) = check("enum-typo", &[kind, typo], &[]);
    assert_eq!(only_one(found).code, "rulebook::unknown-enum-value");
}

#[test]
fn a_second_must_is_refused_even_when_the_first_did_not_compile() {
    let (found, rules) = check(
        "two-musts",
        &[(
            "must on_loan < limit",
            "must on_loan < true\n  must on_loan < limit",
        )],
        &[],
    );
    let codes: Vec<_> = found.iter().map(|f| (f.code, f.line, f.col)).collect();
    let second = pos(&rules, "must on_loan < limit", 0);
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert_eq!(codes[0].0, "rulebook::type-mismatch");
    assert_eq!(
        codes[1],
        ("rulebook::conflicting-clause", second.0, second.1)
    );
}

#[test]
fn min_of_one_value_and_year_of_two_are_not_written_this_way() {
    for (tag, edit, f) in [
        ("min-one", ("let limit = 5 ", "let limit = min(5) "), "min"),
        (
            "year-two",
            ("let limit = 5 ", "let limit = year(as_of, as_of) "),
            "year",
        ),
    ] {
        let (found, rules) = check(tag, &[edit], &[]);
        let found = only_one(found);
        assert_eq!(found.code, "rulebook::unknown-function", "{tag}");
        assert_eq!(found.message, format!("{f}(...) is not written this way"));
        assert_eq!((found.line, found.col), pos(&rules, &format!("{f}("), 0));
    }
}

#[test]
fn an_amount_is_quoted_only_in_a_unit_of_its_own_kind() {
    // Article 2 with "50天" where it said "50元": 50 days are not the 50 yuan of the rule.
    let days = ("欠缴罚款达到50元的", "欠缴罚款达到50天的");
    let (found, rules) = check("kind-of-unit", &[days], &[days]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::threshold-not-quoted");
    assert_eq!((f.line, f.col), pos(&rules, "50元", 0));
}

#[test]
fn numbers_divide_into_a_number_and_percentages_widen_plain_numbers() {
    assert_eq!(
        messages("div", &[("let limit = 5 ", "let limit = 10 / 2 ")]),
        Vec::<String>::new()
    );
    // A whole number and a decimal widen to a number.
    assert_eq!(
        messages(
            "widen-int",
            &[("let limit = 5 ", "let limit = max(5, 4.5) ")]
        ),
        Vec::<String>::new()
    );
    // No type error; only the warning that the article does not quote the percentage.
    let widen = (
        "let limit = 5 ",
        "let share = max(10%, 0.2) \"比例\" | \"share\"\n  let limit = 5 ",
    );
    assert_eq!(
        messages("widen", &[widen]),
        ["the rule says 10%; article 2 names no such amount"]
    );
}

#[test]
fn only_the_letter_frame_may_name_a_value_of_the_policy() {
    let value = ("rule in-force", "let branch = reader.id\n\nrule in-force");
    let frame = "wording {\n  addressee \"{branch}\" | \"{branch}\"\n}\n\nrule in-force";
    assert_eq!(
        messages("frame-value", &[value, ("rule in-force", frame)]),
        Vec::<String>::new()
    );
    let other = "wording {\n  consequence \"{branch}\" | \"{cite}\"\n}\n\nrule in-force";
    let (found, _) = check("other-value", &[value, ("rule in-force", other)], &[]);
    assert_eq!(
        only_one(found).message,
        "the wording `consequence` names `{branch}`, which it cannot use"
    );
}

#[test]
fn an_amount_in_the_filter_of_a_for_each_is_checked_against_the_article() {
    let (found, rules) = check(
        "threshold-filter",
        &[(
            "where l.due_on < as_of",
            "where l.due_on < as_of and reader.unpaid_fines < 25元",
        )],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::threshold-not-quoted");
    assert_eq!((f.line, f.col), pos(&rules, "25元", 0));
}

#[test]
fn a_general_wording_given_twice_is_an_error() {
    let twice = "wording {\n  consequence \"依据{cite}\" | \"under {cite}\"\n  consequence \"按{cite}\" | \"by {cite}\"\n}\n\nrule in-force";
    let (found, rules) = check("wording-twice", &[("rule in-force", twice)], &[]);
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::duplicate");
    assert_eq!(
        f.message,
        "the wording `consequence` is given twice for the same letters"
    );
    assert_eq!((f.line, f.col), pos(&rules, "consequence \"按", 0));
}

#[test]
fn date_of_two_numbers_is_not_written_this_way() {
    let (found, rules) = check(
        "date-two",
        &[("let limit = 5 ", "let limit = year(date(2026, 1)) ")],
        &[],
    );
    let f = only_one(found);
    assert_eq!(f.code, "rulebook::unknown-function");
    assert_eq!(f.message, "date(...) is not written this way");
    assert_eq!(f.help, "write date(year, month, day)");
    assert_eq!((f.line, f.col), pos(&rules, "date(2026", 0));
}
