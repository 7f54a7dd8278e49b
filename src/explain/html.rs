//! `--format html`: the letter as one standalone HTML page that prints on A4 (宋体/仿宋 for
//! Chinese), from the same typed blocks as the Markdown letter. No script, no outside resource.

use super::letter::{blocks, Block, LetterOptions, Span};
use super::numbers::Lang;
use crate::eval::facts::Facts;
use crate::{Evaluation, Policy};

const STYLE_ZH: &str =
    "body{font-family:\"FangSong\",\"仿宋\",\"STFangsong\",\"SimSun\",\"宋体\",serif;}\
h1,h2{font-family:\"SimSun\",\"宋体\",\"STSong\",serif;}";
const STYLE_EN: &str = "body{font-family:\"Times New Roman\",Times,serif;}";
const STYLE: &str = "@page{size:A4;margin:37mm 26mm 35mm 28mm;}\
body{max-width:160mm;margin:2em auto;font-size:16pt;line-height:1.75;color:#000;background:#fff;}\
h1{text-align:center;font-size:22pt;margin:0 0 .5em;letter-spacing:.1em;}\
h2{text-align:center;font-size:18pt;margin:0 0 1em;}\
h3{font-size:16pt;margin:1.2em 0 .4em;}\
p{margin:0 0 .6em;text-indent:2em;text-align:justify;}\
p.number{text-align:center;text-indent:0;}\
p.to{text-indent:0;}\
p.list{margin-bottom:.2em;}\
ul{margin:0 0 .8em 2em;padding:0;}\
.signature{margin-top:3em;text-align:right;}\
.signature p{text-indent:0;text-align:right;margin:0;}\
@media print{body{margin:0;max-width:none;}h3{break-after:avoid;}li,p{break-inside:avoid;}}";

/// Text for HTML element content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The letter as a standalone HTML page.
pub fn render(
    policy: &Policy,
    facts: Option<&Facts>,
    eval: &Evaluation,
    opts: &LetterOptions,
) -> String {
    let bs = blocks(policy, facts, eval, opts);
    let title = bs
        .iter()
        .find_map(|b| match b {
            Block::Heading(h) => Some(h.as_str()),
            _ => None,
        })
        .unwrap_or("");
    let zh = opts.lang == Lang::Zh;
    let mut out = String::with_capacity(8 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(if zh { "zh-CN" } else { "en" });
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    out.push_str(&escape(title));
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str(if zh { STYLE_ZH } else { STYLE_EN });
    out.push_str("</style>\n</head>\n<body>\n");
    for b in &bs {
        match b {
            Block::Authority(a) => out.push_str(&format!("<h1>{}</h1>\n", escape(a))),
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Block::Number(n) => out.push_str(&format!("<p class=\"number\">{}</p>\n", escape(n))),
            Block::Addressee(a) => out.push_str(&format!("<p class=\"to\">{}</p>\n", escape(a))),
            Block::Section(s) => out.push_str(&format!("<h3>{}</h3>\n", escape(s))),
            Block::Para(spans) => {
                out.push_str("<p>");
                for s in spans {
                    match s {
                        Span::Text(t) => out.push_str(&escape(t)),
                        Span::Strong(t) => out.push_str(&format!("<strong>{}</strong>", escape(t))),
                    }
                }
                out.push_str("</p>\n");
            }
            Block::List(intro, items) => {
                out.push_str(&format!("<p class=\"list\">{}</p>\n<ul>\n", escape(intro)));
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Signature(a, d) => out.push_str(&format!(
                "<div class=\"signature\">\n<p>{}</p>\n<p>{}</p>\n</div>\n",
                escape(a),
                escape(d)
            )),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
