// The admin dashboard's behaviour: forms post JSON with the CSRF header, the calls table follows the
// server's event stream, campaigns and charts refresh. Text from the server is set with textContent only.
// A refresh that fails (a server restarting, a network blip, a 5xx) says so above its table until the next good
// one, and is tried again: the page never stops following the server.
(() => {
  'use strict';
  const base = document.currentScript.src.replace(/\/assets\/app\/admin\.js.*$/, '');
  const meta = name => document.querySelector(`meta[name="${name}"]`).content;
  const csrf = { header: meta('csrf-header'), token: meta('csrf-token') };
  const MAX_CALLS = 50;
  /** How long after a failed read, or a refused event stream, the page tries again. */
  const RETRY_MS = 5000;

  async function api(method, path, body) {
    const headers = { Accept: 'application/json', [csrf.header]: csrf.token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(base + '/api' + path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body)
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* no body */ }
    if (!res.ok) throw new Error((data && (data.detail || data.title)) || `request failed (HTTP ${res.status})`);
    return data;
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v; else if (k === 'dataset') Object.assign(e.dataset, v); else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  function toast(kind, text) {
    const t = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
    const close = el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '\u00d7');
    close.addEventListener('click', () => t.remove());
    t.append(close);
    document.getElementById('toasts').append(t);
    setTimeout(() => t.remove(), kind === 'error' ? 15000 : 8000);
  }

  // The failure notice above a table: shown with what failed, hidden again by the next good read.
  function notice(id) {
    const box = document.getElementById(id);
    return {
      show(text) { box.textContent = text; box.hidden = false; },
      hide() { box.hidden = true; box.textContent = ''; }
    };
  }

  const simulatedBadge = () => el('span', { class: 'badge badge-simulated' }, 'simulated');
  const money = a => a ? `${a.amount} ${a.currency}` : '';

  // ---- calls ----
  const callsBody = document.querySelector('#calls tbody');
  const callsNotice = notice('calls-error');

  function callRow(c) {
    // data-label names the column where a phone-width screen shows each row as a card
    const provider = el('td', { class: 'provider-cell', dataset: { label: 'Provider' } }, c.providerId || '\u2014');
    if (c.simulated) provider.append(' ', simulatedBadge());
    return el('tr', { dataset: { callId: c.callId, startedAt: c.startedAt, statusRank: c.statusRank } },
      el('td', { class: 'started', dataset: { label: 'Started' } }, new Date(c.startedAt).toLocaleTimeString()),
      el('td', { class: 'to', dataset: { label: 'To' } }, c.to),
      el('td', { class: 'category', dataset: { label: 'Category' } },
        el('span', { class: `badge badge-category badge-${c.category}` }, c.category)),
      el('td', { class: 'status', dataset: { label: 'Status' } },
        el('span', { class: `badge badge-status status-${c.status}`, dataset: { status: c.status } }, c.status)),
      provider,
      el('td', { class: 'cost', dataset: { label: 'Cost' } }, money(c.cost) || money(c.estimatedCost)));
  }

  // A call only moves forward (the API's statusRank), so a view of it that arrives late (the placing POST's
  // answer after the event stream has already shown the call ended) must not put an earlier status back.
  function upsertCall(c) {
    const row = callRow(c);
    const old = callsBody.querySelector(`tr[data-call-id="${CSS.escape(c.callId)}"]`);
    if (old) {
      if (Number(old.dataset.statusRank) <= c.statusRank) old.replaceWith(row);
      return;
    }
    const later = [...callsBody.rows].find(r => r.dataset.startedAt <= c.startedAt);
    callsBody.insertBefore(row, later || null);
    while (callsBody.rows.length > MAX_CALLS) callsBody.deleteRow(-1);
  }

  async function loadCalls() {
    const { calls } = await api('GET', '/calls');
    callsBody.replaceChildren(...calls.map(callRow));
  }

  for (const form of document.querySelectorAll('form.call-form')) {
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const fd = new FormData(form);
      const body = { to: fd.get('to').trim() };
      if (fd.has('script')) body.script = fd.get('script');
      if (fd.has('skill')) body.skill = fd.get('skill');
      const customer = encodeURIComponent(fd.get('customer'));
      try {
        const c = await api('POST', `/calls/${form.dataset.category}?customer=${customer}`, body);
        upsertCall(c);
        toast('success', `Call ${c.callId} to ${c.to} (${c.category}): ${c.status}` +
          (c.providerId ? ` via ${c.providerId}` : '') + (c.simulated ? ' (simulated)' : ''));
      } catch (e) {
        toast('error', e.message);
      }
    });
  }

  // ---- coverage check ----
  const coverageForm = document.getElementById('form-coverage');
  coverageForm.addEventListener('submit', async event => {
    event.preventDefault();
    const fd = new FormData(coverageForm);
    const number = fd.get('number').trim();
    const coordinate = name => fd.get(name).trim() === '' ? null : Number(fd.get(name));
    const query = number ? { number } : { latitude: coordinate('latitude'), longitude: coordinate('longitude') };
    const out = document.getElementById('coverage-result');
    try {
      const r = await api('POST', '/coverage-check', query);
      const list = el('ul', { class: 'reach' });
      for (const c of r.categories) {
        const item = el('li', { class: c.reachable ? 'reachable' : 'unreachable', dataset: { category: c.category } },
          el('strong', {}, c.category), `: ${c.reachable ? 'reachable' : 'not reachable'}`,
          c.providerId ? ` via ${c.providerId}` : '', ` \u2014 ${c.detail}`);
        if (c.simulated) item.append(' ', simulatedBadge());
        list.append(item);
      }
      out.replaceChildren(el('p', {}, `${r.checked}${r.country ? ' (' + r.country + ')' : ''}`), list);
    } catch (e) {
      out.replaceChildren();
      toast('error', e.message);
    }
  });

  // ---- erasure ----
  const eraseForm = document.getElementById('form-erase');
  eraseForm.addEventListener('submit', async event => {
    event.preventDefault();
    const number = new FormData(eraseForm).get('number').trim();
    const out = document.getElementById('erase-result');
    try {
      const r = await api('POST', '/erasures', { number });
      out.replaceChildren(el('p', {}, `${number}: ${r.calls} calls, ${r.events} events, ${r.targets} campaign targets `
        + `and ${r.inboundMessages} messages erased; ${r.providerCalls} calls queued for deletion at their providers; `
        + `${r.deferredCalls} calls under way, erased once settled.`));
      eraseForm.reset();
    } catch (e) {
      out.replaceChildren();
      toast('error', e.message);
    }
  });

  // ---- campaigns ----
  const campaignsBody = document.querySelector('#campaigns tbody');
  const campaignsNotice = notice('campaigns-error');
  const ACTIVE = ['scheduled', 'in_progress'];

  function campaignRow(c) {
    const p = c.progress;
    const counter = (name, value) => el('span', { class: 'counter', dataset: { counter: name } }, value);
    const action = (name, label) => {
      const b = el('button', { type: 'button', class: 'small' }, label);
      b.addEventListener('click', async () => {
        try {
          await api('POST', `/campaigns/${encodeURIComponent(c.campaignId)}/${name}`);
          toast('success', `Campaign ${c.name}: ${label.toLowerCase()}d`);
        } catch (e) {
          toast('error', e.message);
        }
        loadCampaigns();
      });
      return b;
    };
    const actions = el('td', { class: 'actions', dataset: { label: 'Actions' } });
    if (p.status === 'in_progress') actions.append(action('pause', 'Pause'));
    if (p.status === 'paused') actions.append(action('resume', 'Resume'));
    if (!['completed', 'canceled'].includes(p.status)) actions.append(action('cancel', 'Cancel'));
    const status = el('td', { class: 'status', dataset: { label: 'Status' } }, el('span', { class: `badge campaign-status status-${p.status}` }, p.status));
    if (c.note) status.append(el('div', { class: 'campaign-note' }, c.note));
    return el('tr', { dataset: { campaignId: c.campaignId } },
      el('td', { class: 'name', dataset: { label: 'Name' } }, c.name, el('small', {}, ` ${c.customerId}`)),
      status,
      el('td', { class: 'counters', dataset: { label: 'Progress' } }, counter('completed', p.completed), ' done, ', counter('failed', p.failed),
        ' failed, ', counter('pending', p.pending), ' pending of ', counter('total', p.total)),
      actions);
  }

  // Refreshed every 2 s while a campaign is active; a failed read is shown and tried again, whatever was shown before.
  let campaignTimer = null;
  async function loadCampaigns() {
    try {
      const { campaigns } = await api('GET', '/campaigns');
      campaignsBody.replaceChildren(...campaigns.map(campaignRow));
      campaignsNotice.hide();
      clearTimeout(campaignTimer);
      if (campaigns.some(c => ACTIVE.includes(c.progress.status))) campaignTimer = setTimeout(loadCampaigns, 2000);
    } catch (e) {
      campaignsNotice.show(`Campaigns could not be refreshed: ${e.message}. Trying again\u2026`);
      clearTimeout(campaignTimer);
      campaignTimer = setTimeout(loadCampaigns, RETRY_MS);
    }
  }

  const campaignForm = document.getElementById('form-campaign');
  const windowInputs = [campaignForm.elements.from, campaignForm.elements.until];
  const showHours = () => windowInputs.forEach(i => { i.disabled = campaignForm.elements.hours.value === 'any'; });
  campaignForm.elements.hours.addEventListener('change', showHours);
  campaignForm.addEventListener('reset', () => setTimeout(showHours));
  campaignForm.addEventListener('submit', async event => {
    event.preventDefault();
    const fd = new FormData(campaignForm);
    try {
      const c = await api('POST', '/campaigns', {
        name: fd.get('name'), numbers: fd.get('numbers'), category: fd.get('category'), customer: fd.get('customer'),
        hours: fd.get('hours'), from: fd.get('from'), until: fd.get('until')
      });
      toast('success', `Campaign ${c.name} created and started with ${c.progress.total} numbers`);
      campaignForm.reset();
      loadCampaigns();
    } catch (e) {
      toast('error', e.message);
    }
  });

  // ---- charts ----
  const charts = {};
  function chart(name, opts, data) {
    const box = document.getElementById(`${name}-box`);
    if (charts[name]) charts[name].destroy();
    opts.width = Math.max(box.clientWidth, 200);
    opts.height = 220;
    charts[name] = new uPlot(opts, data, box);
    charts[name].root.querySelector('canvas').id = name;   // the contract's canvas#chart-cost / #chart-hourly
  }

  const fromZero = (u, min, max) => [0, max > 0 ? max * 1.1 : 1];
  const bars = () => uPlot.paths.bars({ size: [0.6, 80] });
  const COLORS = ['#0b5cad', '#d9822b', '#2e8540', '#8e44ad', '#c0392b'];

  function drawStats(s) {
    const cats = s.categories.map(c => c.category);
    const currencies = [...new Set(s.categories.flatMap(c => c.cost.map(a => a.currency)))].sort();
    const costSeries = currencies.map(cur => s.categories.map(c => {
      const a = c.cost.find(x => x.currency === cur);
      return a ? Number(a.amount) : 0;
    }));
    chart('chart-cost', {
      scales: { x: { time: false, range: [-0.5, Math.max(cats.length, 1) - 0.5] }, y: { range: fromZero } },
      axes: [{ splits: () => cats.map((_, i) => i), values: (u, splits) => splits.map(i => cats[i] || '') }, {}],
      series: [{}, ...currencies.map((cur, i) => ({ label: cur, fill: COLORS[i % COLORS.length], stroke: COLORS[i % COLORS.length], paths: bars() }))]
    }, [cats.map((_, i) => i), ...costSeries]);
    chart('chart-hourly', {
      scales: { x: { time: true }, y: { range: fromZero } },
      series: [{}, { label: 'calls', fill: '#0b5cad55', stroke: '#0b5cad', paths: bars() }]
    }, [s.hours.map(h => Date.parse(h.hour) / 1000), s.hours.map(h => h.calls)]);
  }

  let lastStats = null;
  async function loadStats() {
    try {
      lastStats = await api('GET', '/stats');
      drawStats(lastStats);
    } catch (e) {
      toast('error', e.message);
    }
  }
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => lastStats && drawStats(lastStats), 200);
  });

  // ---- live updates ----
  let statsTimer = null;
  function soon(fn, ms) {
    return () => { if (!statsTimer) statsTimer = setTimeout(() => { statsTimer = null; fn(); }, ms); };
  }
  const refreshStats = soon(loadStats, 3000);

  // The calls table follows the event stream. While the stream is down the browser reconnects by itself, except
  // when a reconnection is refused (a 5xx while the server restarts), which closes the stream for good: the page then
  // opens a new one. Events sent while it was down are lost, so a stream that opens again reads the calls afresh.
  let interrupted = false;
  let callsTimer = null;
  async function readCalls() {
    clearTimeout(callsTimer);
    try {
      await loadCalls();
      if (!interrupted) callsNotice.hide();
    } catch (e) {
      callsNotice.show(`Calls could not be read: ${e.message}. Trying again\u2026`);
      callsTimer = setTimeout(readCalls, RETRY_MS);
    }
  }
  function follow() {
    const events = new EventSource(base + '/events');
    events.addEventListener('open', () => {
      if (!interrupted) return;
      interrupted = false;
      readCalls();
      loadCampaigns();
    });
    events.addEventListener('call', e => {
      const c = JSON.parse(e.data);
      upsertCall(c);
      if (c.campaignId) loadCampaigns();
      refreshStats();
    });
    events.addEventListener('error', () => {
      interrupted = true;
      callsNotice.show('Live updates interrupted: the calls below may be out of date. Reconnecting\u2026');
      if (events.readyState === EventSource.CLOSED) setTimeout(follow, RETRY_MS);
    });
  }
  follow();

  readCalls();
  loadCampaigns();
  loadStats();
  setInterval(loadStats, 60000);
})();
