// 记录 / Log: recent decisions from the decision log, filtered; open one to see its case and
// record and to render its letter again.

import { t, pick } from './i18n.js';
import { h, fill } from './dom.js';
import * as api from './api.js';
import { outcomeLabel, fetchLetter, letterPanel } from './decide.js';
import { say } from './status.js';

export class LogView {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.filters = { decision: '', outcome: '', since: '' };
    this.entries = [];
    this.next = null;
    this.opened = null;
  }

  render() {
    const c = this.ctx.catalog;
    const outcomes = [...new Set(c.decisions.flatMap((d) => d.outcomes.map((o) => o.name)))];
    const sel = (id, key, options) => h('div', { class: 'field' }, h('label', { for: id }, t(key)),
      h('select', { id, onchange: (e) => { this.filters[key] = e.target.value; } },
        h('option', { value: '' }, t('any')), ...options.map(([v, l]) => h('option', { value: v, selected: this.filters[key] === v }, l))));
    const form = h('form', { class: 'filters', 'aria-labelledby': 'filters-h', onsubmit: (e) => { e.preventDefault(); this.load(false); } },
      h('h3', { id: 'filters-h', class: 'sr-only' }, t('filters')),
      sel('log-decision', 'decision', c.decisions.map((d) => [d.name, pick(d.labels, d.name)])),
      sel('log-outcome', 'outcome', outcomes.map((o) => [o, outcomeAnyLabel(c, o)])),
      h('div', { class: 'field' }, h('label', { for: 'log-since' }, t('since')),
        h('input', { type: 'date', id: 'log-since', value: this.filters.since, onchange: (e) => { this.filters.since = e.target.value; } })),
      h('button', { type: 'submit', class: 'primary', id: 'log-search' }, t('apply')));
    this.table = h('div', { class: 'table-wrap', id: 'log-table' });
    this.detail = h('section', { class: 'log-detail', id: 'log-detail', tabindex: '-1' });
    fill(this.root, h('h2', {}, t('log_title')), form, this.table, this.detail);
    this.load(false);
  }

  async load(more) {
    try {
      const filters = { ...this.filters };
      if (more && this.next) filters.after = this.next;
      const { entries, next } = await api.log(filters);
      this.entries = more ? [...this.entries, ...entries] : entries;
      this.next = next;
      this.renderTable();
    } catch (e) {
      fill(this.table, h('p', { class: 'error' }, e.message));
    }
  }

  renderTable() {
    const c = this.ctx.catalog;
    if (!this.entries.length) {
      fill(this.table, h('p', { class: 'muted' }, t('no_entries')));
      return;
    }
    const rows = this.entries.map((e) => {
      const outcomes = entryOutcomes(e).map(([d, o]) => `${pick(c.decisions.find((x) => x.name === d)?.labels, d)}：${outcomeLabel(c, d, o)}`).join('；');
      return h('tr', { 'data-id': e.id },
        h('td', {}, e.time ?? e.decided_at ?? e.created_at ?? ''),
        h('td', {}, outcomes),
        h('td', {}, e.version ?? e.policy?.version ?? ''),
        h('td', {}, h('button', { type: 'button', class: 'small', 'aria-label': `${t('open')} ${e.id}`, onclick: () => this.open(e.id) }, t('open'))));
    });
    fill(this.table, h('table', { class: 'log' },
      h('thead', {}, h('tr', {}, ...['time', 'outcome', 'version', 'record_id'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, ...rows)),
    this.next ? h('button', { type: 'button', id: 'log-more', onclick: () => this.load(true) }, t('more')) : null);
  }

  async open(id) {
    try {
      const entry = await api.logged(id);
      this.opened = { id, entry, letter: null, lang: 'zh' };
      this.renderDetail();
      this.detail.focus();
    } catch (e) {
      say(e.message, true);
    }
  }

  renderDetail() {
    const { id, entry, letter, lang: l } = this.opened;
    const pretty = (v) => JSON.stringify(typeof v === 'string' ? safeParse(v) : v, null, 2);
    fill(this.detail, 
      h('h3', {}, `${t('record_id')} `, h('code', {}, id)),
      h('p', { class: 'meta' }, [entry.time, entry.version ? `${t('version')} ${entry.version}` : null, entry.digest].filter(Boolean).join(' · ')),
      h('details', { open: true }, h('summary', {}, t('record')), h('pre', { class: 'json', tabindex: '0' }, pretty(entry.record))),
      h('details', {}, h('summary', {}, t('case')), h('pre', { class: 'json', tabindex: '0' }, pretty(entry.case))),
      h('button', { type: 'button', id: 'log-letter', onclick: () => this.renderLetter(l) }, t('render_letter')),
      letter ? h('div', { class: 'letter-box' }, ...letterPanel(letter, l, this.ctx.catalog, (x) => this.renderLetter(x))) : null);
  }

  async renderLetter(l) {
    try {
      this.opened.letter = { ...(await fetchLetter(this.opened.id, l)), id: this.opened.id };
      this.opened.lang = l;
      this.renderDetail();
    } catch (e) {
      say(e.message, true);
    }
  }
}

/** `[decision, outcome]` pairs of a log entry, from its summary or its record. */
function entryOutcomes(e) {
  if (Array.isArray(e.outcomes)) return e.outcomes.map((o) => [o.decision, o.outcome]);
  if (e.outcomes && typeof e.outcomes === 'object') return Object.entries(e.outcomes);
  if (e.decision && e.outcome) return [[e.decision, e.outcome]];
  const rec = typeof e.record === 'string' ? safeParse(e.record) : e.record;
  return (rec?.decisions ?? []).map((d) => [d.decision, d.outcome]);
}

function outcomeAnyLabel(c, o) {
  for (const d of c.decisions) {
    const x = d.outcomes.find((y) => y.name === o);
    if (x) return pick(x.labels, o);
  }
  return o;
}

function safeParse(s) {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
