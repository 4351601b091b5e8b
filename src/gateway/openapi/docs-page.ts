/**
 * The API reference at /docs: a static page that renders /openapi.json in the browser. Served from
 * the hub itself (no CDN, nothing external); the script is a separate file so the page runs under
 * a strict Content-Security-Policy.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>crossdock partner API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1c2430; display: flex; }
  nav { width: 270px; height: 100vh; overflow: auto; position: sticky; top: 0; background: #f4f6f9; padding: 16px; box-sizing: border-box; flex-shrink: 0; }
  nav h2 { font-size: 12px; text-transform: uppercase; color: #5b6675; margin: 16px 0 4px; }
  nav a { display: block; color: #1c2430; text-decoration: none; font-size: 13px; padding: 2px 0; }
  main { padding: 24px 40px; max-width: 980px; flex: 1; }
  .op { border-top: 1px solid #dde2e8; padding: 20px 0; }
  .method { display: inline-block; min-width: 52px; font-weight: 700; font-size: 12px; padding: 2px 6px; border-radius: 4px; color: #fff; text-align: center; }
  .GET { background: #2f6fdb; } .POST { background: #1f9d55; }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
  pre { background: #f4f6f9; padding: 10px; overflow: auto; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0; }
  td, th { text-align: left; border-bottom: 1px solid #e6e9ee; padding: 4px 8px; vertical-align: top; font-size: 13px; }
  .scope { font-size: 12px; background: #fff3cd; padding: 1px 6px; border-radius: 4px; }
  details { margin: 4px 0; } summary { cursor: pointer; }
  .req { color: #b42318; }
</style>
</head>
<body>
<nav id="nav"><strong>crossdock partner API</strong></nav>
<main id="main"><p>Loading <a href="/openapi.json">/openapi.json</a>…</p></main>
<script src="/docs/app.js"></script>
</body>
</html>
`;

export const DOCS_SCRIPT = `'use strict';
(async function () {
  const doc = await (await fetch('/openapi.json')).json();
  const schemas = (doc.components && doc.components.schemas) || {};
  const nav = document.getElementById('nav');
  const main = document.getElementById('main');
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  };
  const resolve = (s) => {
    let depth = 0;
    while (s && s.$ref && depth++ < 20) s = schemas[s.$ref.split('/').pop()] || {};
    return s || {};
  };
  const typeOf = (s) => {
    s = resolve(s);
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (s.type === 'array') return typeOf(s.items || {}) + '[]';
    if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeOf).join(' | ');
    return (s.type || 'any') + (s.format ? ' (' + s.format + ')' : '') + (s.pattern && !s.format ? ' /' + s.pattern + '/' : '');
  };
  const tree = (schema, depth) => {
    const s = resolve(schema);
    const target = s.type === 'array' ? resolve(s.items || {}) : s;
    const variants = target.oneOf || target.anyOf;
    if (variants && depth < 6) {
      const box = el('div');
      variants.forEach((v, i) => box.append(el('details', {}, el('summary', {}, 'variant ' + (i + 1)), tree(v, depth + 1))));
      return box;
    }
    if (!target.properties || depth > 6) return el('span');
    const table = el('table', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'type'), el('th', {}, 'description')));
    const required = new Set(target.required || []);
    for (const [name, prop] of Object.entries(target.properties)) {
      const r = resolve(prop);
      const desc = el('td', {}, prop.description || r.description || '');
      const inner = r.type === 'array' ? resolve(r.items || {}) : r;
      if (inner.properties || inner.oneOf || inner.anyOf) desc.append(el('details', {}, el('summary', {}, 'fields'), tree(r, depth + 1)));
      table.append(el('tr', {}, el('td', {}, el('code', {}, name), required.has(name) ? el('span', { class: 'req' }, ' *') : ''), el('td', {}, typeOf(prop)), desc));
    }
    return table;
  };
  main.innerHTML = '';
  main.append(el('h1', {}, doc.info.title + ' ' + doc.info.version), el('p', {}, doc.info.description || ''));
  main.append(el('p', {}, 'Machine-readable: ', el('a', { href: '/openapi.json' }, '/openapi.json'), ' (OpenAPI ' + doc.openapi + ').'));
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  }
  for (const [tag, ops] of byTag) {
    nav.append(el('h2', {}, tag));
    main.append(el('h2', { id: 'tag-' + tag }, tag));
    for (const { path, method, op } of ops) {
      const id = op.operationId || method + path;
      nav.append(el('a', { href: '#' + id }, method + ' ' + path));
      const section = el('section', { class: 'op', id });
      section.append(el('h3', {}, el('span', { class: 'method ' + method }, method), ' ', el('code', {}, path)));
      section.append(el('p', {}, el('strong', {}, op.summary || ''), op['x-scope'] ? ' ' : '', op['x-scope'] ? el('span', { class: 'scope' }, 'scope ' + op['x-scope']) : ''));
      if (op.description) section.append(el('p', {}, op.description));
      if (op.parameters && op.parameters.length) {
        const t = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'type'), el('th', {}, 'description')));
        for (const p of op.parameters) t.append(el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? el('span', { class: 'req' }, ' *') : ''), el('td', {}, p.in), el('td', {}, typeOf(p.schema || {})), el('td', {}, p.description || '')));
        section.append(el('h4', {}, 'Parameters'), t);
      }
      const body = op.requestBody && op.requestBody.content;
      if (body) {
        const [type, media] = Object.entries(body)[0];
        section.append(el('h4', {}, 'Request body (' + type + ')'), tree(media.schema || {}, 0));
        if (media.example) section.append(el('details', {}, el('summary', {}, 'example'), el('pre', {}, JSON.stringify(media.example, null, 2))));
      }
      const responses = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'meaning')));
      for (const [status, r] of Object.entries(op.responses || {})) {
        const cell = el('td', {}, r.description || '');
        const json = r.content && r.content['application/json'];
        if (json && json.schema) cell.append(el('details', {}, el('summary', {}, 'body'), tree(json.schema, 0)));
        responses.append(el('tr', {}, el('td', {}, status), cell));
      }
      section.append(el('h4', {}, 'Responses'), responses);
      main.append(section);
    }
  }
})().catch((err) => {
  document.getElementById('main').textContent = 'Could not load /openapi.json: ' + err;
});
`;
