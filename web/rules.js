// 规则 / Rules: the versions and their windows, the last reload, then each article's text
// beside the rules that encode it.

import { t, pick, lang } from './i18n.js';
import { h, fill } from './dom.js';
import { showMoney } from './money.js';
import { factLabel } from './decide.js';

export class RulesView {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx; // {catalog, policies, tree}
    this.filter = '';
  }

  render() {
    const c = this.ctx.catalog;
    const filterInput = h('input', { type: 'search', id: 'rules-filter', value: this.filter, oninput: (e) => { this.filter = e.target.value; this.renderArticles(list); } });
    const list = h('div', { class: 'articles', id: 'articles' });
    fill(this.root, 
      h('h2', {}, t('versions')), versionsTable(this.ctx.policies, c),
      reloadStatus(this.ctx.policies),
      h('h2', { id: 'articles-h' }, t('articles'), ' ', h('span', { class: 'muted', id: 'article-count' }, t('article_count', { n: c.articles.length })),
        c.coverage ? h('span', { class: 'muted' }, ` · ${t('coverage')} ${c.coverage.encoded + c.coverage.declaratory}/${c.coverage.total}`) : null),
      h('div', { class: 'field inline' }, h('label', { for: 'rules-filter' }, t('filter_rules')), filterInput),
      list);
    this.renderArticles(list);
  }

  renderArticles(list) {
    const c = this.ctx.catalog;
    const q = this.filter.trim().toLowerCase();
    const match = (a) => !q || a.text.toLowerCase().includes(q) || pick(a.heading).toLowerCase().includes(q) ||
      a.rules.some((r) => [r.id, r.cite, pick(r.labels), pick(r.says)].some((s) => String(s ?? '').toLowerCase().includes(q)));
    list.replaceChildren(...c.articles.filter(match).map((a) => articleBlock(a, this.ctx)));
  }
}

function versionsTable(policies, c) {
  const versions = normaliseVersions(policies, c);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'versions' },
    h('thead', {}, h('tr', {}, ...['version', 'effective', 'last_day', 'coverage', 'digest'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...versions.map((v) => h('tr', { class: v.in_force ? 'current' : '' },
      h('td', {}, v.version, v.in_force ? h('span', { class: 'tag' }, t('in_force')) : null),
      h('td', {}, v.effective ?? ''), h('td', {}, v.last_day ?? ''),
      h('td', {}, v.coverage ?? ''),
      h('td', {}, h('code', { class: 'digest', title: v.digest ?? '' }, (v.digest ?? '').slice(0, 19))))))));
}

/** Versions from `/v1/policies` in whatever shape it lists them, else the catalog's one. */
function normaliseVersions(policies, c) {
  const raw = Array.isArray(policies) ? policies : policies?.versions ?? policies?.policies ?? [];
  const list = raw.map((v) => ({
    version: v.version ?? v.policy?.version ?? '',
    effective: v.effective ?? v.window?.from ?? v.window?.effective ?? v.from ?? null,
    last_day: v.last_day ?? v.window?.until ?? v.window?.to ?? v.window?.last_day ?? v.until ?? null,
    digest: v.digest ?? v.policy?.digest ?? '',
    in_force: v.serving ?? v.in_force ?? v.current ?? false,
    coverage: coverageText(v.coverage ?? v.article_coverage),
  }));
  if (list.length) return list;
  return [{ version: c.policy.version, effective: c.policy.effective, last_day: c.policy.last_day, digest: c.policy.digest, in_force: true,
    coverage: coverageText(c.coverage) }];
}

function coverageText(cov) {
  if (!cov) return '';
  if (typeof cov === 'string' || typeof cov === 'number') return String(cov);
  const total = cov.total ?? cov.articles;
  if (total !== undefined) return `${(cov.encoded ?? 0) + (cov.declaratory ?? 0)}/${total}`;
  return JSON.stringify(cov);
}

function reloadStatus(policies) {
  const r = policies?.reload ?? policies?.last_reload ?? null;
  if (!r) return null;
  const errors = r.errors ?? [];
  const ok = r.ok ?? r.success ?? errors.length === 0;
  return h('section', { class: `reload ${ok ? 'ok' : 'failed'}`, id: 'reload', 'aria-labelledby': 'reload-h' },
    h('h3', { id: 'reload-h' }, t('reload')),
    h('p', {}, `${r.at ?? r.time ?? ''} ${r.trigger ?? ''} ${ok ? t('reload_ok') : t('reload_failed')}`),
    errors.length ? h('ul', { class: 'errors' }, ...errors.map((e) => h('li', {}, typeof e === 'string' ? e : h('span', {}, h('code', {}, e.location ?? `${e.file ?? ''}:${e.line ?? ''}${e.column ? `:${e.column}` : ''}`), ' ', e.message ?? '')))) : null);
}

function articleBlock(a, ctx) {
  const id = `article-${a.number}`;
  return h('article', { class: 'article', id, 'aria-labelledby': `${id}-h` },
    h('div', { class: 'article-text' }, h('h3', { id: `${id}-h` }, pick(a.heading)), h('p', { class: 'law', lang: 'zh-CN' }, unwrap(a.text))),
    h('div', { class: 'article-rules' },
      a.declaratory !== null && a.declaratory !== undefined ? h('p', { class: 'muted' }, `${t('declaratory')}${a.declaratory ? `：${a.declaratory}` : ''}`) : null,
      ...a.rules.map((r) => ruleBlock(r, ctx))));
}

function ruleBlock(r, ctx) {
  const force = { must: t('must'), should: t('should'), effect: t('effect_rule') }[r.force] ?? r.force;
  return h('section', { class: `rule ${r.force}`, id: `rule-${r.id}`, 'aria-label': pick(r.labels, r.id) },
    h('h4', {}, pick(r.cite_words, r.cite), ' ', pick(r.labels, r.id), ' ', h('code', { class: 'muted' }, r.id)),
    h('p', { class: 'force' }, force),
    r.says ? h('p', { class: 'says' }, pick(r.says)) : null,
    r.thresholds.length ? h('p', {}, h('span', { class: 'k' }, `${t('thresholds')}：`), r.thresholds.map((x) => `${pick(x.labels, x.name)} ${thresholdValue(x)}`).join('；')) : null,
    r.reads.length ? h('details', { class: 'reads' }, h('summary', {}, `${t('reads')}（${r.reads.length}）`),
      h('ul', {}, ...r.reads.map((p) => h('li', {}, factLabel(ctx.tree, p), ' ', h('code', {}, p))))) : null,
    h('p', { class: 'muted' }, `${t('used_by')}：${r.decisions.map((d) => pick(ctx.catalog.decisions.find((x) => x.name === d)?.labels, d)).join('、')}`,
      r.effects.length ? ` · ${t('effects')}：${r.effects.join(', ')}` : ''),
    r.scenarios ? h('p', { class: 'tally' }, `${t('scenarios')}：`, ...['satisfied', 'violated', 'review', 'unknown', 'exempt'].filter((k) => r.scenarios[k]).map((k) => h('span', { class: `badge ${k}` }, `${t(`status_${k}`)} ${r.scenarios[k]}`)),
      r.scenarios.not_applicable ? h('span', { class: 'badge' }, `${t('not_applied')} ${r.scenarios.not_applicable}`) : null) : null,
    h('p', { class: 'source' }, h('span', { class: 'k' }, `${t('source')}：`), h('code', {}, r.source)));
}

function thresholdValue(x) {
  if (x.kind === 'money') return showMoney(x.value, lang());
  if (x.kind === 'percent') return `${x.value}%`;
  return x.value;
}

/** The article as one paragraph: the rule files wrap the quoted text at a fixed width, and
    Chinese needs no space where a line was broken. */
function unwrap(text) {
  return String(text).split('\n').map((l) => l.trim()).join('');
}
