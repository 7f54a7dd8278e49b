// The staff page: loads the policy's catalog and the case file's schema, then shows one of
// three views. Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End).

import { t, pick, lang, setLang, translateStatic } from './i18n.js';
import { h, fill } from './dom.js';
import * as api from './api.js';
import { vocabulary } from './vocab.js';
import { DecideView } from './decide.js';
import { RulesView } from './rules.js';
import { LogView } from './log.js';
import { say } from './status.js';

const VIEWS = ['decide', 'rules', 'log'];
let views = {};
let active = 'decide';

async function boot() {
  setLang(lang());
  translateStatic();
  wireTabs();
  wireLang();
  const main = document.getElementById('view-decide');
  main.append(h('p', { class: 'muted' }, t('loading')));
  try {
    const policies = await api.policies().catch(() => null);
    const version = currentVersion(policies);
    const [catalog, schema] = await Promise.all([api.catalog(version), api.schema().catch(() => null)]);
    const ctx = { catalog, policies, tree: vocabulary(schema, catalog.vocabulary) };
    views = {
      decide: new DecideView(document.getElementById('view-decide'), ctx),
      rules: new RulesView(document.getElementById('view-rules'), ctx),
      log: new LogView(document.getElementById('view-log'), ctx),
    };
    showTitle(ctx);
    show(location.hash.replace('#', '') in views ? location.hash.replace('#', '') : 'decide', false);
  } catch (e) {
    fill(main, h('p', { class: 'error', role: 'alert' }, `${e.offline ? t('no_service') : t('error')}: ${e.message}`));
  }
}

function currentVersion(policies) {
  const list = Array.isArray(policies) ? policies : policies?.versions ?? policies?.policies ?? [];
  const now = list.find((v) => v.serving || v.in_force || v.current) ?? list[list.length - 1];
  return now?.version ?? now?.policy?.version ?? 'current';
}

function showTitle(ctx) {
  const p = ctx.catalog.policy;
  document.getElementById('policy-title').textContent = `${pick(p.title)} ${p.number ? `（${p.number}）` : ''}`;
  document.title = `${t('app')} · ${pick(p.title)}`;
}

function show(name, focus = true) {
  active = name;
  for (const v of VIEWS) {
    const tab = document.getElementById(`tab-${v}`);
    const panel = document.getElementById(`view-${v}`);
    const on = v === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
  }
  views[name]?.render();
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  if (focus) document.getElementById(`tab-${name}`).focus();
}

function wireTabs() {
  const tabs = document.getElementById('tabs');
  tabs.addEventListener('click', (e) => {
    const b = e.target.closest('[role=tab]');
    if (b) show(b.dataset.view);
  });
  tabs.addEventListener('keydown', (e) => {
    const i = VIEWS.indexOf(active);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    show(VIEWS[(to + VIEWS.length) % VIEWS.length]);
  });
}

function wireLang() {
  const button = document.getElementById('lang');
  const label = () => {
    button.textContent = t('lang_button');
    button.setAttribute('aria-label', t('switch_lang'));
    button.lang = lang() === 'zh' ? 'en' : 'zh-CN';
  };
  label();
  button.addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    translateStatic();
    label();
    if (views.decide) {
      showTitle(views.decide.ctx);
      // Re-render every view in the new language; the case and the results stay.
      for (const v of VIEWS) if (v !== active) views[v].rendered = false;
      views[active].render();
    }
    say(t('lang_button') === 'English' ? '已切换到中文' : 'Switched to English');
  });
}

boot();
