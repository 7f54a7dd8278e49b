//! The `facts` block to a `Schema` of records, fields and enumerations.

use super::error::{Code, Diagnostic};
use super::ir::{EnumSchema, FieldSchema, RecId, RecordSchema, Schema, Ty};
use super::range::{Range, RangeError};
use crate::syntax::ast::{FieldDecl, TypeDecl};

pub fn build(decls: &[FieldDecl], diags: &mut Vec<Diagnostic>) -> Schema {
    let mut schema = Schema::default();
    schema.records.push(RecordSchema::default());
    fill(&mut schema, 0, decls, diags);
    schema
}

fn fill(schema: &mut Schema, rec: RecId, decls: &[FieldDecl], diags: &mut Vec<Diagnostic>) {
    let mut fields: Vec<FieldSchema> = Vec::new();
    for d in decls {
        if fields.iter().any(|f| f.name == d.name.node) {
            diags.push(Diagnostic::new(
                Code::Duplicate,
                d.name.span,
                format!(
                    "the fact `{}` is declared twice in the same record",
                    d.name.node
                ),
            ));
            continue;
        }
        let wants_children = matches!(d.ty.node, TypeDecl::Record | TypeDecl::List { .. });
        if wants_children && d.children.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::BadVocabulary,
                    d.ty.span,
                    format!("`{}` needs its fields in braces", d.name.node),
                )
                .help("write the record's fields inside `{ … }` after the labels"),
            );
        }
        if !wants_children && !d.children.is_empty() {
            diags.push(Diagnostic::new(
                Code::BadVocabulary,
                d.ty.span,
                format!(
                    "`{}` is not a record or list, so it cannot have fields",
                    d.name.node
                ),
            ));
        }
        let ty = match &d.ty.node {
            TypeDecl::Bool => Ty::Bool,
            TypeDecl::Int => Ty::Int,
            TypeDecl::Decimal => Ty::Decimal,
            TypeDecl::Money => Ty::Money,
            TypeDecl::Percent => Ty::Percent,
            TypeDecl::Date => Ty::Date,
            TypeDecl::Text => Ty::Text,
            TypeDecl::Enum(vs) => {
                let mut variants: Vec<String> = Vec::new();
                let mut labels = Vec::new();
                for v in vs {
                    if variants.contains(&v.name.node) {
                        diags.push(Diagnostic::new(
                            Code::Duplicate,
                            v.name.span,
                            format!("`{}` is listed twice", v.name.node),
                        ));
                    } else {
                        variants.push(v.name.node.clone());
                        labels.push(v.labels.clone());
                    }
                }
                let shared = variants
                    .iter()
                    .map(|v| std::sync::Arc::from(v.as_str()))
                    .collect();
                schema.enums.push(EnumSchema {
                    variants,
                    shared,
                    labels,
                    spans: vs.iter().map(|v| v.name.span).collect(),
                });
                Ty::Enum((schema.enums.len() - 1) as u16)
            }
            TypeDecl::Record | TypeDecl::List { .. } => {
                schema.records.push(RecordSchema::default());
                let child = (schema.records.len() - 1) as RecId;
                fill(schema, child, &d.children, diags);
                if let TypeDecl::List { key, incomplete } = &d.ty.node {
                    if let Some(r) = schema.records.get_mut(child as usize) {
                        r.incomplete = *incomplete;
                    }
                    if let Some(k) = key {
                        let found = schema
                            .records
                            .get(child as usize)
                            .and_then(|r| r.field(&k.node));
                        match found {
                            Some(fid) => {
                                let kty = schema.records[child as usize].fields[fid as usize].ty;
                                if !matches!(kty, Ty::Text | Ty::Int) {
                                    diags.push(Diagnostic::new(
                                        Code::BadVocabulary,
                                        k.span,
                                        "a list's key must be a text or int field",
                                    ));
                                }
                                schema.records[child as usize].key = Some(fid);
                            }
                            None => diags.push(Diagnostic::new(
                                Code::UnknownField,
                                k.span,
                                format!("the key `{}` is not a field of `{}`", k.node, d.name.node),
                            )),
                        }
                    }
                    Ty::List(child)
                } else {
                    Ty::Record(child)
                }
            }
        };
        let range = range(d, ty, diags);
        fields.push(FieldSchema {
            name: d.name.node.clone(),
            ty,
            range,
            labels: d.labels.clone(),
            attested: d.attested,
            span: d.name.span,
        });
    }
    if let Some(r) = schema.records.get_mut(rec as usize) {
        r.fields = fields;
    }
}

/// A field's stated range: only numbers have one, and its bounds must leave some value.
fn range(d: &FieldDecl, ty: Ty, diags: &mut Vec<Diagnostic>) -> Range {
    let mut range = Range::default();
    for b in &d.bounds {
        if !ty.is_numeric() {
            diags.push(
                Diagnostic::new(
                    Code::BadVocabulary,
                    b.span,
                    format!(
                        "`{}` is not a number, so it cannot have a range",
                        d.name.node
                    ),
                )
                .help("a range like `>= 0` follows int, decimal, money or percent"),
            );
            continue;
        }
        if ty == Ty::Int && !b.node.value.fract().is_zero() {
            diags.push(Diagnostic::new(
                Code::BadVocabulary,
                b.span,
                format!(
                    "`{}` is a whole number; its bound must be one too",
                    d.name.node
                ),
            ));
            continue;
        }
        match range.add(b.node) {
            Ok(()) => {}
            Err(RangeError::Repeated) => diags.push(
                Diagnostic::new(
                    Code::Duplicate,
                    b.span,
                    format!("`{}` already has a bound on this side", d.name.node),
                )
                .help("give at most one lower bound (`>=`, `>`) and one upper bound (`<=`, `<`)"),
            ),
            Err(RangeError::Empty) => diags.push(Diagnostic::new(
                Code::BadVocabulary,
                b.span,
                format!("no value of `{}` satisfies both bounds", d.name.node),
            )),
        }
    }
    range
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::syntax::ast::Item;

    fn schema_of(src: &str) -> (Schema, Vec<Diagnostic>) {
        let items = crate::syntax::parse_file(0, src).unwrap();
        let Some(Item::Facts(decls)) = items.into_iter().next() else {
            panic!("a facts block")
        };
        let mut diags = Vec::new();
        (build(&decls, &mut diags), diags)
    }

    #[test]
    fn ranges_are_typed_in_the_schema() {
        let (s, d) = schema_of(
            r#"facts { fee: money >= 0 "费" | "fee"  share: percent > 0 <= 100 "比例" | "share"  n: int "数" | "n" }"#,
        );
        assert!(d.is_empty(), "{d:?}");
        let f = &s.records[0].fields;
        assert_eq!(
            f[0].range.min,
            Some(super::super::range::Bound {
                value: rust_decimal::Decimal::ZERO,
                inclusive: true
            })
        );
        assert_eq!(f[0].range.max, None);
        assert_eq!(f[1].range.min.map(|b| b.inclusive), Some(false));
        assert_eq!(
            f[1].range.max.map(|b| b.value),
            Some(rust_decimal::Decimal::ONE_HUNDRED)
        );
        assert!(f[2].range.is_open());
    }

    #[test]
    fn a_range_on_a_non_number_or_an_empty_range_is_an_error() {
        let (_, d) = schema_of(
            r#"facts { t: text >= 0 "文" | "t"  m: money >= 5 < 5 "钱" | "m"  n: int >= 0 >= 1 "数" | "n"  k: int >= 0.5 "k" | "k" }"#,
        );
        let msgs: Vec<&str> = d.iter().map(|x| x.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`t` is not a number, so it cannot have a range",
                "no value of `m` satisfies both bounds",
                "`n` already has a bound on this side",
                "`k` is a whole number; its bound must be one too",
            ]
        );
    }
}
