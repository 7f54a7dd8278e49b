// The page's own words, Chinese first. Everything about the policy (fact labels, outcomes,
// messages, articles) comes from the service; only the page's furniture is here.

const WORDS = {
  app: ['规则审核台', 'Rulebook desk'],
  skip: ['跳到正文', 'Skip to content'],
  views: ['视图', 'Views'],
  decide: ['决策', 'Decide'],
  rules: ['规则', 'Rules'],
  log: ['记录', 'Log'],
  switch_lang: ['Switch to English', '切换到中文'],
  lang_button: ['English', '中文'],
  loading: ['正在载入…', 'Loading…'],
  error: ['出错了', 'Something went wrong'],
  no_service: ['无法连接服务', 'Cannot reach the service'],
  case_form: ['案件材料', 'Case file'],
  case_source: ['材料来源', 'Where the case comes from'],
  upload: ['上传案件文件（JSON）', 'Upload a case file (JSON)'],
  paste: ['粘贴案件 JSON', 'Paste a case file (JSON)'],
  paste_apply: ['载入粘贴内容', 'Load the pasted case'],
  example: ['从示例开始', 'Start from an example'],
  example_none: ['（选择示例）', '(choose an example)'],
  clear: ['清空表单', 'Clear the form'],
  loaded: ['已载入案件', 'Case loaded'],
  bad_json: ['不是有效的 JSON', 'Not valid JSON'],
  unknown_opt: ['未填写', 'not given'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  add_row: ['添加', 'Add'],
  remove_row: ['删除', 'Remove'],
  row: ['第{n}项', 'entry {n}'],
  empty_list: ['（空列表：已知没有）', '(empty list: known to have none)'],
  list_absent: ['（未填写：未知）', '(not given: unknown)'],
  mark_empty: ['标记为空列表', 'Mark as empty'],
  options: ['决策设置', 'What to decide'],
  decisions: ['决策事项', 'Decisions'],
  decision: ['决策事项', 'decision'],
  as_of: ['决定日期', 'Decision date'],
  as_of_help: ['留空则使用案件中的日期', 'Empty: the case file’s own date'],
  run: ['作出决策', 'Decide'],
  deciding: ['正在决策…', 'Deciding…'],
  result: ['决策结果', 'Result'],
  outcome: ['结论', 'Outcome'],
  findings: ['审查意见', 'Findings'],
  satisfied_folded: ['已满足的条件（{n}项）', 'Conditions met ({n})'],
  counterfactual: ['如何满足', 'What would satisfy it'],
  missing: ['需补充的材料', 'Facts to supply'],
  effects: ['效果', 'Effects'],
  dates: ['计算日期', 'Computed dates'],
  warnings: ['提示', 'Warnings'],
  changes: ['与上次决策相比', 'Changes since the last decision'],
  no_changes: ['结论与审查意见均无变化', 'No outcome or finding changed'],
  was: ['原为', 'was'],
  now: ['现为', 'now'],
  new_finding: ['新增', 'new'],
  gone_finding: ['不再出现', 'gone'],
  letter: ['告知书', 'Letter'],
  letter_lang: ['告知书语言', 'Letter language'],
  print: ['打印', 'Print'],
  download_md: ['下载 .md', 'Download .md'],
  download_html: ['下载 .html', 'Download .html'],
  record_id: ['记录编号', 'Record id'],
  status_violated: ['不符合', 'violated'],
  status_review: ['需审核', 'review'],
  status_unknown: ['无法认定', 'unknown'],
  status_satisfied: ['符合', 'satisfied'],
  status_exempt: ['豁免', 'exempt'],
  subject: ['对象', 'subject'],
  amount: ['金额', 'amount'],
  go_to_field: ['转到表单字段', 'go to the field'],
  no_field: ['（表单中尚无此项，请先添加）', '(not in the form yet: add it first)'],
  versions: ['政策版本', 'Policy versions'],
  version: ['版本', 'version'],
  effective: ['生效日期', 'effective'],
  last_day: ['有效期至', 'last day'],
  digest: ['摘要', 'digest'],
  coverage: ['条文覆盖', 'article coverage'],
  in_force: ['现行', 'in force'],
  reload: ['最近一次重新载入', 'Last reload'],
  reload_ok: ['成功', 'succeeded'],
  reload_failed: ['失败，继续使用上一版有效规则', 'failed; the last good policy keeps serving'],
  articles: ['条文与规则', 'Articles and their rules'],
  article_count: ['共{n}条', '{n} articles'],
  declaratory: ['不设可计算条件', 'sets no computable rule'],
  encoded_by: ['编码规则', 'Rules encoding it'],
  must: ['必须满足', 'must'],
  should: ['原则上（不满足则需审核）', 'in principle (failing: review)'],
  effect_rule: ['产生效果或豁免', 'issues effects or exempts'],
  thresholds: ['阈值', 'Thresholds'],
  reads: ['读取的事实', 'Facts it reads'],
  used_by: ['用于', 'Used by'],
  scenarios: ['场景覆盖', 'Scenario coverage'],
  not_applied: ['未适用', 'did not apply'],
  source: ['规则位置', 'Rule source'],
  filter_rules: ['筛选条文或规则', 'Filter articles or rules'],
  log_title: ['决策记录', 'Decision log'],
  filters: ['筛选', 'Filters'],
  since: ['起始日期', 'since'],
  any: ['全部', 'any'],
  apply: ['查询', 'Search'],
  more: ['更多', 'More'],
  time: ['时间', 'time'],
  open: ['查看', 'Open'],
  no_entries: ['没有记录', 'No decisions logged'],
  case: ['案件', 'Case'],
  record: ['决策记录', 'Decision record'],
  render_letter: ['重新生成告知书', 'Render the letter again'],
  close: ['关闭', 'Close'],
  exactly: ['精确值', 'exactly'],
  bad_money: ['金额格式不正确：请输入如 5亿元、2000万元 或 500000000', 'Not an amount: type e.g. 5亿元, 2000万元 or 500000000'],
  bad_number: ['请输入数字', 'Type a number'],
  refused: ['案件材料有误', 'The case file was refused'],
  attested: ['审核认定', 'reviewers’ finding'],
};

let current = localStorage.getItem('rulebook.lang') === 'en' ? 'en' : 'zh';

export function lang() {
  return current;
}

export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('rulebook.lang', current);
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

/** The page's word for `key`, with `{name}` holes filled from `args`. */
export function t(key, args = {}) {
  const pair = WORDS[key];
  let s = pair ? pair[current === 'zh' ? 0 : 1] : key;
  for (const [k, v] of Object.entries(args)) s = s.replace(`{${k}}`, String(v));
  return s;
}

/** A `{zh, en}` pair from the service, in the current language. */
export function pick(words, fallback = '') {
  if (!words) return fallback;
  if (typeof words === 'string') return words;
  return words[current] ?? words.zh ?? fallback;
}

/** Fill every element marked `data-t` (text) or `data-t-aria` (aria-label). */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-aria]')) el.setAttribute('aria-label', t(el.dataset.tAria));
}
