// The case form: built from the vocabulary tree, bound to a plain case object. An empty field
// is left out of the case (unknown), never sent as false or zero; an empty list is sent as `[]`
// (known to have none).

import { t, pick, lang } from './i18n.js';
import { parseMoney, parseCount, parseDecimal, showMoney } from './money.js';
import { h } from './dom.js';

export class CaseForm {
  constructor(root, tree) {
    this.root = root;
    this.tree = tree;
    this.data = {};
  }

  /** Replace the case shown (a loaded or pasted case file). */
  load(data) {
    this.data = structuredClone(data ?? {});
    this.render();
  }

  /** The case file: the form's data with empty records pruned. */
  value() {
    return prune(structuredClone(this.data)) ?? {};
  }

  render() {
    const openState = new Set([...this.root.querySelectorAll('details[open]')].map((d) => d.id));
    const first = !this.root.hasChildNodes();
    this.root.replaceChildren(...this.tree.map((n) => this.node(n, [n.name], this.data, 0)));
    if (!first) for (const d of this.root.querySelectorAll('details')) if (openState.has(d.id)) d.open = true;
  }

  node(n, path, parent, depth) {
    switch (n.type) {
      case 'record':
        return this.record(n, path, parent, depth);
      case 'list':
        return this.list(n, path, parent, depth);
      default:
        return this.scalar(n, path, parent);
    }
  }

  record(n, path, parent, depth) {
    const id = fieldId(path);
    const obj = parent[n.name] && typeof parent[n.name] === 'object' ? parent[n.name] : null;
    // Children write into the record, creating it on the first value.
    const holder = obj ?? lazyRecord(parent, n.name);
    // Folded records show their name in the summary; the legend stays for screen readers.
    const body = h('fieldset', { class: 'record' }, h('legend', { class: depth === 0 ? null : 'sr-only' }, pick(n.labels, n.name), n.attested ? h('span', { class: 'tag' }, t('attested')) : null),
      ...n.fields.map((f) => this.node(f, [...path, f.name], holder, depth + 1)));
    if (depth === 0) return h('div', { id, class: 'root-record' }, body);
    return h('details', { id, class: 'fold', open: depth <= 1 }, h('summary', {}, pick(n.labels, n.name)), body);
  }

  list(n, path, parent, depth) {
    const id = fieldId(path);
    const items = Array.isArray(parent[n.name]) ? parent[n.name] : null;
    const label = pick(n.labels, n.name);
    const rows = (items ?? []).map((item, i) => {
      const rowPath = [...path, i];
      const title = rowTitle(n, item, i);
      const remove = h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('remove_row')} ${label} ${title}`, onclick: () => {
        items.splice(i, 1);
        this.render();
        this.focusAfterChange(path, Math.min(i, items.length - 1));
      } }, t('remove_row'));
      return h('details', { id: fieldId(rowPath), class: 'row', open: true },
        h('summary', {}, h('span', { class: 'row-title' }, title)),
        h('div', { class: 'row-body' }, ...n.fields.map((f) => this.node(f, [...rowPath, f.name], item, depth + 2)), h('div', { class: 'row-actions' }, remove)));
    });
    const add = h('button', { type: 'button', class: 'small', onclick: () => {
      if (!Array.isArray(parent[n.name])) parent[n.name] = [];
      parent[n.name].push({});
      this.render();
      this.focusAfterChange(path, parent[n.name].length - 1);
    } }, `${t('add_row')}：${label}`);
    const state = items === null
      ? h('p', { class: 'muted' }, t('list_absent'), ' ', h('button', { type: 'button', class: 'small link', onclick: () => { parent[n.name] = []; this.render(); } }, t('mark_empty')))
      : items.length === 0 ? h('p', { class: 'muted' }, t('empty_list')) : null;
    return h('details', { id, class: 'fold list', open: depth <= 1 },
      h('summary', {}, label, h('span', { class: 'count' }, items ? ` (${items.length})` : '')),
      h('fieldset', { class: 'list-body' }, h('legend', { class: 'sr-only' }, label), state, ...rows, h('div', { class: 'list-actions' }, add)));
  }

  focusAfterChange(listPath, index) {
    const target = index >= 0 ? document.getElementById(fieldId([...listPath, index])) : null;
    const el = target?.querySelector('input, select') ?? document.getElementById(fieldId(listPath))?.querySelector('button');
    el?.focus();
  }

  scalar(n, path, parent) {
    const id = fieldId(path);
    const label = pick(n.labels, n.name);
    const current = parent[n.name];
    const set = (v) => {
      if (v === undefined) delete parent[n.name];
      else parent[n.name] = v;
      parent.__touch?.();
    };
    const hint = h('span', { class: 'hint', id: `${id}-hint` });
    let control;
    if (n.type === 'bool' || n.type === 'enum') {
      const choices = n.type === 'bool'
        ? [['true', t('yes')], ['false', t('no')]]
        : n.variants.map((v) => [v.name, pick(v.labels, v.name)]);
      const value = current === undefined || current === null ? '' : String(current);
      control = h('select', { id, name: id, onchange: (e) => {
        const v = e.target.value;
        set(v === '' ? undefined : n.type === 'bool' ? v === 'true' : v);
      } }, h('option', { value: '' }, `— ${t('unknown_opt')} —`), ...choices.map(([v, l]) => h('option', { value: v, selected: v === value }, n.type === 'enum' && l !== v ? `${l}` : l)));
      if (value !== '' && !choices.some(([v]) => v === value)) control.append(h('option', { value, selected: true }, value));
    } else {
      const parse = { money: parseMoney, int: parseCount, decimal: parseDecimal, percent: parseDecimal }[n.type];
      const attrs = { id, name: id, type: n.type === 'date' ? 'date' : 'text', value: current ?? '', autocomplete: 'off', 'aria-describedby': `${id}-hint` };
      if (parse) attrs.inputmode = n.type === 'int' ? 'numeric' : 'decimal';
      const show = (raw) => {
        hint.textContent = '';
        control.removeAttribute('aria-invalid');
        if (!parse) return set(raw === '' ? undefined : raw);
        const r = parse(raw);
        if (r.empty) return set(undefined);
        if (r.error) {
          control.setAttribute('aria-invalid', 'true');
          hint.textContent = t(n.type === 'money' ? 'bad_money' : 'bad_number');
          return set(undefined);
        }
        if (n.type === 'money') hint.textContent = `${t('exactly')}：${showMoney(r.value, lang())}`;
        set(r.value);
      };
      control = h('input', { ...attrs, oninput: (e) => show(e.target.value) });
      if (current !== undefined && current !== null && n.type === 'money') {
        const r = parseMoney(current);
        if (r.value) hint.textContent = `${t('exactly')}：${showMoney(r.value, lang())}`;
      }
    }
    return h('div', { class: `field ${n.type}` }, h('label', { for: id }, label, n.attested ? h('span', { class: 'tag' }, t('attested')) : null), control, hint);
  }

  /**
   * The form element of a fact path as the record names it
   * (`consortium.members[lead].financials[2023].rnd_expense`): the field itself, or the nearest
   * part of the form that holds it (a list to add the entry to).
   */
  locate(factPath) {
    const segs = parsePath(factPath);
    let nodes = this.tree;
    let data = this.data;
    const path = [];
    let found = null;
    for (const seg of segs) {
      const n = nodes.find((x) => x.name === seg.name);
      if (!n) break;
      path.push(seg.name);
      found = { id: fieldId(path), exact: false };
      if (n.type === 'list') {
        if (seg.select === null) { found.exact = true; break; }
        const items = Array.isArray(data?.[seg.name]) ? data[seg.name] : [];
        const i = selectRow(n, items, seg.select);
        if (i < 0) break;
        path.push(i);
        found = { id: fieldId(path), exact: false };
        data = items[i];
        nodes = n.fields;
      } else if (n.type === 'record') {
        data = data?.[seg.name];
        nodes = n.fields;
        found.exact = true;
      } else {
        found.exact = true;
        break;
      }
    }
    if (found) found.exact = found.exact && path.length >= segs.length;
    return found;
  }
}

/** Reveal, scroll to and focus a form element by id (opening folded parts). */
export function focusField(id) {
  const el = document.getElementById(id);
  if (!el) return false;
  for (let p = el; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
  const target = el.matches('input, select, textarea') ? el : el.querySelector('input, select, textarea, button') ?? el;
  target.scrollIntoView({ block: 'center' });
  target.focus();
  return true;
}

export function fieldId(path) {
  return `f-${path.join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function parsePath(p) {
  const out = [];
  for (const m of String(p).matchAll(/([^.[\]]+)(?:\[([^\]]*)\])?/g)) out.push({ name: m[1], select: m[2] ?? null });
  return out;
}

/** A row by its key (`[2023]`, `[91350200…]`), else by a value of it (`[lead]` is the member whose role is lead), else by position. */
function selectRow(n, items, sel) {
  if (n.key) {
    const i = items.findIndex((x) => x && String(x[n.key]) === sel);
    if (i >= 0) return i;
  }
  const byValue = items.findIndex((x) => x && Object.values(x).some((v) => typeof v === 'string' && v === sel));
  if (byValue >= 0) return byValue;
  return /^\d+$/.test(sel) && Number(sel) < items.length && !n.key ? Number(sel) : -1;
}

function rowTitle(n, item, i) {
  const key = n.key && item?.[n.key] !== undefined ? String(item[n.key]) : '';
  const name = item?.name ? String(item.name) : '';
  const head = t('row', { n: i + 1 });
  return [head, name, key && key !== name ? key : ''].filter(Boolean).join(' · ');
}

/** A record object that attaches itself to its parent only when a field is first set. */
function lazyRecord(parent, name) {
  const obj = {};
  Object.defineProperty(obj, '__touch', { enumerable: false, value: () => { if (parent[name] !== obj) parent[name] = obj; parent.__touch?.(); } });
  return obj;
}

function prune(v) {
  if (Array.isArray(v)) return v.map((x) => prune(x) ?? {});
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
