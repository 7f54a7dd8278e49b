//! Names and types of expressions: AST expressions to typed `Ex`, every error collected.

use super::error::{Code, Diagnostic};
use super::ir::*;
use crate::syntax::ast::{
    self, BinOp, Comprehension, DurationUnit, Expr, ExprKind, Quantity, Source, UnOp,
};

use std::collections::HashMap;

#[derive(Debug, Clone)]
enum GlobalState {
    Pending,
    InProgress,
    Done(Ty),
    Failed,
}

/// Everything the expression compiler needs across one policy.
pub struct ExprCompiler<'s> {
    pub schema: &'s Schema,
    pub meta: &'s Meta,
    pub diags: Vec<Diagnostic>,
    pub globals: Vec<Option<Global>>,
    global_defs: Vec<ast::LetDef>,
    global_index: HashMap<String, u16>,
    global_state: Vec<GlobalState>,
    pub labels: Vec<String>,
    pub next_slot: u16,
    /// Variables in scope, innermost last.
    scope: Vec<(String, Slot, Ty)>,
    /// The name of the `let` being compiled, used to label `only(...)` elements in paths.
    let_name: Option<String>,
    /// Rule values whose definition failed: their uses are not reported again.
    poisoned: Vec<String>,
    /// How deep `expr` is nested now, through sub-expressions and `let` values that use other
    /// `let` values: bounded so that no rule file can overflow the stack.
    depth: usize,
    /// The deepest `depth` reached so far inside the expression being compiled: a global's
    /// height is measured with it.
    deepest: usize,
    /// How many levels each compiled global adds where it is used. Evaluation computes a global
    /// at its first use, nested inside that use, so a chain of `let` values compiled in order
    /// (each one already done when the next uses it) is as deep at evaluation as if it were
    /// written out: each use must count the global's own height.
    global_height: Vec<usize>,
    /// Values defined as a bare number (`let threshold = 3`), by slot: compared with money, the
    /// help says how to write the number with a unit.
    pub bare_numbers: HashMap<Slot, rust_decimal::Decimal>,
}

/// Deeper than any rule a person writes, well inside the stack of a test thread. The parser
/// bounds one expression's depth already; this bound also covers chains of `let` values.
const MAX_DEPTH: usize = 400;

pub fn ty_name(schema: &Schema, ty: Ty) -> String {
    match ty {
        Ty::Bool => "a yes/no value".into(),
        Ty::Int => "a whole number".into(),
        Ty::Decimal => "a number".into(),
        Ty::Money => "an amount of money".into(),
        Ty::Percent => "a percentage".into(),
        Ty::Date => "a date".into(),
        Ty::Duration => "a duration".into(),
        Ty::Text => "a text".into(),
        Ty::Enum(e) => match schema.enums.get(e as usize) {
            Some(en) => format!("one of ({})", en.variants.join(", ")),
            None => "an enumeration".into(),
        },
        Ty::Record(_) => "a record".into(),
        Ty::List(_) => "a list".into(),
    }
}

type Typed = Option<(Ex, Ty)>;

impl<'s> ExprCompiler<'s> {
    pub fn new(schema: &'s Schema, meta: &'s Meta, global_defs: Vec<ast::LetDef>) -> Self {
        let mut diags = Vec::new();
        let mut global_index = HashMap::new();
        for (i, d) in global_defs.iter().enumerate() {
            if global_index.insert(d.name.node.clone(), i as u16).is_some() {
                diags.push(Diagnostic::new(
                    Code::Duplicate,
                    d.name.span,
                    format!("the value `{}` is defined twice", d.name.node),
                ));
            }
        }
        let n = global_defs.len();
        ExprCompiler {
            schema,
            meta,
            diags,
            globals: vec![None; n],
            global_defs,
            global_index,
            global_state: vec![GlobalState::Pending; n],
            labels: Vec::new(),
            next_slot: 0,
            scope: Vec::new(),
            let_name: None,
            poisoned: Vec::new(),
            depth: 0,
            deepest: 0,
            global_height: vec![0; n],
            bare_numbers: HashMap::new(),
        }
    }

    pub fn compile_all_globals(&mut self) {
        for i in 0..self.global_defs.len() {
            self.global(i as u16, None);
        }
    }

    fn err(&mut self, code: Code, span: crate::source::Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, span, msg));
    }

    fn tyn(&self, ty: Ty) -> String {
        ty_name(self.schema, ty)
    }

    pub fn alloc_slot(&mut self) -> Slot {
        self.next_slot += 1;
        self.next_slot - 1
    }

    pub fn push_var(&mut self, name: &str, slot: Slot, ty: Ty) {
        self.scope.push((name.to_string(), slot, ty));
    }

    /// Run `f` in a new scope: every variable it pushes is gone when it returns.
    pub fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.scope.len();
        let out = f(self);
        self.scope.truncate(depth);
        out
    }

    /// Run `f` with one more variable in scope.
    fn with_var<T>(&mut self, name: &str, slot: Slot, ty: Ty, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scoped(|ec| {
            ec.push_var(name, slot, ty);
            f(ec)
        })
    }

    /// A value whose definition already failed: later uses report nothing more.
    pub fn poison(&mut self, name: &str) {
        self.poisoned.push(name.to_string());
    }

    pub fn clear_poison(&mut self) {
        self.poisoned.clear();
    }

    pub fn is_poisoned(&self, name: &str) -> bool {
        self.poisoned.iter().any(|p| p == name)
    }

    /// The number a plain-number expression stands for, when it is a literal or a value
    /// defined as one.
    fn bare_number(&self, ex: &Ex) -> Option<rust_decimal::Decimal> {
        match ex {
            Ex::Int(n) => Some(rust_decimal::Decimal::from(*n)),
            Ex::Num(d) => Some(*d),
            Ex::Var(s) => self.bare_numbers.get(s).copied(),
            Ex::Global(g) => self
                .globals
                .get(usize::from(*g))
                .and_then(|x| x.as_ref())
                .and_then(|x| self.bare_number(&x.ex)),
            _ => None,
        }
    }

    /// Money compared with a plain number other than zero: the number has lost its unit, and a
    /// letter would print "at least 3" where the measures name an amount with its unit.
    fn money_against_number(
        &mut self,
        money: Ty,
        other: (&Ex, Ty),
        span: crate::source::Span,
    ) -> bool {
        if money != Ty::Money || !matches!(other.1, Ty::Int | Ty::Decimal) {
            return false;
        }
        let n = self.bare_number(other.0);
        if n.is_some_and(|n| n.is_zero()) {
            return false;
        }
        let units: Vec<&crate::units::Unit> = crate::units::money_scales().collect();
        let help = match (
            n,
            units.first(),
            units
                .iter()
                .find(|u| u.factor == rust_decimal::Decimal::ONE),
        ) {
            (Some(n), Some(big), Some(base)) => format!(
                "write {}{} or {}{}",
                n.normalize(),
                big.name,
                (n * big.factor).normalize(),
                base.name
            ),
            _ => "give the number a money unit (grammar/units.txt)".to_string(),
        };
        self.diags.push(
            Diagnostic::new(
                Code::TypeMismatch,
                span,
                "a number without a unit is compared with an amount of money",
            )
            .help(help),
        );
        true
    }

    pub fn global_by_name(&self, name: &str) -> Option<u16> {
        self.global_index.get(name).copied()
    }

    fn global(&mut self, idx: u16, use_span: Option<crate::source::Span>) -> Option<Ty> {
        match self.global_state.get(idx as usize).cloned()? {
            GlobalState::Done(t) => {
                let height = self.global_height.get(idx as usize).copied().unwrap_or(0);
                if self.depth + height > MAX_DEPTH {
                    let span = use_span.unwrap_or(self.global_defs[idx as usize].name.span);
                    self.too_deep(span);
                    return None;
                }
                self.deepest = self.deepest.max(self.depth + height);
                Some(t)
            }
            GlobalState::Failed => None,
            GlobalState::InProgress => {
                let name = self.global_defs[idx as usize].name.clone();
                self.err(
                    Code::Cycle,
                    use_span.unwrap_or(name.span),
                    format!("the value `{}` is defined in terms of itself", name.node),
                );
                None
            }
            GlobalState::Pending => {
                self.global_state[idx as usize] = GlobalState::InProgress;
                let def = self.global_defs[idx as usize].clone();
                let saved_scope = std::mem::take(&mut self.scope);
                let saved_let = self.let_name.replace(def.name.node.clone());
                let start = self.depth;
                let saved_deepest = std::mem::replace(&mut self.deepest, start);
                let r = self.expr(&def.expr);
                if let Some(h) = self.global_height.get_mut(idx as usize) {
                    *h = self.deepest - start;
                }
                self.deepest = self.deepest.max(saved_deepest);
                self.scope = saved_scope;
                self.let_name = saved_let;
                match r {
                    Some((ex, ty)) => {
                        self.globals[idx as usize] = Some(Global {
                            name: def.name.node.clone(),
                            ex,
                            ty,
                            labels: def.labels.clone(),
                        });
                        self.global_state[idx as usize] = GlobalState::Done(ty);
                        Some(ty)
                    }
                    None => {
                        self.global_state[idx as usize] = GlobalState::Failed;
                        None
                    }
                }
            }
        }
    }

    /// Compile a rule-local `let`; `only(...)` elements are labelled with its name.
    pub fn let_expr(&mut self, name: &str, e: &Expr) -> Typed {
        let saved = self.let_name.replace(name.to_string());
        let r = self.expr(e);
        self.let_name = saved;
        r
    }

    pub fn expect(&mut self, e: &Expr, want: Ty, what: &str) -> Option<Ex> {
        let (ex, ty) = self.expr(e)?;
        if ty == want || (want == Ty::Decimal && ty == Ty::Int) {
            Some(ex)
        } else {
            let msg = format!(
                "{what} must be {}, but this is {}",
                self.tyn(want),
                self.tyn(ty)
            );
            self.err(Code::TypeMismatch, e.span, msg);
            None
        }
    }

    fn too_deep(&mut self, span: crate::source::Span) {
        self.err(
            Code::TooDeep,
            span,
            format!("this expression nests more than {MAX_DEPTH} levels deep (counting the `let` values it uses)"),
        );
    }

    pub fn expr(&mut self, e: &Expr) -> Typed {
        if self.depth >= MAX_DEPTH {
            self.too_deep(e.span);
            return None;
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        let r = self.expr_at(e);
        self.depth -= 1;
        r
    }

    fn expr_at(&mut self, e: &Expr) -> Typed {
        let s = e.span;
        match &e.kind {
            ExprKind::Bool(b) => Some((Ex::Bool(*b), Ty::Bool)),
            ExprKind::Quantity(q) => Some(quantity(*q)),
            ExprKind::Date(d) => Some((Ex::Date(*d), Ty::Date)),
            ExprKind::Text(t) => Some((Ex::Text(t.clone().into_boxed_str()), Ty::Text)),
            ExprKind::Name(n) => self.name(n, s),
            ExprKind::Field(base, field) => {
                if let ExprKind::Name(b) = &base.kind {
                    if b == "policy" && !self.scope.iter().any(|v| v.0 == "policy") {
                        return match field.node.as_str() {
                            "effective" => match self.meta.effective {
                                Some(_) => Some((Ex::PolicyDay(PolicyDay::Effective), Ty::Date)),
                                None => {
                                    self.err(
                                        Code::BadHeader,
                                        field.span,
                                        "the policy header has no `effective` date",
                                    );
                                    None
                                }
                            },
                            "validity" => match self.meta.validity {
                                Some(d) => Some((Ex::Dur(d), Ty::Duration)),
                                None => {
                                    self.err(
                                        Code::BadHeader,
                                        field.span,
                                        "the policy header has no `validity`",
                                    );
                                    None
                                }
                            },
                            "last_day" => match self.meta.effective {
                                Some(_) => Some((Ex::PolicyDay(PolicyDay::LastDay), Ty::Date)),
                                None => {
                                    self.err(
                                        Code::BadHeader,
                                        field.span,
                                        "the policy header has no `effective` date",
                                    );
                                    None
                                }
                            },
                            other => {
                                self.err(Code::UnknownField, field.span, format!("the policy header has no value `{other}`; use `policy.effective`, `policy.validity` or `policy.last_day`"));
                                None
                            }
                        };
                    }
                }
                let (bex, bty) = self.expr(base)?;
                match bty {
                    Ty::Record(r) => {
                        let rs = &self.schema.records[r as usize];
                        match rs.field(&field.node) {
                            Some(f) => {
                                Some((Ex::Field(Box::new(bex), r, f), rs.fields[f as usize].ty))
                            }
                            None => {
                                let d = Diagnostic::new(
                                    Code::UnknownField,
                                    field.span,
                                    format!("`{}` is not a fact of this record", field.node),
                                )
                                .suggesting(&field.node, rs.fields.iter().map(|f| f.name.as_str()));
                                self.diags.push(d);
                                None
                            }
                        }
                    }
                    Ty::List(_) => {
                        self.diags.push(Diagnostic::new(Code::TypeMismatch, field.span, format!("a list has no fact `{}`", field.node))
                            .help("take one element with `list[key]`, or use count(...), any(...), all(...), sum(...)"));
                        None
                    }
                    other => {
                        let msg = format!(
                            "`{}` is asked of {}, which has no facts",
                            field.node,
                            self.tyn(other)
                        );
                        self.err(Code::TypeMismatch, field.span, msg);
                        None
                    }
                }
            }
            ExprKind::Index(base, key) => {
                let (bex, bty) = self.expr(base)?;
                let Ty::List(r) = bty else {
                    let msg = format!(
                        "only a list can be looked up with `[…]`, but this is {}",
                        self.tyn(bty)
                    );
                    self.err(Code::TypeMismatch, base.span, msg);
                    return None;
                };
                let rs = &self.schema.records[r as usize];
                let Some(kf) = rs.key else {
                    self.diags.push(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            e.span,
                            "this list has no key to look up by",
                        )
                        .help("declare it as `list by <field>` in the facts"),
                    );
                    return None;
                };
                let kty = rs.fields[kf as usize].ty;
                let kex = self.expect(key, kty, "the key")?;
                Some((Ex::Lookup(Box::new(bex), r, Box::new(kex)), Ty::Record(r)))
            }
            ExprKind::InSet(lhs, names) => {
                let (lex, lty) = self.expr(lhs)?;
                let Ty::Enum(en) = lty else {
                    let msg = format!(
                        "`in [...]` needs one of a set of values, but this is {}",
                        self.tyn(lty)
                    );
                    self.err(Code::TypeMismatch, lhs.span, msg);
                    return None;
                };
                let mut idx = Vec::new();
                for n in names {
                    idx.push(self.variant(en, &n.node, n.span)?);
                }
                Some((Ex::InSet(Box::new(lex), idx.into_boxed_slice()), Ty::Bool))
            }
            ExprKind::Unary(UnOp::Not, x) => Some((
                Ex::Not(Box::new(self.expect(
                    x,
                    Ty::Bool,
                    "the operand of `not`",
                )?)),
                Ty::Bool,
            )),
            ExprKind::Unary(UnOp::Neg, x) => {
                let (xe, ty) = self.expr(x)?;
                if !ty.is_numeric() {
                    let msg = format!("only numbers can be negated, but this is {}", self.tyn(ty));
                    self.err(Code::TypeMismatch, x.span, msg);
                    return None;
                }
                Some((Ex::Neg(Box::new(xe)), ty))
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, s),
            ExprKind::Call {
                func,
                args,
                comprehension,
            } => self.call(func, args, comprehension.as_deref(), s),
        }
    }

    fn variant(&mut self, en: EnumId, name: &str, span: crate::source::Span) -> Option<u16> {
        let vs = &self.schema.enums[en as usize].variants;
        match vs.iter().position(|v| v == name) {
            Some(i) => Some(i as u16),
            None => {
                let d = Diagnostic::new(
                    Code::UnknownEnumValue,
                    span,
                    format!(
                        "`{name}` is not one of the allowed values ({})",
                        vs.join(", ")
                    ),
                )
                .suggesting(name, vs.iter().map(|s| s.as_str()));
                self.diags.push(d);
                None
            }
        }
    }

    fn name(&mut self, n: &str, s: crate::source::Span) -> Typed {
        if let Some((_, slot, ty)) = self.scope.iter().rev().find(|v| v.0 == n) {
            return Some((Ex::Var(*slot), *ty));
        }
        if let Some(g) = self.global_by_name(n) {
            let ty = self.global(g, Some(s))?;
            return Some((Ex::Global(g), ty));
        }
        if n == "as_of" {
            return Some((Ex::AsOf, Ty::Date));
        }
        if self.poisoned.iter().any(|p| p == n) {
            return None;
        }
        let root = &self.schema.records[0];
        if let Some(f) = root.field(n) {
            return Some((
                Ex::Field(Box::new(Ex::Root), 0, f),
                root.fields[f as usize].ty,
            ));
        }
        let mut cands: Vec<&str> = self.scope.iter().map(|v| v.0.as_str()).collect();
        cands.extend(self.global_index.keys().map(|k| k.as_str()));
        cands.extend(root.fields.iter().map(|f| f.name.as_str()));
        cands.push("as_of");
        let d = Diagnostic::new(
            Code::UnknownName,
            s,
            format!("`{n}` is not a fact, a value or a variable in scope"),
        )
        .suggesting(n, cands);
        self.diags.push(d);
        None
    }

    /// Compile `b` knowing that it is compared with a value of type `other`: a bare name that is
    /// one of `other`'s enumeration values becomes that value.
    fn against(&mut self, e: &Expr, other: Ty) -> Typed {
        if let (ExprKind::Name(n), Ty::Enum(en)) = (&e.kind, other) {
            let shadowed = self.scope.iter().any(|v| &v.0 == n);
            if !shadowed {
                if let Some(i) = self.schema.enums[en as usize]
                    .variants
                    .iter()
                    .position(|v| v == n)
                {
                    return Some((Ex::Enum(i as u16), other));
                }
                if self.global_by_name(n).is_none() && self.schema.records[0].field(n).is_none() {
                    self.variant(en, n, e.span)?;
                }
            }
        }
        self.expr(e)
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, s: crate::source::Span) -> Typed {
        match op {
            BinOp::And | BinOp::Or => {
                let l = self.expect(a, Ty::Bool, "each side of `and`/`or`");
                let r = self.expect(b, Ty::Bool, "each side of `and`/`or`");
                let (l, r) = (Box::new(l?), Box::new(r?));
                Some((
                    if op == BinOp::And {
                        Ex::And(l, r)
                    } else {
                        Ex::Or(l, r)
                    },
                    Ty::Bool,
                ))
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                // A bare enumeration value may stand on either side.
                let (lex, lty, rex, rty) = if matches!(a.kind, ExprKind::Name(_))
                    && !matches!(b.kind, ExprKind::Name(_))
                {
                    let (rex, rty) = self.expr(b)?;
                    let (lex, lty) = self.against(a, rty)?;
                    (lex, lty, rex, rty)
                } else {
                    let (lex, lty) = self.expr(a)?;
                    let (rex, rty) = self.against(b, lty)?;
                    (lex, lty, rex, rty)
                };
                if self.money_against_number(lty, (&rex, rty), b.span)
                    || self.money_against_number(rty, (&lex, lty), a.span)
                {
                    return None;
                }
                let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
                let ok = comparable(lty, rty)
                    && !(ordered && matches!(lty, Ty::Bool | Ty::Enum(_) | Ty::Text));
                if !ok {
                    let msg = format!("cannot compare {} with {}", self.tyn(lty), self.tyn(rty));
                    self.diags.push(Diagnostic::new(Code::TypeMismatch, s, msg).help("both sides of a comparison must be of the same kind: money with money, dates with dates, percentages with percentages"));
                    return None;
                }
                let cop = match op {
                    BinOp::Eq => CmpOp::Eq,
                    BinOp::Ne => CmpOp::Ne,
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let kind = if lty.is_numeric() {
                    widen(lty, rty).unwrap_or(lty)
                } else {
                    lty
                };
                Some((Ex::Cmp(cop, Box::new(lex), Box::new(rex), kind), Ty::Bool))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let l = self.expr(a);
                let r = self.expr(b);
                let ((lex, lty), (rex, rty)) = (l?, r?);
                let sub = op == BinOp::Sub;
                // Calendar arithmetic.
                if matches!(op, BinOp::Add | BinOp::Sub) && lty == Ty::Date && rty == Ty::Duration {
                    return Some((Ex::DateShift(Box::new(lex), Box::new(rex), sub), Ty::Date));
                }
                if op == BinOp::Mul && (lty, rty) == (Ty::Duration, Ty::Int) {
                    return Some((Ex::DurScale(Box::new(lex), Box::new(rex)), Ty::Duration));
                }
                if op == BinOp::Mul && (lty, rty) == (Ty::Int, Ty::Duration) {
                    return Some((Ex::DurScale(Box::new(rex), Box::new(lex)), Ty::Duration));
                }
                let result = arith_type(op, lty, rty);
                match result {
                    Some(t) => {
                        let aop = match op {
                            BinOp::Add => ArithOp::Add,
                            BinOp::Sub => ArithOp::Sub,
                            BinOp::Mul => ArithOp::Mul,
                            _ => ArithOp::Div,
                        };
                        Some((Ex::Arith(aop, Box::new(lex), Box::new(rex)), t))
                    }
                    None => {
                        let msg = format!(
                            "cannot {} {} and {}",
                            match op {
                                BinOp::Add => "add",
                                BinOp::Sub => "subtract",
                                BinOp::Mul => "multiply",
                                _ => "divide",
                            },
                            self.tyn(lty),
                            self.tyn(rty)
                        );
                        self.err(Code::TypeMismatch, s, msg);
                        None
                    }
                }
            }
        }
    }

    fn call(
        &mut self,
        func: &ast::Name,
        args: &[Expr],
        comp: Option<&Comprehension>,
        s: crate::source::Span,
    ) -> Typed {
        let f = func.node.as_str();
        let agg = match f {
            "count" => Some(AggKind::Count),
            "sum" => Some(AggKind::Sum),
            "mean" => Some(AggKind::Mean),
            "min" => Some(AggKind::Min),
            "max" => Some(AggKind::Max),
            "any" => Some(AggKind::Any),
            "all" => Some(AggKind::All),
            _ => None,
        };
        if let (Some(kind), Some(c)) = (agg, comp) {
            return self.aggregate(kind, c, s);
        }
        match (f, comp) {
            ("only", Some(c)) => {
                let Source::List(list) = &c.source else {
                    self.err(
                        Code::TypeMismatch,
                        s,
                        "only(...) picks from a list: write only(x in list where …)",
                    );
                    return None;
                };
                let (lex, lty) = self.expr(list)?;
                let Ty::List(rec) = lty else {
                    let msg = format!("only(...) picks from a list, but this is {}", self.tyn(lty));
                    self.err(Code::TypeMismatch, list.span, msg);
                    return None;
                };
                let var = self.alloc_slot();
                let filter = self.with_var(&c.var.node, var, Ty::Record(rec), |ec| {
                    c.filter.as_ref().and_then(|fe| {
                        ec.expect(fe, Ty::Bool, "the `where` condition")
                            .map(Box::new)
                    })
                });
                if c.filter.is_some() && filter.is_none() {
                    return None;
                }
                let label_name = self.let_name.clone().unwrap_or_else(|| c.var.node.clone());
                self.labels.push(label_name);
                let label = (self.labels.len() - 1) as u16;
                Some((
                    Ex::Only {
                        var,
                        list: Box::new(lex),
                        rec,
                        filter,
                        label,
                    },
                    Ty::Record(rec),
                ))
            }
            ("min" | "max", None) if args.len() >= 2 => {
                let mut exs = Vec::new();
                let mut ty: Option<Ty> = None;
                for a in args {
                    let (x, t) = self.expr(a)?;
                    if !t.is_numeric() {
                        let msg = format!("{f}(...) takes numbers, but this is {}", self.tyn(t));
                        self.err(Code::TypeMismatch, a.span, msg);
                        return None;
                    }
                    ty = Some(match ty {
                        None => t,
                        Some(prev) => match widen(prev, t) {
                            Some(w) => w,
                            None => {
                                let msg = format!(
                                    "{f}(...) mixes {} and {}",
                                    self.tyn(prev),
                                    self.tyn(t)
                                );
                                self.err(Code::TypeMismatch, a.span, msg);
                                return None;
                            }
                        },
                    });
                    exs.push(x);
                }
                Some((Ex::MinMax(f == "max", exs), ty.unwrap_or(Ty::Decimal)))
            }
            ("year", None) if args.len() == 1 => Some((
                Ex::Year(Box::new(self.expect(
                    &args[0],
                    Ty::Date,
                    "the argument of year(...)",
                )?)),
                Ty::Int,
            )),
            ("date", None) if args.len() == 3 => {
                let y = self.expect(&args[0], Ty::Int, "the year");
                let m = self.expect(&args[1], Ty::Int, "the month");
                let d = self.expect(&args[2], Ty::Int, "the day");
                Some((
                    Ex::MakeDate(Box::new(y?), Box::new(m?), Box::new(d?)),
                    Ty::Date,
                ))
            }
            ("exists", None) if args.len() == 1 => {
                Some((Ex::Exists(Box::new(self.expr(&args[0])?.0)), Ty::Bool))
            }
            ("known", None) if args.len() == 1 => {
                Some((Ex::Known(Box::new(self.expr(&args[0])?.0)), Ty::Bool))
            }
            _ => {
                let known = [
                    "count", "sum", "mean", "min", "max", "any", "all", "only", "year", "date",
                    "exists", "known",
                ];
                let d = if known.contains(&f) {
                    Diagnostic::new(
                        Code::UnknownFunction,
                        s,
                        format!("{f}(...) is not written this way"),
                    )
                    .help(usage(f))
                } else {
                    Diagnostic::new(
                        Code::UnknownFunction,
                        func.span,
                        format!("there is no function `{f}`"),
                    )
                    .help(format!("the functions are: {}", known.join(", ")))
                    .suggesting(f, known)
                };
                self.diags.push(d);
                None
            }
        }
    }

    fn aggregate(&mut self, kind: AggKind, c: &Comprehension, s: crate::source::Span) -> Typed {
        let var = self.alloc_slot();
        let (src, var_ty) = match &c.source {
            Source::List(list) => {
                let (lex, lty) = self.expr(list)?;
                let Ty::List(rec) = lty else {
                    let msg = format!(
                        "this aggregate runs over a list, but this is {}",
                        self.tyn(lty)
                    );
                    self.diags
                        .push(Diagnostic::new(Code::TypeMismatch, list.span, msg).help(
                        "aggregates (count, sum, mean, min, max, any, all) need a list of records",
                    ));
                    return None;
                };
                (Src::List(lex, rec), Ty::Record(rec))
            }
            Source::Range(a, b) => {
                let ae = self.expect(a, Ty::Int, "the start of a range");
                let be = self.expect(b, Ty::Int, "the end of a range");
                (Src::Range(ae?, be?), Ty::Int)
            }
        };
        let (filter, body) = self.with_var(&c.var.node, var, var_ty, |ec| {
            let filter = c
                .filter
                .as_ref()
                .map(|f| ec.expect(f, Ty::Bool, "the `where` condition"));
            (filter, c.body.as_ref().map(|b| ec.expr(b)))
        });
        let filter = match filter {
            Some(Some(f)) => Some(f),
            Some(None) => return None,
            None => None,
        };
        let body = match body {
            Some(Some(b)) => Some(b),
            Some(None) => return None,
            None => None,
        };
        let (body, ty, int_result) = match kind {
            AggKind::Count | AggKind::Any | AggKind::All => {
                if let Some((_, bt)) = &body {
                    if *bt != Ty::Bool {
                        let msg = format!(
                            "the condition of this aggregate must be a yes/no value, but it is {}",
                            self.tyn(*bt)
                        );
                        self.err(Code::TypeMismatch, s, msg);
                        return None;
                    }
                }
                if kind == AggKind::All && body.is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownFunction,
                            s,
                            "all(...) needs a condition to test",
                        )
                        .help("write all(<condition> for x in list where …)"),
                    );
                    return None;
                }
                (
                    body.map(|b| b.0),
                    if kind == AggKind::Count {
                        Ty::Int
                    } else {
                        Ty::Bool
                    },
                    kind == AggKind::Count,
                )
            }
            AggKind::Sum | AggKind::Mean | AggKind::Min | AggKind::Max => {
                let Some((bex, bt)) = body else {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownFunction,
                            s,
                            "this aggregate needs a value to add up",
                        )
                        .help("write sum(<value> for x in list where …)"),
                    );
                    return None;
                };
                if !bt.is_numeric() {
                    let msg = format!(
                        "only numbers can be aggregated, but this is {}",
                        self.tyn(bt)
                    );
                    self.err(Code::TypeMismatch, s, msg);
                    return None;
                }
                let ty = if kind == AggKind::Mean && bt == Ty::Int {
                    Ty::Decimal
                } else {
                    bt
                };
                (Some(bex), ty, bt == Ty::Int && kind != AggKind::Mean)
            }
        };
        Some((
            Ex::Agg(Box::new(Agg {
                kind,
                var,
                src,
                filter,
                body,
                int_result,
            })),
            ty,
        ))
    }
}

fn usage(f: &str) -> String {
    match f {
        "count" => "write count(x in list where …)".into(),
        "only" => "write only(x in list where …)".into(),
        "year" | "exists" | "known" => format!("write {f}(<value>)"),
        "date" => "write date(year, month, day)".into(),
        "min" | "max" => format!("write {f}(a, b, …) or {f}(<value> for x in list)"),
        _ => format!("write {f}(<value> for x in list where …)"),
    }
}

fn quantity(q: Quantity) -> (Ex, Ty) {
    match q {
        Quantity::Number(n) => {
            if n.fract().is_zero() {
                if let Ok(i) = i64::try_from(n) {
                    return (Ex::Int(i), Ty::Int);
                }
            }
            (Ex::Num(n), Ty::Decimal)
        }
        Quantity::Money(m) => (Ex::Num(m), Ty::Money),
        Quantity::Percent(p) => (Ex::Num(p), Ty::Percent),
        Quantity::Duration(n, u) => {
            let d = match u {
                DurationUnit::Years => Dur {
                    months: n * 12,
                    days: 0,
                },
                DurationUnit::Months => Dur { months: n, days: 0 },
                DurationUnit::Days => Dur { months: 0, days: n },
            };
            (Ex::Dur(d), Ty::Duration)
        }
    }
}

fn comparable(a: Ty, b: Ty) -> bool {
    if a == b {
        return !matches!(a, Ty::Record(_) | Ty::List(_) | Ty::Duration);
    }
    let plain = |t: Ty| matches!(t, Ty::Int | Ty::Decimal);
    (plain(a) && b.is_numeric()) || (plain(b) && a.is_numeric())
}

fn widen(a: Ty, b: Ty) -> Option<Ty> {
    if a == b {
        return Some(a);
    }
    match (a, b) {
        (Ty::Int, Ty::Decimal) | (Ty::Decimal, Ty::Int) => Some(Ty::Decimal),
        (Ty::Money, Ty::Int | Ty::Decimal) | (Ty::Int | Ty::Decimal, Ty::Money) => Some(Ty::Money),
        (Ty::Percent, Ty::Int | Ty::Decimal) | (Ty::Int | Ty::Decimal, Ty::Percent) => {
            Some(Ty::Percent)
        }
        _ => None,
    }
}

fn arith_type(op: BinOp, a: Ty, b: Ty) -> Option<Ty> {
    use Ty::*;
    match op {
        BinOp::Add | BinOp::Sub => match (a, b) {
            (Int, Int) => Some(Int),
            (Money, Money) => Some(Money),
            (Percent, Percent) => Some(Percent),
            (Decimal | Int, Decimal | Int) => Some(Decimal),
            _ => None,
        },
        BinOp::Mul => match (a, b) {
            (Int, Int) => Some(Int),
            (Money, Int | Decimal | Percent) | (Int | Decimal | Percent, Money) => Some(Money),
            (Percent, Int | Decimal) | (Int | Decimal, Percent) => Some(Percent),
            (Decimal | Int, Decimal | Int) => Some(Decimal),
            _ => None,
        },
        BinOp::Div => match (a, b) {
            (Money, Money) => Some(Percent),
            (Money, Int | Decimal) => Some(Money),
            (Percent, Int | Decimal) => Some(Percent),
            (Int | Decimal, Int | Decimal) => Some(Decimal),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::usage;
    #[test]
    fn the_help_for_a_misused_function_shows_its_own_forms() {
        assert_eq!(
            usage("min"),
            "write min(a, b, …) or min(<value> for x in list)"
        );
        assert_eq!(usage("known"), "write known(<value>)");
        assert_eq!(usage("sum"), "write sum(<value> for x in list where …)");
    }
}
