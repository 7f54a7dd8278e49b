// 决策 / Decide: the case form, what to decide, the result, what changed, and the letter.

import { t, pick, lang } from './i18n.js';
import { h, fill, download } from './dom.js';
import { CaseForm, focusField } from './form.js';
import { showMoney } from './money.js';
import * as api from './api.js';
import { markdownToHtml, letterDocument } from './markdown.js';
import { say } from './status.js';

const ORDER = { violated: 0, review: 1, unknown: 2, exempt: 3, satisfied: 4 };

export class DecideView {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx; // {catalog, tree}
    this.form = new CaseForm(h('div', { class: 'case-form' }), ctx.tree);
    this.previous = null;
    this.last = null;
    this.letter = null;
    this.letterLang = lang();
    this.chosen = new Set(ctx.catalog.decisions.map((d) => d.name));
    this.asOf = '';
    this.form.render();
  }

  render() {
    const c = this.ctx.catalog;
    this.form.render();
    const upload = h('input', { type: 'file', id: 'case-upload', accept: 'application/json,.json', onchange: (e) => this.upload(e.target.files?.[0]) });
    const pasteBox = h('textarea', { id: 'case-paste', rows: 6, spellcheck: 'false' });
    const examples = this.ctx.catalog.examples ?? [];
    const exampleSel = examples.length ? h('div', { class: 'field' }, h('label', { for: 'case-example' }, t('example')),
      h('select', { id: 'case-example', onchange: (e) => {
        const ex = examples.find((x) => x.name === e.target.value);
        if (ex) this.loadText(JSON.stringify(ex.case));
      } }, h('option', { value: '' }, t('example_none')), ...examples.map((x) => h('option', { value: x.name }, x.name)))) : null;
    const source = h('div', { class: 'source-bar' },
      exampleSel,
      h('div', { class: 'field' }, h('label', { for: 'case-upload' }, t('upload')), upload),
      h('details', { class: 'paste' }, h('summary', {}, t('paste')),
        h('label', { for: 'case-paste', class: 'sr-only' }, t('paste')), pasteBox,
        h('button', { type: 'button', id: 'paste-apply', onclick: () => this.loadText(pasteBox.value) }, t('paste_apply'))),
      h('button', { type: 'button', class: 'small', id: 'case-clear', onclick: () => { this.form.load({}); say(t('clear')); } }, t('clear')));
    const decisions = h('fieldset', { class: 'decisions' }, h('legend', {}, t('decisions')),
      ...c.decisions.map((d) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'decision', value: d.name, checked: this.chosen.has(d.name), onchange: (e) => { e.target.checked ? this.chosen.add(d.name) : this.chosen.delete(d.name); } }),
        ` ${pick(d.labels, d.name)}`)));
    const asOf = h('div', { class: 'field' }, h('label', { for: 'as-of' }, t('as_of')),
      h('input', { type: 'date', id: 'as-of', value: this.asOf, 'aria-describedby': 'as-of-hint', onchange: (e) => { this.asOf = e.target.value; } }),
      h('span', { class: 'hint', id: 'as-of-hint' }, t('as_of_help')));
    const run = h('button', { type: 'submit', class: 'primary', id: 'decide' }, t('run'));
    const options = h('form', { class: 'options', 'aria-labelledby': 'options-h', onsubmit: (e) => { e.preventDefault(); this.decide(); } },
      h('h2', { id: 'options-h' }, t('options')), decisions, asOf, run);
    this.results = h('section', { class: 'results', id: 'results', 'aria-labelledby': 'results-h', tabindex: '-1' });
    this.letterBox = h('section', { class: 'letter-box', id: 'letter-box', 'aria-labelledby': 'letter-h' });
    fill(this.root, h('div', { class: 'decide-grid' },
      h('section', { class: 'case-col', 'aria-labelledby': 'case-h' }, h('h2', { id: 'case-h' }, t('case_form')), source, this.form.root),
      h('div', { class: 'result-col' }, options, this.results, this.letterBox)));
    if (this.last) this.showResult();
    if (this.letter) this.showLetter();
  }

  async upload(file) {
    if (!file) return;
    this.loadText(await file.text());
  }

  loadText(text) {
    let data;
    try {
      data = JSON.parse(String(text).replace(/^\uFEFF/, ''));
    } catch (e) {
      say(`${t('bad_json')}: ${e.message}`, true);
      return;
    }
    if (data && typeof data.as_of === 'string') this.asOf = data.as_of;
    const { as_of: _drop, ...rest } = data ?? {};
    this.form.load(rest);
    const input = this.root.querySelector('#as-of');
    if (input) input.value = this.asOf;
    say(t('loaded'));
  }

  async decide() {
    const caseData = this.form.value();
    if (this.asOf) caseData.as_of = this.asOf;
    say(t('deciding'));
    try {
      const decisions = this.chosen.size === this.ctx.catalog.decisions.length ? [] : [...this.chosen];
      const { record, id } = await api.decide(caseData, { decisions, asOf: this.asOf });
      this.previous = this.last;
      this.last = { record, id };
      this.showResult();
      say(outcomeSummary(this.ctx.catalog, record));
      await this.loadLetter();
      this.results.focus();
    } catch (e) {
      this.showError(e);
    }
  }

  showError(e) {
    const where = e.path ? this.form.locate(pointerToPath(e.path)) : null;
    fill(this.results, h('h2', { id: 'results-h' }, t('refused')),
      h('p', { class: 'error', role: 'alert' }, e.message),
      where ? h('p', {}, h('a', { href: `#${where.id}`, onclick: (ev) => { ev.preventDefault(); focusField(where.id); } }, t('go_to_field'))) : null);
    say(`${t('refused')}: ${e.message}`, true);
  }

  showResult() {
    const { record, id } = this.last;
    const c = this.ctx.catalog;
    const cards = (record.decisions ?? []).map((d) => decisionCard(c, this, d));
    fill(this.results, h('h2', { id: 'results-h' }, t('result')),
      h('p', { class: 'meta' }, `${t('as_of')}：${record.as_of ?? ''} · ${t('version')} ${record.policy?.version ?? ''}`, id ? ` · ${t('record_id')}：` : '', id ? h('code', { id: 'record-id' }, id) : null),
      this.previous ? changes(c, this.previous.record, record) : null,
      ...cards);
  }

  async loadLetter() {
    if (!this.last?.id) return;
    try {
      const { markdown, html } = await fetchLetter(this.last.id, this.letterLang);
      this.letter = { markdown, html, id: this.last.id };
      this.showLetter();
    } catch (e) {
      fill(this.letterBox, h('p', { class: 'error' }, `${t('letter')}: ${e.message}`));
    }
  }

  showLetter() {
    this.letterBox.replaceChildren(...letterPanel(this.letter, this.letterLang, this.ctx.catalog, (l) => { this.letterLang = l; this.loadLetter(); }));
  }
}

/** The letter's Markdown, and its HTML (the service's, or rendered here from the Markdown). */
export async function fetchLetter(id, l) {
  const [markdown, html] = await Promise.all([api.letterMarkdown(id, l), api.letterHtml(id, l)]);
  return { markdown, html: html ?? markdownToHtml(markdown) };
}

/** The letter preview with its language, print and downloads. */
export function letterPanel(letter, l, catalog, onLang) {
  const title = `${pick(catalog.policy.title)} · ${t('letter')}`;
  const article = h('article', { class: 'letter', id: 'letter', 'data-record': letter.id ?? '', lang: l === 'zh' ? 'zh-CN' : 'en', 'aria-label': t('letter') });
  article.innerHTML = letter.html; // the service's letter, or our own escaped rendering of it
  const langSel = h('select', { id: 'letter-lang', onchange: (e) => onLang(e.target.value) },
    h('option', { value: 'zh', selected: l === 'zh' }, '中文'), h('option', { value: 'en', selected: l === 'en' }, 'English'));
  const base = `letter-${letter.id ?? 'draft'}-${l}`;
  return [
    h('h2', { id: 'letter-h' }, t('letter')),
    h('div', { class: 'letter-actions' },
      h('label', { for: 'letter-lang' }, t('letter_lang')), langSel,
      h('button', { type: 'button', id: 'letter-print', onclick: () => printLetter() }, t('print')),
      letter.markdown ? h('button', { type: 'button', id: 'letter-md', onclick: () => download(`${base}.md`, letter.markdown, 'text/markdown;charset=utf-8') }, t('download_md')) : null,
      h('button', { type: 'button', id: 'letter-html', onclick: () => download(`${base}.html`, letterDocument(letter.html, title, l === 'zh' ? 'zh-CN' : 'en'), 'text/html;charset=utf-8') }, t('download_html'))),
    article,
  ];
}

/** Print the letter: the print stylesheet leaves only the letter of the view on paper. */
export function printLetter() {
  window.print();
}

function decisionInfo(c, name) {
  return c.decisions.find((d) => d.name === name);
}

export function outcomeLabel(c, decision, outcome) {
  const o = decisionInfo(c, decision)?.outcomes.find((x) => x.name === outcome);
  return o ? pick(o.labels, outcome) : outcome;
}

function ruleInfo(c, id) {
  for (const a of c.articles) for (const r of a.rules) if (r.id === id) return r;
  return c.unplaced?.find((r) => r.id === id);
}

function outcomeSummary(c, record) {
  return (record.decisions ?? []).map((d) => `${pick(decisionInfo(c, d.decision)?.labels, d.decision)}：${outcomeLabel(c, d.decision, d.outcome)}`).join('；');
}

export function citeWords(c, f) {
  return pick(ruleInfo(c, f.rule)?.cite_words, f.cite);
}

function findingItem(c, f) {
  const rule = ruleInfo(c, f.rule);
  return h('li', { class: `finding ${f.status}`, 'data-rule': f.rule, 'data-cite': f.cite },
    h('span', { class: `badge ${f.status}` }, t(`status_${f.status}`)), ' ',
    h('strong', { class: 'cite' }, citeWords(c, f)), ' ',
    h('span', { class: 'rule-label' }, pick(rule?.labels, f.rule)),
    f.subject !== null && f.subject !== undefined ? h('span', { class: 'subject' }, ` · ${t('subject')} ${f.subject}`) : null,
    h('p', { class: 'message' }, pick(f.message, '')),
    f.counterfactual ? h('p', { class: 'counterfactual' }, `${t('counterfactual')}：${pick(f.counterfactual)}`) : null);
}

function decisionCard(c, view, d) {
  const info = decisionInfo(c, d.decision);
  const findings = [...(d.findings ?? [])].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9));
  const open = findings.filter((f) => f.status !== 'satisfied' && f.status !== 'exempt');
  const folded = findings.filter((f) => f.status === 'satisfied' || f.status === 'exempt');
  const id = `decision-${d.decision}`;
  return h('article', { class: `decision ${d.outcome}`, id, 'aria-labelledby': `${id}-h` },
    h('h3', { id: `${id}-h` }, pick(info?.labels, d.decision), '：', h('span', { class: 'outcome', 'data-outcome': d.outcome }, outcomeLabel(c, d.decision, d.outcome))),
    open.length ? h('ul', { class: 'findings' }, ...open.map((f) => findingItem(c, f))) : null,
    folded.length ? h('details', { class: 'folded' }, h('summary', {}, t('satisfied_folded', { n: folded.length })), h('ul', { class: 'findings' }, ...folded.map((f) => findingItem(c, f)))) : null,
    d.missing?.length ? h('div', { class: 'missing' }, h('h4', {}, t('missing')), h('ul', {}, ...d.missing.map((p) => missingItem(view, p)))) : null,
    d.effects?.length ? h('div', { class: 'effects' }, h('h4', {}, t('effects')), h('ul', {}, ...d.effects.map((e) => effectItem(c, e)))) : null,
    d.dates && Object.keys(d.dates).length ? h('div', { class: 'dates' }, h('h4', {}, t('dates')), h('ul', {}, ...Object.entries(d.dates).map(([k, v]) => h('li', {}, `${k}：${v}`)))) : null,
    d.warnings?.length ? h('div', { class: 'warnings' }, h('h4', {}, t('warnings')), h('ul', {}, ...d.warnings.map((w) => h('li', {}, w)))) : null);
}

function effectItem(c, e) {
  const bits = [e.kind, e.measure, e.cite ? `(${e.cite})` : null,
    e.amount !== undefined && e.amount !== null ? `${t('amount')} ${showMoney(e.amount, lang())}` : null,
    e.subject ? `${t('subject')} ${e.subject}` : null, e.roles?.length ? e.roles.join(', ') : null, e.last_day ? `→ ${e.last_day}` : null];
  return h('li', {}, bits.filter(Boolean).join(' '));
}

function missingItem(view, path) {
  const where = view.form.locate(path);
  const label = factLabel(view.ctx.tree, path);
  return h('li', {}, where
    ? h('a', { href: `#${where.id}`, 'data-path': path, onclick: (e) => { e.preventDefault(); focusField(where.id); } }, label)
    : label, ' ', h('code', {}, path), where && !where.exact ? h('span', { class: 'muted' }, ` ${t('no_field')}`) : null);
}

/** `consortium.members[lead].financials[2023].rnd_expense` in the vocabulary's words. */
export function factLabel(tree, path) {
  const parts = [];
  let nodes = tree;
  for (const m of String(path).matchAll(/([^.[\]]+)(?:\[([^\]]*)\])?/g)) {
    const n = nodes?.find((x) => x.name === m[1]);
    parts.push(`${n ? pick(n.labels, m[1]) : m[1]}${m[2] ? `[${m[2]}]` : ''}`);
    nodes = n?.fields;
  }
  return parts.join(' · ');
}

function pointerToPath(p) {
  if (!String(p).startsWith('/')) return p;
  return String(p).slice(1).split('/').reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** What changed between two records of the same case: outcomes, and findings by rule and subject. */
function changes(c, before, after) {
  const items = [];
  const key = (f) => `${f.rule}\u0000${f.subject ?? ''}`;
  for (const d of after.decisions ?? []) {
    const old = (before.decisions ?? []).find((x) => x.decision === d.decision);
    if (!old) continue;
    const label = pick(decisionInfo(c, d.decision)?.labels, d.decision);
    if (old.outcome !== d.outcome) {
      items.push(h('li', { class: 'outcome-change' }, `${label}：${t('was')} ${outcomeLabel(c, d.decision, old.outcome)} → ${t('now')} ${outcomeLabel(c, d.decision, d.outcome)}`));
    }
    const was = new Map((old.findings ?? []).map((f) => [key(f), f]));
    const now = new Map((d.findings ?? []).map((f) => [key(f), f]));
    for (const [k, f] of now) {
      const p = was.get(k);
      const name = `${citeWords(c, f)} ${pick(ruleInfo(c, f.rule)?.labels, f.rule)}${f.subject ? ` · ${f.subject}` : ''}`;
      if (!p) items.push(h('li', {}, `${name}：${t('new_finding')}（${t(`status_${f.status}`)}）`));
      else if (p.status !== f.status) items.push(h('li', {}, `${name}：${t(`status_${p.status}`)} → ${t(`status_${f.status}`)}`));
    }
    for (const [k, f] of was) {
      if (!now.has(k)) items.push(h('li', {}, `${citeWords(c, f)} ${pick(ruleInfo(c, f.rule)?.labels, f.rule)}${f.subject ? ` · ${f.subject}` : ''}：${t('gone_finding')}`));
    }
  }
  return h('section', { class: 'changes', id: 'changes', 'aria-labelledby': 'changes-h' }, h('h3', { id: 'changes-h' }, t('changes')),
    items.length ? h('ul', {}, ...items) : h('p', {}, t('no_changes')));
}
