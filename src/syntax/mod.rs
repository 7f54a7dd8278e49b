//! Text to syntax tree. The only module that touches pest.

pub mod ast;
pub mod error;
mod lower;
mod parser;
pub mod tokens;

pub use error::SyntaxError;
pub use parser::parse_file;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::ast::{BinOp, Clause, ExprKind, Item, Quantity};
    use super::parse_file;
    use rust_decimal::Decimal;

    #[test]
    fn a_rule_lowers_to_its_clauses_with_units() {
        let src = "rule r \"规则\" | \"rule\"\n  cite 6(2)1\n  in review\n  let t = 50%\n  should x >= t\n";
        let items = parse_file(0, src).unwrap();
        let Item::Rule(r) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(r.id.node, "r");
        assert!(matches!(&r.clauses[0].node, Clause::Cite(c) if c == "6(2)1"));
        let Clause::Let(l) = &r.clauses[2].node else {
            panic!()
        };
        assert!(
            matches!(l.expr.kind, ExprKind::Quantity(Quantity::Percent(p)) if p == Decimal::new(5, 1))
        );
        let Clause::Should(e) = &r.clauses[3].node else {
            panic!()
        };
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Ge, _, _)));
    }

    #[test]
    fn precedence_of_and_over_or_and_comparison_over_and() {
        let items = parse_file(0, "let v = a or b and c > 1\n").unwrap();
        let Item::Let(l) = &items[0] else { panic!() };
        let ExprKind::Binary(BinOp::Or, _, right) = &l.expr.kind else {
            panic!("{:?}", l.expr.kind)
        };
        let ExprKind::Binary(BinOp::And, _, cmp) = &right.kind else {
            panic!()
        };
        assert!(matches!(cmp.kind, ExprKind::Binary(BinOp::Gt, _, _)));
    }

    #[test]
    fn a_syntax_error_has_its_span_and_plain_words() {
        let errs = parse_file(3, "rule r\n  must x = 1\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].span.file, errs[0].span.start), (3, 16));
        assert!(errs[0].message.starts_with("unexpected `=`"));
        assert!(errs[0].help.as_deref().unwrap().contains("write `==`"));
    }

    #[test]
    fn an_impossible_date_literal_is_an_error_not_a_panic() {
        let errs = parse_file(0, "let d = 2025-02-30\n").unwrap_err();
        assert_eq!(
            errs[0].message,
            "`2025-02-30` is not a date in the calendar"
        );
    }

    #[test]
    fn a_call_reads_plain_arguments_a_comprehension_and_a_filter() {
        let call = |src: &str| {
            let items = parse_file(0, src).unwrap();
            let Item::Let(l) = &items[0] else { panic!() };
            let ExprKind::Call {
                func,
                args,
                comprehension,
            } = l.expr.kind.clone()
            else {
                panic!("{:?}", l.expr.kind)
            };
            (func.node, args, comprehension)
        };
        let (f, args, comp) = call("let v = max(a, b.c + 1, 3)\n");
        assert_eq!((f.as_str(), args.len()), ("max", 3));
        assert!(comp.is_none());
        assert!(matches!(args[1].kind, ExprKind::Binary(BinOp::Add, _, _)));
        // The body is the argument before `for`.
        let (f, args, comp) = call("let v = sum(m.share * 2 for m in members where m.ok)\n");
        assert_eq!((f.as_str(), args.len()), ("sum", 0));
        let c = comp.unwrap();
        assert!(matches!(
            c.body.unwrap().kind,
            ExprKind::Binary(BinOp::Mul, _, _)
        ));
        assert_eq!(c.var.node, "m");
        assert!(matches!(c.source, super::ast::Source::List(_)));
        assert!(matches!(c.filter.unwrap().kind, ExprKind::Field(_, _)));
        let (_, _, comp) = call("let v = count(y for y from 1 to 3)\n");
        let c = comp.unwrap();
        assert!(matches!(c.source, super::ast::Source::Range(_, _)) && c.filter.is_none());
        // `x in list where …` has no body.
        let (f, args, comp) = call("let v = count(m in members where m.ok)\n");
        assert_eq!((f.as_str(), args.len()), ("count", 0));
        let c = comp.unwrap();
        assert!(c.body.is_none() && c.filter.is_some());
        assert_eq!(c.var.node, "m");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!("let v = {}1{}\n", "(".repeat(300), ")".repeat(300));
        let errs = parse_file(0, &src).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.message.contains("nests more than 200")),
            "{errs:?}"
        );
    }

    #[test]
    fn long_operator_chains_are_refused_at_the_operator_past_the_limit() {
        // 20,000 `not` or `and` in a row used to overflow the stack in the Pratt parser and the
        // checker; the error points at the first operator past the limit, not the whole line.
        for (src, op) in [
            (format!("let v = {}true\n", "not ".repeat(20_000)), "not"),
            (
                format!("let v = true{}\n", " and true".repeat(20_000)),
                "and",
            ),
        ] {
            let errs = parse_file(0, &src).unwrap_err();
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!(
                errs[0].message,
                "this expression nests more than 200 operators and brackets deep"
            );
            let at = errs[0].span.start as usize..errs[0].span.end as usize;
            assert_eq!(&src[at], op);
        }
    }
}
