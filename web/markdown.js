// The letters' Markdown (headings, paragraphs, **bold**, lists, rules) to HTML, escaping
// everything else: enough for `--format letter`, no general Markdown.

function esc(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function inline(s) {
  return esc(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function markdownToHtml(md) {
  const out = [];
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join('\n'))}</p>`);
    para = [];
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (const line of String(md).split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const n = heading[1].length;
      out.push(`<h${n}>${inline(heading[2])}</h${n}>`);
    } else if (/^\s*(---+|\*\*\*+)\s*$/.test(line)) {
      flush();
      out.push('<hr>');
    } else if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      if (para.length || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)[1]);
    } else if (line.trim() === '') {
      flush();
    } else if (list && /^\s+/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/** A standalone HTML file of a letter, for download. */
export function letterDocument(bodyHtml, title, langTag) {
  return `<!doctype html>
<html lang="${esc(langTag)}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; max-width: 42em; margin: 2em auto; line-height: 1.8; color: #111; }
h1 { font-size: 1.4em; text-align: center; } h2 { font-size: 1.15em; margin-top: 1.6em; }
@page { size: A4; margin: 2.5cm 2cm; }
</style>
</head>
<body>
${bodyHtml}
</body>
</html>
`;
}
