//! The pack expression language: numbers, booleans, indicator names,
//! arithmetic, comparisons, `and`/`or`/`not` and a few pure functions.
//!
//! Expressions are parsed and type-checked when a pack is loaded, so a typo
//! or a type error is reported with its position before any scoring runs.
//! Evaluation is total: missing data yields "no value" (propagated like SQL
//! NULL) and a division by zero is reported, never a panic.

use std::fmt;

/// A name resolver used while parsing: maps an indicator id to its index.
pub trait Names {
    fn resolve(&self, name: &str) -> Option<usize>;
}

impl<F: Fn(&str) -> Option<usize>> Names for F {
    fn resolve(&self, name: &str) -> Option<usize> {
        self(name)
    }
}

/// An error in an expression, with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl ExprError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    Boolean,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Number => "number",
            Type::Boolean => "boolean",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Boolean(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Min,
    Max,
    Abs,
    Round,
    If,
    Coalesce,
    Present,
}

#[derive(Debug, Clone)]
enum Node {
    Number(f64),
    Boolean(bool),
    Indicator(usize),
    Neg(Box<Node>),
    Not(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

/// A checked expression, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Expr {
    source: String,
    root: Node,
    ty: Type,
    indicators: Vec<usize>,
}

/// Why an expression produced no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoValue {
    /// An indicator it needs has no data.
    MissingData,
    DivisionByZero,
}

impl Expr {
    /// Parses and type-checks `source`; indicator names resolve through `names`.
    pub fn parse(source: &str, names: &dyn Names) -> Result<Expr, ExprError> {
        let tokens = lex(source)?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            names,
            end: source.len(),
            depth: 0,
        };
        let root = parser.expression(0)?;
        if let Some(tok) = parser.tokens.get(parser.pos) {
            return Err(ExprError::new(
                tok.offset,
                format!("unexpected {} after the end of the expression", tok.kind),
            ));
        }
        let ty = check(&root)?;
        let mut indicators = Vec::new();
        collect_indicators(&root.0, &mut indicators);
        indicators.sort_unstable();
        indicators.dedup();
        Ok(Expr {
            source: source.to_string(),
            root: root.0,
            ty,
            indicators,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn ty(&self) -> Type {
        self.ty
    }

    /// Indices of the indicators the expression refers to, sorted.
    pub fn indicators(&self) -> &[usize] {
        &self.indicators
    }

    /// Pairs (numerator, denominator) of indicators divided one by the other
    /// somewhere in the expression, e.g. `a / b` in `100 * a / b`.
    pub fn divisions(&self) -> Vec<(usize, usize)> {
        fn walk(node: &Node, out: &mut Vec<(usize, usize)>) {
            match node {
                Node::Binary(op, l, r) => {
                    if *op == BinOp::Div {
                        let mut nums = Vec::new();
                        collect_indicators(l, &mut nums);
                        if let (Node::Indicator(d), [n]) = (r.as_ref(), nums.as_slice()) {
                            out.push((*n, *d));
                        }
                    }
                    walk(l, out);
                    walk(r, out);
                }
                Node::Neg(n) | Node::Not(n) => walk(n, out),
                Node::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The expression is a single indicator name.
    pub fn as_indicator(&self) -> Option<usize> {
        match self.root {
            Node::Indicator(i) => Some(i),
            _ => None,
        }
    }

    pub fn eval(&self, values: &[Option<f64>]) -> Result<Value, NoValue> {
        eval(&self.root, values)
    }

    /// Evaluates a number-typed expression.
    pub fn eval_number(&self, values: &[Option<f64>]) -> Result<f64, NoValue> {
        match self.eval(values)? {
            Value::Number(n) => Ok(n),
            // The type checker guarantees number-typed expressions yield numbers.
            Value::Boolean(b) => Ok(if b { 1.0 } else { 0.0 }),
        }
    }
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum TokKind {
    Number(f64),
    Name(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

impl fmt::Display for TokKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokKind::Number(n) => write!(f, "number `{n}`"),
            TokKind::Name(n) => write!(f, "name `{n}`"),
            TokKind::Op(o) => write!(f, "`{o}`"),
            TokKind::LParen => f.write_str("`(`"),
            TokKind::RParen => f.write_str("`)`"),
            TokKind::Comma => f.write_str("`,`"),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokKind,
    offset: usize,
}

fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            let text = &src[start..i];
            let n: f64 = text
                .parse()
                .map_err(|_| ExprError::new(start, format!("`{text}` is not a number")))?;
            out.push(Token {
                kind: TokKind::Number(n),
                offset: start,
            });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                kind: TokKind::Name(src[start..i].to_string()),
                offset: start,
            });
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let kind = match two {
            "<=" => Some(TokKind::Op("<=")),
            ">=" => Some(TokKind::Op(">=")),
            "==" => Some(TokKind::Op("==")),
            "!=" => Some(TokKind::Op("!=")),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Token {
                kind,
                offset: start,
            });
            i += 2;
            continue;
        }
        let kind = match c {
            b'+' => TokKind::Op("+"),
            b'-' => TokKind::Op("-"),
            b'*' => TokKind::Op("*"),
            b'/' => TokKind::Op("/"),
            b'<' => TokKind::Op("<"),
            b'>' => TokKind::Op(">"),
            b'(' => TokKind::LParen,
            b')' => TokKind::RParen,
            b',' => TokKind::Comma,
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(ExprError::new(
                    start,
                    format!("unexpected character `{ch}`"),
                ));
            }
        };
        out.push(Token {
            kind,
            offset: start,
        });
        i += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------- parser

/// A node with the offset where it starts, for type-error positions.
type Located = (Node, usize);

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    names: &'a dyn Names,
    end: usize,
    depth: usize,
}

/// Deeper nesting is refused: no formula needs it, and it bounds recursion.
const MAX_DEPTH: usize = 64;

fn binary_op(kind: &TokKind) -> Option<(BinOp, u8)> {
    // (operator, binding power): or < and < comparison < additive < multiplicative
    Some(match kind {
        TokKind::Name(n) if n == "or" => (BinOp::Or, 1),
        TokKind::Name(n) if n == "and" => (BinOp::And, 2),
        TokKind::Op("<") => (BinOp::Lt, 3),
        TokKind::Op("<=") => (BinOp::Le, 3),
        TokKind::Op(">") => (BinOp::Gt, 3),
        TokKind::Op(">=") => (BinOp::Ge, 3),
        TokKind::Op("==") => (BinOp::Eq, 3),
        TokKind::Op("!=") => (BinOp::Ne, 3),
        TokKind::Op("+") => (BinOp::Add, 4),
        TokKind::Op("-") => (BinOp::Sub, 4),
        TokKind::Op("*") => (BinOp::Mul, 5),
        TokKind::Op("/") => (BinOp::Div, 5),
        _ => return None,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next_offset(&self) -> usize {
        self.peek().map_or(self.end, |t| t.offset)
    }

    fn expression(&mut self, min_power: u8) -> Result<Located, ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                self.next_offset(),
                format!("the expression is nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        let result = self.expression_inner(min_power);
        self.depth -= 1;
        result
    }

    fn expression_inner(&mut self, min_power: u8) -> Result<Located, ExprError> {
        let mut lhs = self.prefix()?;
        while let Some(tok) = self.peek() {
            let Some((op, power)) = binary_op(&tok.kind) else {
                break;
            };
            if power <= min_power {
                break;
            }
            self.pos += 1;
            let rhs = self.expression(power)?;
            check_binary(op, &lhs, &rhs)?;
            let offset = lhs.1;
            lhs = (Node::Binary(op, Box::new(lhs.0), Box::new(rhs.0)), offset);
        }
        Ok(lhs)
    }

    fn prefix(&mut self) -> Result<Located, ExprError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(ExprError::new(self.end, "the expression ends too early"));
        };
        self.pos += 1;
        let offset = tok.offset;
        let node = match tok.kind {
            TokKind::Number(n) => Node::Number(n),
            TokKind::Op("-") => {
                let operand = self.expression(5)?;
                expect_type(&operand.0, operand.1, Type::Number, "the operand of `-`")?;
                Node::Neg(Box::new(operand.0))
            }
            TokKind::Name(name) if name == "not" => {
                let operand = self.expression(2)?;
                expect_type(&operand.0, operand.1, Type::Boolean, "the operand of `not`")?;
                Node::Not(Box::new(operand.0))
            }
            TokKind::Name(name) if name == "true" => Node::Boolean(true),
            TokKind::Name(name) if name == "false" => Node::Boolean(false),
            TokKind::Name(name) => {
                if self.peek().is_some_and(|t| t.kind == TokKind::LParen) {
                    return self.call(&name, offset);
                }
                match self.names.resolve(&name) {
                    Some(index) => Node::Indicator(index),
                    None => {
                        return Err(ExprError::new(
                            offset,
                            format!("unknown indicator `{name}`"),
                        ));
                    }
                }
            }
            TokKind::LParen => {
                let inner = self.expression(0)?;
                self.expect_rparen(offset)?;
                inner.0
            }
            other => return Err(ExprError::new(offset, format!("unexpected {other}"))),
        };
        // Checks that need the operand's start position use the outer offset.
        Ok((node, offset))
    }

    fn expect_rparen(&mut self, open: usize) -> Result<(), ExprError> {
        match self.peek() {
            Some(t) if t.kind == TokKind::RParen => {
                self.pos += 1;
                Ok(())
            }
            Some(t) => Err(ExprError::new(
                t.offset,
                format!("expected `)` but found {}", t.kind),
            )),
            None => Err(ExprError::new(open, "`(` is never closed")),
        }
    }

    fn call(&mut self, name: &str, offset: usize) -> Result<Located, ExprError> {
        let func = match name {
            "min" => Func::Min,
            "max" => Func::Max,
            "abs" => Func::Abs,
            "round" => Func::Round,
            "if" => Func::If,
            "coalesce" => Func::Coalesce,
            "present" => Func::Present,
            _ => {
                return Err(ExprError::new(
                    offset,
                    format!(
                        "unknown function `{name}` (known: min, max, abs, round, if, coalesce, present)"
                    ),
                ));
            }
        };
        self.pos += 1; // the `(`
        let mut args = Vec::new();
        if self.peek().is_some_and(|t| t.kind == TokKind::RParen) {
            self.pos += 1;
        } else {
            loop {
                args.push(self.expression(0)?);
                match self.peek() {
                    Some(t) if t.kind == TokKind::Comma => self.pos += 1,
                    _ => {
                        self.expect_rparen(offset)?;
                        break;
                    }
                }
            }
        }
        let arity_ok = match func {
            Func::Min | Func::Max => !args.is_empty(),
            Func::Abs | Func::Present => args.len() == 1,
            Func::Round | Func::Coalesce => args.len() == 2,
            Func::If => args.len() == 3,
        };
        if !arity_ok {
            let wanted = match func {
                Func::Min | Func::Max => "at least 1 argument",
                Func::Abs | Func::Present => "1 argument",
                Func::Round | Func::Coalesce => "2 arguments",
                Func::If => "3 arguments",
            };
            return Err(ExprError::new(
                offset,
                format!("`{name}` takes {wanted}, not {}", args.len()),
            ));
        }
        // Keep argument offsets for type errors by checking them here.
        check_call(func, name, &args)?;
        let _ = self.next_offset();
        Ok((
            Node::Call(func, args.into_iter().map(|a| a.0).collect()),
            offset,
        ))
    }
}

// ---------------------------------------------------------------- types

fn type_of(node: &Node) -> Type {
    match node {
        Node::Number(_) | Node::Indicator(_) | Node::Neg(_) => Type::Number,
        Node::Boolean(_) | Node::Not(_) => Type::Boolean,
        Node::Binary(op, ..) => match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => Type::Number,
            _ => Type::Boolean,
        },
        Node::Call(func, args) => match func {
            Func::Present => Type::Boolean,
            Func::If | Func::Coalesce => type_of(&args[1]),
            _ => Type::Number,
        },
    }
}

fn expect_type(node: &Node, offset: usize, want: Type, what: &str) -> Result<(), ExprError> {
    let got = type_of(node);
    if got == want {
        Ok(())
    } else {
        Err(ExprError::new(
            offset,
            format!("type error: {what} must be a {want}, found a {got}"),
        ))
    }
}

fn check_call(func: Func, name: &str, args: &[Located]) -> Result<(), ExprError> {
    match func {
        Func::Min | Func::Max | Func::Abs | Func::Round => {
            for (i, (node, off)) in args.iter().enumerate() {
                expect_type(
                    node,
                    *off,
                    Type::Number,
                    &format!("argument {} of `{name}`", i + 1),
                )?;
            }
        }
        Func::Present => {
            if !matches!(args[0].0, Node::Indicator(_)) {
                return Err(ExprError::new(
                    args[0].1,
                    "`present` takes an indicator name".to_string(),
                ));
            }
        }
        Func::If => {
            expect_type(
                &args[0].0,
                args[0].1,
                Type::Boolean,
                "the condition of `if`",
            )?;
            let then_ty = type_of(&args[1].0);
            expect_type(
                &args[2].0,
                args[2].1,
                then_ty,
                "the `else` branch of `if` (like its `then` branch)",
            )?;
        }
        Func::Coalesce => {
            let ty = type_of(&args[0].0);
            expect_type(
                &args[1].0,
                args[1].1,
                ty,
                "the fallback of `coalesce` (like its first argument)",
            )?;
        }
    }
    Ok(())
}

/// The root's type; every node was type-checked as it was built, with the
/// position of its own operands.
fn check(root: &Located) -> Result<Type, ExprError> {
    Ok(type_of(&root.0))
}

fn check_binary(op: BinOp, lhs: &Located, rhs: &Located) -> Result<(), ExprError> {
    let (want, name) = match op {
        BinOp::Add => (Type::Number, "+"),
        BinOp::Sub => (Type::Number, "-"),
        BinOp::Mul => (Type::Number, "*"),
        BinOp::Div => (Type::Number, "/"),
        BinOp::Lt => (Type::Number, "<"),
        BinOp::Le => (Type::Number, "<="),
        BinOp::Gt => (Type::Number, ">"),
        BinOp::Ge => (Type::Number, ">="),
        BinOp::Eq => (Type::Number, "=="),
        BinOp::Ne => (Type::Number, "!="),
        BinOp::And => (Type::Boolean, "and"),
        BinOp::Or => (Type::Boolean, "or"),
    };
    expect_type(
        &lhs.0,
        lhs.1,
        want,
        &format!("the left operand of `{name}`"),
    )?;
    expect_type(
        &rhs.0,
        rhs.1,
        want,
        &format!("the right operand of `{name}`"),
    )?;
    if op == BinOp::Div {
        let mut uses = Vec::new();
        collect_indicators(&rhs.0, &mut uses);
        let zero = matches!(eval(&rhs.0, &[]), Ok(Value::Number(v)) if v == 0.0)
            || eval(&rhs.0, &[]) == Err(NoValue::DivisionByZero);
        if uses.is_empty() && zero {
            return Err(ExprError::new(
                rhs.1,
                "division by zero: the divisor is 0 whatever the data",
            ));
        }
    }
    Ok(())
}

fn collect_indicators(node: &Node, out: &mut Vec<usize>) {
    match node {
        Node::Indicator(i) => out.push(*i),
        Node::Neg(n) | Node::Not(n) => collect_indicators(n, out),
        Node::Binary(_, l, r) => {
            collect_indicators(l, out);
            collect_indicators(r, out);
        }
        Node::Call(_, args) => args.iter().for_each(|a| collect_indicators(a, out)),
        Node::Number(_) | Node::Boolean(_) => {}
    }
}

// ---------------------------------------------------------------- evaluation

fn num(v: Value) -> f64 {
    match v {
        Value::Number(n) => n,
        Value::Boolean(b) => f64::from(u8::from(b)),
    }
}

fn boolean(v: Value) -> bool {
    match v {
        Value::Boolean(b) => b,
        Value::Number(n) => n != 0.0,
    }
}

fn eval(node: &Node, values: &[Option<f64>]) -> Result<Value, NoValue> {
    Ok(match node {
        Node::Number(n) => Value::Number(*n),
        Node::Boolean(b) => Value::Boolean(*b),
        Node::Indicator(i) => Value::Number(
            values
                .get(*i)
                .copied()
                .flatten()
                .ok_or(NoValue::MissingData)?,
        ),
        Node::Neg(inner) => Value::Number(-num(eval(inner, values)?)),
        Node::Not(inner) => Value::Boolean(!boolean(eval(inner, values)?)),
        Node::Binary(BinOp::And, l, r) => {
            // Short-circuit so `present(x) and x > 0` works when x has no data.
            Value::Boolean(boolean(eval(l, values)?) && boolean(eval(r, values)?))
        }
        Node::Binary(BinOp::Or, l, r) => {
            Value::Boolean(boolean(eval(l, values)?) || boolean(eval(r, values)?))
        }
        Node::Binary(op, l, r) => {
            let a = num(eval(l, values)?);
            let b = num(eval(r, values)?);
            match op {
                BinOp::Add => Value::Number(a + b),
                BinOp::Sub => Value::Number(a - b),
                BinOp::Mul => Value::Number(a * b),
                BinOp::Div => {
                    if b == 0.0 {
                        return Err(NoValue::DivisionByZero);
                    }
                    Value::Number(a / b)
                }
                BinOp::Lt => Value::Boolean(a < b),
                BinOp::Le => Value::Boolean(a <= b),
                BinOp::Gt => Value::Boolean(a > b),
                BinOp::Ge => Value::Boolean(a >= b),
                BinOp::Eq => Value::Boolean(a == b),
                BinOp::Ne => Value::Boolean(a != b),
                BinOp::And | BinOp::Or => unreachable!("handled above"),
            }
        }
        Node::Call(func, args) => match func {
            Func::Min => {
                let mut m = f64::INFINITY;
                for a in args {
                    m = m.min(num(eval(a, values)?));
                }
                Value::Number(m)
            }
            Func::Max => {
                let mut m = f64::NEG_INFINITY;
                for a in args {
                    m = m.max(num(eval(a, values)?));
                }
                Value::Number(m)
            }
            Func::Abs => Value::Number(num(eval(&args[0], values)?).abs()),
            Func::Round => {
                let x = num(eval(&args[0], values)?);
                let digits = num(eval(&args[1], values)?).round().clamp(0.0, 12.0);
                let factor = 10f64.powi(digits as i32);
                Value::Number((x * factor).round() / factor)
            }
            Func::If => {
                if boolean(eval(&args[0], values)?) {
                    eval(&args[1], values)?
                } else {
                    eval(&args[2], values)?
                }
            }
            Func::Coalesce => match eval(&args[0], values) {
                Err(NoValue::MissingData) => eval(&args[1], values)?,
                other => other?,
            },
            Func::Present => match eval(&args[0], values) {
                Err(NoValue::MissingData) => Value::Boolean(false),
                other => {
                    other?;
                    Value::Boolean(true)
                }
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str) -> Option<usize> {
        ["a", "b", "c"].iter().position(|n| *n == name)
    }

    fn run(src: &str, values: &[Option<f64>]) -> Result<Value, NoValue> {
        Expr::parse(src, &names).expect("valid").eval(values)
    }

    fn error(src: &str) -> (usize, String) {
        let e = Expr::parse(src, &names).expect_err("invalid");
        (e.offset, e.message)
    }

    #[test]
    fn arithmetic_and_precedence() {
        let v = [Some(2.0), Some(3.0), Some(10.0)];
        assert_eq!(run("a + b * c", &v), Ok(Value::Number(32.0)));
        assert_eq!(run("(a + b) * c", &v), Ok(Value::Number(50.0)));
        assert_eq!(run("c / a - -b", &v), Ok(Value::Number(8.0)));
        assert_eq!(run("a < b and not b > c", &v), Ok(Value::Boolean(true)));
        assert_eq!(run("min(a, b, c) + max(a, c)", &v), Ok(Value::Number(12.0)));
        assert_eq!(run("round(c / b, 2)", &v), Ok(Value::Number(3.33)));
        assert_eq!(run("if(a >= 2, abs(a - c), 0)", &v), Ok(Value::Number(8.0)));
    }

    #[test]
    fn missing_data_propagates_unless_handled() {
        let v = [Some(1.0), None, Some(0.0)];
        assert_eq!(run("a + b", &v), Err(NoValue::MissingData));
        assert_eq!(run("coalesce(b, 7) + a", &v), Ok(Value::Number(8.0)));
        assert_eq!(run("present(b)", &v), Ok(Value::Boolean(false)));
        assert_eq!(run("if(present(b), b, a)", &v), Ok(Value::Number(1.0)));
        assert_eq!(run("present(b) and b > 0", &v), Ok(Value::Boolean(false)));
        assert_eq!(run("a / c", &v), Err(NoValue::DivisionByZero));
    }

    #[test]
    fn check_time_errors_name_the_place() {
        assert_eq!(error("a + zz"), (4, "unknown indicator `zz`".into()));
        assert_eq!(
            error("a + (b > 1)"),
            (
                4,
                "type error: the right operand of `+` must be a number, found a boolean".into()
            )
        );
        assert_eq!(
            error("if(a, b, c)"),
            (
                3,
                "type error: the condition of `if` must be a boolean, found a number".into()
            )
        );
        assert_eq!(
            error("sqrt(a)").1,
            "unknown function `sqrt` (known: min, max, abs, round, if, coalesce, present)"
        );
        assert_eq!(error("round(a)").1, "`round` takes 2 arguments, not 1");
        assert_eq!(error("(a + b").1, "`(` is never closed");
        assert_eq!(
            error("a b"),
            (
                2,
                "unexpected name `b` after the end of the expression".into()
            )
        );
        assert_eq!(error("a # b"), (2, "unexpected character `#`".into()));
        assert_eq!(error("a +").1, "the expression ends too early");
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
        assert!(
            error(&deep)
                .1
                .starts_with("the expression is nested too deeply")
        );
        assert!(
            error(&"-".repeat(5000))
                .1
                .starts_with("the expression is nested too deeply")
        );
        let fine = format!("{}a{}", "(".repeat(30), ")".repeat(30));
        assert!(Expr::parse(&fine, &names).is_ok());
    }

    #[test]
    fn type_errors_point_at_the_operand() {
        assert_eq!(error("a / (b + (c > 1))").0, 9);
        assert_eq!(error("min(a, b) + not (a > b)").0, 12);
    }

    #[test]
    fn lists_the_indicators_it_uses() {
        let e = Expr::parse("c + a * coalesce(a, 1)", &names).unwrap();
        assert_eq!(e.indicators(), &[0, 2]);
        assert_eq!(Expr::parse("b", &names).unwrap().as_indicator(), Some(1));
    }
}
