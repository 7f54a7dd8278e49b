//! The `facts` block to a `Schema` of records, fields and enumerations.

use super::error::{Code, Diagnostic};
use super::ir::{EnumSchema, FieldSchema, RecId, RecordSchema, Schema, Ty};
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
        fields.push(FieldSchema {
            name: d.name.node.clone(),
            ty,
            labels: d.labels.clone(),
            attested: d.attested,
            span: d.name.span,
        });
    }
    if let Some(r) = schema.records.get_mut(rec as usize) {
        r.fields = fields;
    }
}
