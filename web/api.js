// The service's API, as the contract (section 7) gives it. Every call returns parsed data or
// throws an Error whose message is fit to show (the service's own `{"error": {...}}` words).

async function call(path, options = {}) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    throw Object.assign(new Error(String(e)), { offline: true });
  }
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const err = body && body.error ? body.error : null;
    const msg = err ? (err.path ? `${err.path}: ${err.message}` : err.message ?? JSON.stringify(err)) : typeof body === 'string' && body ? body : `HTTP ${res.status}`;
    throw Object.assign(new Error(msg), { status: res.status, path: err?.path });
  }
  return { body, headers: res.headers };
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Decide a case: the decision record, with its log id. */
export async function decide(caseData, { decisions = [], asOf = '' } = {}) {
  const { body, headers } = await call(`/v1/decisions${query({ decision: decisions, as_of: asOf, format: 'json' })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(caseData),
  });
  return { record: body, id: body?.id ?? headers.get('x-decision-id') };
}

/** A logged decision: case, record, version, digest, time. */
export async function logged(id) {
  return (await call(`/v1/decisions/${encodeURIComponent(id)}`)).body;
}

/** A logged decision's letter as Markdown, rendered again from its logged record. */
export async function letterMarkdown(id, lang) {
  const { body } = await call(`/v1/decisions/${encodeURIComponent(id)}${query({ format: 'letter', lang })}`);
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** The same letter as HTML when the service renders letters as HTML itself; else null. */
export async function letterHtml(id, lang) {
  try {
    const { body, headers } = await call(`/v1/decisions/${encodeURIComponent(id)}${query({ format: 'html', lang })}`);
    return (headers.get('content-type') ?? '').includes('html') ? body : null;
  } catch (e) {
    if (e.offline) throw e;
    return null;
  }
}

/** The log, newest first: `{entries, next}` whatever the page shape the service uses. */
export async function log(filters = {}) {
  const { body } = await call(`/v1/decisions${query(filters)}`);
  const entries = Array.isArray(body) ? body : body?.decisions ?? body?.entries ?? body?.items ?? [];
  const next = Array.isArray(body) ? null : body?.next ?? body?.next_after ?? body?.after ?? null;
  return { entries, next };
}

export async function policies() {
  return (await call('/v1/policies')).body;
}

export async function catalog(version) {
  return (await call(`/v1/policies/${encodeURIComponent(version)}/articles`)).body;
}

export async function schema() {
  return (await call('/v1/schema')).body;
}
