// The vocabulary as one tree of fields, from the service's JSON Schema of the case file
// (`/v1/schema`), completed with the policy catalog's vocabulary where the schema is silent
// (English labels, which list field is the key, which text is money).
//
// A node: {name, labels: {zh, en}, type, variants: [{name, labels}], fields: [node], key, attested}
// with type one of bool int decimal percent money date text enum record list.

function labelsOf(p, name) {
  if (p['x-labels']) return p['x-labels'];
  const title = p.title ?? name;
  if (title.includes(' | ')) {
    const [zh, en] = title.split(' | ');
    return { zh, en };
  }
  return { zh: title, en: p['x-title-en'] ?? p['x-label-en'] ?? title };
}

function resolve(root, p) {
  let seen = 0;
  while (p && p.$ref && seen++ < 32) {
    const path = p.$ref.replace(/^#\//, '').split('/');
    p = path.reduce((o, k) => (o ? o[k] : undefined), root) ?? {};
  }
  return p ?? {};
}

function typeOf(p) {
  const declared = p['x-rulebook-type'] ?? p['x-type'] ?? p['x-kind'];
  if (declared) return declared;
  const types = Array.isArray(p.type) ? p.type : p.type ? [p.type] : [];
  if (p.enum || (p.oneOf && p.oneOf.every((o) => 'const' in o))) return 'enum';
  if (types.includes('object') || p.properties) return 'record';
  if (types.includes('array') || p.items) return 'list';
  if (types.includes('boolean')) return 'bool';
  if (p.format === 'date') return 'date';
  if (['money', 'decimal', 'percent'].includes(p.format)) return p.format;
  if (types.includes('string') && (types.includes('integer') || types.includes('number'))) return 'money';
  if (types.includes('integer')) return 'int';
  if (types.includes('number')) return 'decimal';
  return 'text';
}

function variantsOf(p) {
  if (p.oneOf && p.oneOf.every((o) => 'const' in o)) {
    return p.oneOf.map((o) => ({ name: o.const, labels: labelsOf(o, o.const) }));
  }
  const labels = p['x-enum-labels'] ?? p['x-labels-enum'] ?? {};
  // A nullable enum lists null among its values: that is "not given", which every choice has.
  return (p.enum ?? []).filter((v) => v !== null).map((v) => ({ name: v, labels: labels[v] ?? { zh: v, en: v } }));
}

function fromSchema(root, props) {
  return Object.entries(props ?? {}).map(([name, raw]) => {
    const p = resolve(root, raw);
    const type = typeOf(p);
    const node = { name, labels: labelsOf(p, name), type, variants: [], fields: [], key: p['x-key'] ?? null, attested: !!p['x-attested'] };
    if (type === 'enum') node.variants = variantsOf(p);
    if (type === 'record') node.fields = fromSchema(root, p.properties);
    if (type === 'list') node.fields = fromSchema(root, resolve(root, p.items).properties);
    return node;
  });
}

function fromCatalog(vocab) {
  return (vocab ?? []).map((f) => ({
    name: f.name,
    labels: f.labels,
    type: f.type,
    variants: (f.variants ?? []).map((v) => (typeof v === 'string' ? { name: v, labels: { zh: v, en: v } } : v)),
    fields: fromCatalog(f.fields),
    key: f.key ?? null,
    attested: !!f.attested,
  }));
}

/** Fill what the schema leaves out from the catalog's tree, matching fields by name. */
function enrich(nodes, known) {
  for (const n of nodes) {
    const k = (known ?? []).find((x) => x.name === n.name);
    if (!k) continue;
    if (n.labels.en === n.labels.zh && k.labels.en) n.labels = { zh: n.labels.zh, en: k.labels.en };
    if (!n.key) n.key = k.key;
    if (k.attested) n.attested = true;
    // Both come from the same vocabulary; the catalog's type is exact where JSON Schema can
    // only say "string or integer".
    if (k.type) n.type = k.type;
    if (n.type === 'enum' && n.variants.length === 0) n.variants = fromCatalog([k])[0].variants;
    if (n.type === 'enum') {
      for (const v of n.variants) {
        const kv = fromCatalog([k])[0].variants.find((x) => x.name === v.name);
        if (kv && v.labels.zh === v.name) v.labels = kv.labels;
      }
    }
    enrich(n.fields, k.fields);
  }
  return nodes;
}

/** The field tree, from the JSON Schema when there is one, else from the catalog alone. */
export function vocabulary(jsonSchema, catalogVocab) {
  const known = fromCatalog(catalogVocab);
  if (!jsonSchema || !jsonSchema.properties) return known;
  const props = { ...jsonSchema.properties };
  delete props.as_of;
  return enrich(fromSchema(jsonSchema, props), known);
}
