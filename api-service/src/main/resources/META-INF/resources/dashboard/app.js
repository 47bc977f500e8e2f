'use strict';

/*
 * Levain dashboard: plain JavaScript over the KPI JSON API, no build step. The bearer token comes from the
 * URL fragment (#token=..., then removed from the address bar) or the sign-in form, and lives in
 * sessionStorage only. Every GET revalidates with If-None-Match, so polling moves bytes only on change.
 * Numbers carry data-testid attributes (e.g. today-net-PAR-BASTILLE) and their raw JSON value in data-value.
 */
(function () {
  const API = new URL('../api/v1/', new URL('./', location.href)).pathname;
  const BUSY_TRIES = 4;
  const TOKEN_KEY = 'levain.dashboard.token';
  const TODAY_EVERY_MS = 5000;
  const SLOW_EVERY_MS = 60000;
  const CUSTOMER_MONTHS = 6;
  const LOCALE = new Intl.NumberFormat((navigator.languages && navigator.languages[0]) || navigator.language || 'en-US')
    .resolvedOptions().locale;
  document.documentElement.dataset.locale = LOCALE;

  const $ = (id) => document.getElementById(id);
  const held = new Map();
  const moneyFormats = new Map();
  const integerFormat = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: 0});
  const quantityFormat = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: 3});
  const percentValueFormat = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: 1});
  const percentFormat = new Intl.NumberFormat(LOCALE, {
    style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero'
  });
  const rateFormat = new Intl.NumberFormat(LOCALE, {style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1});
  const charts = {};
  let generation = 0;
  let todayStores = [];
  let lastToday = null;
  /** The stores the admin's table shows, by code (the edit buttons fill the form from them). */
  let storesShown = new Map();
  const drawn = new Map();

  /** A non-2xx answer of the API, with its problem+json body when there is one. */
  class HttpError extends Error {
    constructor(status, problem) {
      super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : 'HTTP ' + status);
      this.status = status;
      this.problem = problem;
    }
  }

  /** An answer that arrived after a sign-out or a restart: dropped. */
  class Superseded extends Error {
  }

  // ---------------------------------------------------------------- token

  function adoptTokenFromFragment() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const token = params.get('token');
    if (!token) {
      return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    params.delete('token');
    const rest = params.toString();
    // The token must not stay in the address bar, the history or a bookmark.
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    return true;
  }

  /** Store codes chosen in the fragment (#store=PAR-BASTILLE,PAR-MARAIS); none: every store the token may see. */
  function chosenStores() {
    const value = new URLSearchParams(location.hash.replace(/^#/, '')).get('store');
    return value ? value.split(',').map((code) => code.trim()).filter(Boolean) : [];
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function claims(jwt) {
    try {
      const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(Array.from(atob(payload),
        (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
    } catch (e) {
      return {};
    }
  }

  function showSignIn(message) {
    generation++;
    held.clear();
    $('dashboard').hidden = true;
    $('sign-out').hidden = true;
    $('who').textContent = '';
    $('sign-in').hidden = false;
    $('sign-in-error').hidden = !message;
    $('sign-in-error').textContent = message || '';
    $('token-input').focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(message);
  }

  function start() {
    generation++;
    held.clear();
    drawn.clear();
    todayStores = [];
    lastToday = null;
    const who = claims(token());
    const groups = Array.isArray(who.groups) ? who.groups.join(', ') : '';
    const stores = Array.isArray(who.stores) && who.stores.length ? ' (' + who.stores.join(', ') + ')' : '';
    const chosen = chosenStores();
    $('who').textContent = (who.upn || who.sub || 'signed in') + (groups ? ' · ' + groups : '') + stores
      + (chosen.length ? ' — showing ' + chosen.join(', ') : '');
    $('sign-in').hidden = true;
    $('dashboard').hidden = false;
    $('sign-out').hidden = false;
    const mine = generation;
    every(TODAY_EVERY_MS, refreshToday).then(() => {
      markPaint(mine, 'levain:first-numbers');
      // After today's answer: the default dates end on the stores' business day.
      renderRangeForm().catch(showRefreshError);
      Promise.allSettled([
        every(SLOW_EVERY_MS, refreshMonth),
        every(SLOW_EVERY_MS, refreshDaily),
        every(SLOW_EVERY_MS, refreshMonthly),
        every(SLOW_EVERY_MS, refreshStoreCustomers),
        every(SLOW_EVERY_MS, refreshTurnover),
        every(SLOW_EVERY_MS, refreshAlerts),
        every(SLOW_EVERY_MS, refreshCustomers),
        every(SLOW_EVERY_MS, refreshStock),
        every(SLOW_EVERY_MS, refreshGoals),
        every(SLOW_EVERY_MS, refreshStoresAdmin)]).then(() => markPaint(mine, 'levain:first-screen'));
    });
  }

  /**
   * A User Timing mark (DevTools' Performance panel, ./levain bench-api) when the sign-in that started the
   * refreshes is still the current one: today's figures drawn, then every panel's first answer drawn.
   */
  function markPaint(mine, name) {
    if (mine === generation && window.performance && performance.mark) {
      requestAnimationFrame(() => performance.mark(name));
    }
  }

  /** Runs {@code task} now and then every {@code ms}, until the next sign-in or sign-out. */
  function every(ms, task) {
    const mine = generation;
    const run = async () => {
      if (mine !== generation) {
        return;
      }
      try {
        await task();
      } catch (e) {
        if (mine === generation && !(e instanceof HttpError && e.status === 401)) {
          showRefreshError(e);
        }
      }
      if (mine === generation) {
        setTimeout(run, ms);
      }
    };
    return run();
  }

  // ---------------------------------------------------------------- API

  /** GET of the JSON API with the bearer token; a 304 answers with the body held for that URL. */
  async function getJson(path, params) {
    const search = new URLSearchParams(params || {});
    if (path.startsWith('kpis/')) {
      chosenStores().forEach((code) => search.append('store', code));
    }
    const query = search.toString() ? '?' + search.toString() : '';
    const url = API + path + query;
    const headers = {Authorization: 'Bearer ' + token(), Accept: 'application/json'};
    const previous = held.get(url);
    if (previous) {
      headers['If-None-Match'] = previous.etag;
    }
    const mine = generation;
    let response = await fetch(url, {headers, cache: 'no-store'});
    // Busy (too many expensive requests, or a statement timed out): come back after Retry-After, a few times.
    for (let tries = 1; response.status === 503 && response.headers.get('Retry-After') && tries < BUSY_TRIES
        && mine === generation; tries++) {
      const seconds = Math.min(Number(response.headers.get('Retry-After')) || 1, 10);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      response = await fetch(url, {headers, cache: 'no-store'});
    }
    if (mine !== generation) {
      // Signed out or restarted meanwhile: this answer belongs to a page no longer shown.
      throw new Superseded();
    }
    if (response.status === 304 && previous) {
      return previous.body;
    }
    if (response.status === 401) {
      signOut('The token was refused (expired, or not signed for this Levain). Paste a new one.');
      throw new HttpError(401, null);
    }
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (e) {
        // Not problem+json: the status says enough.
      }
      throw new HttpError(response.status, problem);
    }
    const body = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) {
      held.set(url, {etag, body});
    }
    return body;
  }

  // ---------------------------------------------------------------- formatting

  function money(value, currency) {
    if (value === null || value === undefined) {
      return '—';
    }
    if (!currency) {
      return integerFormat.format(Number(value));
    }
    let format = moneyFormats.get(currency);
    if (!format) {
      format = new Intl.NumberFormat(LOCALE, {style: 'currency', currency});
      moneyFormats.set(currency, format);
    }
    return format.format(Number(value));
  }

  function quantity(value) {
    return value === null || value === undefined ? '—' : quantityFormat.format(Number(value));
  }

  function integer(value) {
    return value === null || value === undefined ? '—' : integerFormat.format(Number(value));
  }

  /** (now − then) / |then| in percent to 0.1, null when there is nothing to compare with. */
  function change(now, then) {
    if (now === null || now === undefined || then === null || then === undefined || Number(then) === 0) {
      return null;
    }
    return Math.round((Number(now) - Number(then)) * 1000 / Math.abs(Number(then))) / 10;
  }

  function changeText(percent) {
    return percent === null ? '—' : percentFormat.format(percent / 100);
  }

  /** Rates come as fractions (0.25) from the API. */
  function rate(value) {
    return value === null || value === undefined ? '—' : rateFormat.format(Number(value));
  }

  function timeOf(instant, zone) {
    const options = {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'};
    if (zone) {
      options.timeZone = zone;
    }
    return new Intl.DateTimeFormat(LOCALE, options).format(new Date(instant));
  }

  /** When a count was taken, in the store's own zone. */
  function counted(instant, zone) {
    const options = {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
    if (zone) {
      options.timeZone = zone;
    }
    return new Intl.DateTimeFormat(LOCALE, options).format(new Date(instant));
  }

    function dateText(iso, options) {
    return new Intl.DateTimeFormat(LOCALE, Object.assign({timeZone: 'UTC'}, options || {day: 'numeric', month: 'short'}))
      .format(new Date(iso + 'T00:00:00Z'));
  }

  // ISO dates computed in UTC, so that the browser's own zone never shifts a business date.
  function isoDate(date) {
    return date.toISOString().slice(0, 10);
  }

  function parseIso(iso) {
    return new Date(iso + 'T00:00:00Z');
  }

  function addMonths(iso, months) {
    const date = parseIso(iso);
    return isoDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
  }

  function lastDayOfMonth(iso) {
    const date = parseIso(iso);
    return isoDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value !== null && value !== undefined) {
        node.setAttribute(name, value);
      }
    });
    children.filter((child) => child !== null && child !== undefined)
      .forEach((child) => node.append(typeof child === 'string' ? document.createTextNode(child) : child));
    return node;
  }

  /** A number: its text as shown and its raw JSON value. */
  function num(testid, text, value, className) {
    return el('span', {
      'data-testid': testid, id: testid, 'data-value': value === null || value === undefined ? '' : String(value),
      class: className
    }, text);
  }

  function setNum(node, text, value) {
    if (node.textContent !== text) {
      node.textContent = text;
    }
    node.dataset.value = value === null || value === undefined ? '' : String(value);
  }

  function trend(percent) {
    return percent === null ? 'flat' : percent > 0 ? 'up' : percent < 0 ? 'down' : 'flat';
  }

  function showRefreshError(error) {
    if (error instanceof Superseded) {
      return;
    }
    const note = $('refresh-error');
    note.hidden = false;
    note.textContent = 'refresh failed at ' + timeOf(new Date().toISOString()) + ' (' + error.message + '), retrying';
  }

  /** Whether a section's answers are the very ones already drawn (all 304s): then it is left as it is. */
  function unchanged(section, ...bodies) {
    const before = drawn.get(section);
    drawn.set(section, bodies);
    return Boolean(before) && before.length === bodies.length && before.every((body, i) => body === bodies[i]);
  }

  function unavailable(section, error, what) {
    drawn.delete(section);
    $(section + '-body').hidden = true;
    const note = $(section + '-unavailable');
    note.hidden = false;
    if (error instanceof HttpError && (error.status === 404 || error.status === 405 || error.status === 501)) {
      note.textContent = what + ' not available on this server yet.';
    } else if (error instanceof HttpError && error.status === 403) {
      note.textContent = what + ' not available to this token.';
    } else if (error instanceof HttpError && error.status >= 502 && error.status <= 504) {
      // Another Levain service api-service reads from (alert-service) is not there: say which, and why.
      note.textContent = what + ' not available: ' + error.message;
    } else {
      note.textContent = what.replace(/ (are|is)$/, '') + ' could not be loaded (' + error.message + ').';
    }
  }

  function available(section) {
    $(section + '-unavailable').hidden = true;
    $(section + '-body').hidden = false;
  }

  /**
   * The chart library, loaded beside the page rather than before it (a megabyte to parse on a first visit): the
   * figures are drawn without waiting for it, each chart when it is there.
   */
  const chartsLoaded = new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = '/webjars/echarts/5.3.1/dist/echarts.min.js';
    script.onload = () => resolve(Boolean(window.echarts));
    script.onerror = () => resolve(false);
    document.head.appendChild(script);
  });

  /** Draws chart {@code id} with {@code draw(chart)} once the library is loaded, or says it could not be. */
  function drawChart(id, draw) {
    chartsLoaded.then((loaded) => {
      if (!loaded) {
        $(id).textContent = 'Charts could not be loaded.';
        return;
      }
      if (!charts[id]) {
        charts[id] = window.echarts.init($(id));
      }
      draw(charts[id]);
    });
  }

  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  // ---------------------------------------------------------------- (a) today, live

  async function refreshToday() {
    const data = await getJson('kpis/sales/today');
    const changed = lastToday !== null && data !== lastToday;
    lastToday = data;
    todayStores = data.stores || [];
    if (changed) {
      // Today's sales are in the month too: follow them without waiting for the month's own refresh.
      refreshMonth().catch(showRefreshError);
    }
    renderFreshness(data.freshness || {}, todayStores);
    renderToday(todayStores);
    $('refresh-error').hidden = true;
  }

  function renderFreshness(freshness, stores) {
    const zone = stores.length ? stores[0].timezone : undefined;
    const asOf = $('as-of');
    setNum(asOf, freshness.as_of ? timeOf(freshness.as_of, zone) : 'no data yet', freshness.as_of);
    asOf.setAttribute('datetime', freshness.as_of || '');
    asOf.title = zone ? 'time in ' + zone : '';
    setNum($('pending-events'), freshness.pending_events === null || freshness.pending_events === undefined
      ? 'unknown' : integer(freshness.pending_events), freshness.pending_events);
    setNum($('lag-seconds'), freshness.lag_seconds === null || freshness.lag_seconds === undefined
      ? 'unknown' : integer(freshness.lag_seconds) + ' s', freshness.lag_seconds);
  }

  function renderToday(stores) {
    const container = $('today-stores');
    const seen = new Set();
    stores.forEach((store) => {
      seen.add(store.store);
      const card = el('article', {class: 'store', 'data-store': store.store},
        el('h3', null, store.name + ' ', el('small', null, store.store)),
        el('p', {class: 'big'}, num('today-net-' + store.store, money(store.today.net_sales, store.currency),
          store.today.net_sales)),
        el('p', {class: 'sub'}, 'net sales, ',
          num('today-business-date-' + store.store, dateText(store.business_date,
            {weekday: 'long', day: 'numeric', month: 'long'}), store.business_date)),
        todayFigures(store));
      const old = container.querySelector('[data-store="' + CSS.escape(store.store) + '"]');
      if (!old) {
        container.append(card);
      } else if (!old.isEqualNode(card)) {
        old.replaceWith(card);
      }
    });
    Array.from(container.children).filter((card) => !seen.has(card.dataset.store)).forEach((card) => card.remove());
    if (!stores.length) {
      container.replaceChildren(el('p', {class: 'note'}, 'No store to show.'));
    }
  }

  function todayFigures(store) {
    const code = store.store;
    const now = store.today;
    const then = store.same_day_last_week || {};
    const percent = change(now.net_sales, then.net_sales);
    const rows = [
      ['transactions', num('today-transactions-' + code, integer(now.transactions), now.transactions)],
      ['average ticket', num('today-average-ticket-' + code, money(now.average_ticket, store.currency),
        now.average_ticket)],
      ['customers', num('today-customers-' + code, integer(now.customers), now.customers)],
      ['same day last week', el('span', null,
        num('today-last-week-net-' + code, money(then.net_sales, store.currency), then.net_sales), ' ',
        num('today-change-' + code, changeText(percent), percent, 'change ' + trend(percent)))]
    ];
    // Costs only reach admins: shown only when the JSON carries them.
    if (now.cogs !== undefined && now.cogs !== null) {
      rows.push(['COGS', num('today-cogs-' + code, money(now.cogs, store.currency), now.cogs)]);
    }
    if (now.gross_margin !== undefined && now.gross_margin !== null) {
      rows.push(['gross margin', num('today-gross-margin-' + code, money(now.gross_margin, store.currency),
        now.gross_margin)]);
    }
    return el('dl', null, ...rows.flatMap(([label, value]) => [el('dt', null, label), el('dd', null, value)]));
  }

  // ---------------------------------------------------------------- (b) this month against last month

  function businessToday() {
    return todayStores.length ? todayStores[0].business_date : isoDate(new Date(Date.now()
      - new Date().getTimezoneOffset() * 60000));
  }

  async function refreshMonth() {
    const today = businessToday();
    const first = today.slice(0, 8) + '01';
    const lastStart = addMonths(first, -1);
    const lastEnd = lastDayOfMonth(lastStart);
    const sameDay = lastStart.slice(0, 8) + today.slice(8);
    const lastToDate = sameDay > lastEnd ? lastEnd : sameDay;
    let now;
    let before;
    let lastMonth;
    try {
      [now, before, lastMonth] = await Promise.all([
        getJson('kpis/sales', {from: first, to: today, granularity: 'day'}),
        getJson('kpis/sales', {from: lastStart, to: lastToDate, granularity: 'month'}),
        getJson('kpis/sales', {from: lastStart, to: lastEnd, granularity: 'day'})]);
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) {
        throw e;
      }
      unavailable('month', e, 'Monthly sales are');
      return;
    }
    if (unchanged('month', now, before, lastMonth)) {
      return;
    }
    available('month');
    $('month-period').textContent = dateText(first) + '–' + dateText(today) + ' against '
      + dateText(lastStart) + '–' + dateText(lastToDate);
    renderMonthTable(now, before, first, today, lastStart, lastToDate);
    renderMonthChart(now, lastMonth, today);
  }

  function renderMonthTable(now, before, first, today, lastStart, lastToDate) {
    const currency = now.currency;
    const previous = new Map((before.by_store || []).map((store) => [store.store, store.figures]));
    const costs = now.total && now.total.cogs !== undefined && now.total.cogs !== null;
    const head = el('tr', null, el('th', null, 'store'),
      el('th', null, 'net ' + dateText(first) + '–' + dateText(today)),
      el('th', null, 'net ' + dateText(lastStart) + '–' + dateText(lastToDate)),
      el('th', null, 'change'), el('th', null, 'transactions'), el('th', null, 'average ticket'),
      costs ? el('th', null, 'COGS') : null, costs ? el('th', null, 'gross margin') : null);
    const row = (key, label, figures, then, className) => {
      const percent = change(figures.net_sales, then ? then.net_sales : null);
      return el('tr', {class: className},
        el('th', {scope: 'row'}, label),
        el('td', null, num('month-net-' + key, money(figures.net_sales, currency), figures.net_sales)),
        el('td', null, num('month-last-net-' + key, money(then ? then.net_sales : null, currency),
          then ? then.net_sales : null)),
        el('td', null, num('month-change-' + key, changeText(percent), percent, 'change ' + trend(percent))),
        el('td', null, num('month-transactions-' + key, integer(figures.transactions), figures.transactions)),
        el('td', null, num('month-average-ticket-' + key, money(figures.average_ticket, currency),
          figures.average_ticket)),
        costs ? el('td', null, num('month-cogs-' + key, money(figures.cogs, currency), figures.cogs)) : null,
        costs ? el('td', null, num('month-gross-margin-' + key, money(figures.gross_margin, currency),
          figures.gross_margin)) : null);
    };
    const rows = (now.by_store || []).map((store) => row(store.store, store.name, store.figures,
      previous.get(store.store)));
    rows.push(row('total', 'all stores', now.total, before.total, 'total'));
    $('month-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
  }

  function renderMonthChart(now, lastMonth, today) {
    drawChart('month-chart', (drawing) => drawMonthChart(drawing, now, lastMonth, today));
  }

  function drawMonthChart(drawing, now, lastMonth, today) {
    const currency = now.currency;
    const cumulative = (series) => {
      let sum = 0;
      return (series || []).map((bucket) => {
        sum += Number(bucket.total.net_sales);
        return Math.round(sum * 100) / 100;
      });
    };
    const thisMonth = cumulative(now.series);
    const previous = cumulative(lastMonth.series);
    const days = Math.max(Number(lastDayOfMonth(today).slice(8)), previous.length);
    drawing.setOption({
      animation: false,
      tooltip: {trigger: 'axis', valueFormatter: (value) => money(value, currency)},
      legend: {top: 0},
      grid: {left: 80, right: 20, top: 36, bottom: 30},
      xAxis: {type: 'category', data: Array.from({length: days}, (_, i) => String(i + 1))},
      yAxis: {type: 'value', axisLabel: {formatter: (value) => money(value, currency).replace(/[.,]00$/, '')}},
      series: [
        {name: 'this month, cumulative net', type: 'line', data: thisMonth, showSymbol: false, lineStyle: {width: 3}},
        {name: 'last month', type: 'line', data: previous, showSymbol: false, lineStyle: {type: 'dashed'}},
        {name: 'this month, daily net', type: 'bar', data: (now.series || []).map((bucket) => Number(bucket.total.net_sales)),
          itemStyle: {opacity: 0.45}}
      ]
    }, true);
  }

  // ---------------------------------------------------------------- (c) customers

  async function refreshCustomers() {
    const today = businessToday();
    const from = addMonths(today.slice(0, 8) + '01', 1 - CUSTOMER_MONTHS);
    let data;
    try {
      data = await getJson('kpis/customers', {from, to: today, granularity: 'month'});
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) {
        throw e;
      }
      unavailable('customers', e, 'Customer KPIs are');
      return;
    }
    if (unchanged('customers', data)) {
      return;
    }
    available('customers');
    const months = firstArray(data, ['series', 'buckets', 'periods', 'months']).map((bucket) => {
      const figures = bucket.total || bucket.figures || bucket;
      return {
        key: String(bucket.period_start || bucket.month || bucket.period || bucket.from || '').slice(0, 7),
        newCustomers: pick(figures, ['new_customers', 'new']),
        active: pick(figures, ['active_customers', 'active', 'customers']),
        retained: pick(figures, ['retained_customers', 'retained']),
        retention: pick(figures, ['retention_rate']),
        repeat: pick(figures, ['repeat_rate'])
      };
    });
    const head = el('tr', null, ...['month', 'new', 'active', 'retained', 'retention', 'repeat rate']
      .map((label) => el('th', null, label)));
    const rows = months.map((month) => el('tr', null,
      el('th', {scope: 'row'}, month.key ? dateText(month.key + '-01', {month: 'long', year: 'numeric'}) : '—'),
      el('td', null, num('customers-new-' + month.key, integer(month.newCustomers), month.newCustomers)),
      el('td', null, num('customers-active-' + month.key, integer(month.active), month.active)),
      el('td', null, num('customers-retained-' + month.key, integer(month.retained), month.retained)),
      el('td', null, num('customers-retention-' + month.key, rate(month.retention), month.retention)),
      el('td', null, num('customers-repeat-' + month.key, rate(month.repeat), month.repeat))));
    $('customers-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    drawChart('customers-chart', (drawing) => {
      drawing.setOption({
        animation: false,
        tooltip: {trigger: 'axis'},
        legend: {top: 0},
        grid: {left: 50, right: 60, top: 36, bottom: 30},
        xAxis: {type: 'category', data: months.map((month) => month.key)},
        yAxis: [{type: 'value', name: 'customers', minInterval: 1},
          {type: 'value', name: 'rate', min: 0, max: 1, axisLabel: {formatter: (value) => rate(value)}}],
        series: [
          {name: 'new customers', type: 'bar', data: months.map((month) => month.newCustomers)},
          {name: 'active customers', type: 'bar', data: months.map((month) => month.active)},
          {name: 'retention', type: 'line', yAxisIndex: 1, data: months.map((month) => month.retention),
            tooltip: {valueFormatter: (value) => rate(value)}}
        ]
      }, true);
    });
  }

  function firstArray(data, names) {
    if (Array.isArray(data)) {
      return data;
    }
    for (const name of names) {
      if (Array.isArray(data[name])) {
        return data[name];
      }
    }
    const any = Object.values(data || {}).find(Array.isArray);
    return any || [];
  }

  function pick(object, names) {
    for (const name of names) {
      if (object && object[name] !== undefined) {
        return object[name];
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- (d) stock

  const SEVERITY = {out: 0, low: 1, ok: 2};

  async function refreshStock() {
    let data;
    try {
      data = await getJson('kpis/inventory/levels');
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) {
        throw e;
      }
      unavailable('stock', e, 'Stock levels are');
      return;
    }
    if (unchanged('stock', data)) {
      return;
    }
    available('stock');
    const levels = firstArray(data, ['levels', 'items', 'products']).slice().sort((a, b) =>
      (SEVERITY[a.status] ?? 3) - (SEVERITY[b.status] ?? 3)
      || String(a.store).localeCompare(String(b.store)) || String(a.sku).localeCompare(String(b.sku)));
    const count = (status) => (data.counts && data.counts[status] !== undefined ? data.counts[status]
      : levels.filter((level) => level.status === status).length);
    setNum($('stock-out-count'), integer(count('out')), count('out'));
    setNum($('stock-low-count'), integer(count('low')), count('low'));
    setNum($('stock-ok-count'), integer(count('ok')), count('ok'));
    const costs = levels.some((level) => level.unit_cost !== undefined && level.unit_cost !== null);
    const currencyOf = new Map(todayStores.map((store) => [store.store, store.currency]));
    const zoneOf = new Map(todayStores.map((store) => [store.store, store.timezone]));
    (data.by_store || []).forEach((store) => store.currency && currencyOf.set(store.store, store.currency));
    renderStockValues(data.by_store || [], currencyOf);
    const head = el('tr', null, el('th', null, 'store'), el('th', null, 'product'), el('th', null, 'on hand'),
      el('th', null, 'reorder point'), el('th', null, 'status'),
      costs ? el('th', null, 'unit cost') : null, costs ? el('th', null, 'value') : null, el('th', null, 'counted'));
    const rows = levels.map((level) => {
      const key = level.store + '-' + level.sku;
      const currency = level.currency || currencyOf.get(level.store);
      return el('tr', {class: 'status-' + level.status, 'data-testid': 'stock-row-' + key},
        el('td', null, String(level.store)),
        el('td', null, String(level.name || level.product_name || level.sku), ' ', el('small', null, String(level.sku))),
        el('td', null, num('stock-on-hand-' + key, quantity(level.on_hand), level.on_hand)),
        el('td', null, quantity(level.reorder_point)),
        el('td', null, num('stock-status-' + key, String(level.status), level.status, 'pill ' + level.status)),
        costs ? el('td', null, num('stock-unit-cost-' + key, money(level.unit_cost, currency), level.unit_cost)) : null,
        costs ? el('td', null, num('stock-value-' + key, money(level.value, currency), level.value)) : null,
        el('td', null, level.as_of ? counted(level.as_of, zoneOf.get(level.store)) : '—'));
    });
    const urgent = rows.filter((row) => !row.classList.contains('status-ok'));
    const fine = rows.filter((row) => row.classList.contains('status-ok'));
    const body = [el('thead', null, head), el('tbody', null, ...urgent)];
    if (fine.length) {
      const toggle = el('button', {type: 'button', class: 'link'}, 'show the ' + fine.length + ' items in stock');
      const okBody = el('tbody', {class: 'ok-rows', hidden: ''}, ...fine);
      toggle.addEventListener('click', () => {
        okBody.hidden = !okBody.hidden;
        toggle.textContent = (okBody.hidden ? 'show' : 'hide') + ' the ' + fine.length + ' items in stock';
      });
      body.push(okBody, el('tfoot', null, el('tr', null, el('td', {colspan: '8'}, toggle))));
    }
    $('stock-table').replaceChildren(...body);
  }

  /** Each store's stock value, for admins only (absent from a viewer's JSON). */
  function renderStockValues(stores, currencyOf) {
    const valued = stores.filter((store) => store.inventory_value !== undefined && store.inventory_value !== null);
    $('stock-values').replaceChildren(...valued.map((store) => el('span', {class: 'pill'}, store.store + ' stock value ',
      num('stock-store-value-' + store.store, money(store.inventory_value, currencyOf.get(store.store)),
        store.inventory_value))));
    $('stock-values').hidden = !valued.length;
  }

  // ---------------------------------------------------------------- (e) goals

  async function refreshGoals() {
    let goals;
    let progress;
    try {
      goals = firstArray(await getJson('goals'), ['goals', 'items']);
      progress = await Promise.all(goals.map((goal) => getJson('goals/' + encodeURIComponent(goal.id) + '/progress')
        .catch((e) => (e instanceof HttpError && e.status !== 401 ? null : Promise.reject(e)))));
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) {
        throw e;
      }
      unavailable('goals', e, 'Goals are');
      return;
    }
    if (unchanged('goals', goals, ...progress)) {
      return;
    }
    available('goals');
    if (!goals.length) {
      $('goals-body').replaceChildren(el('p', {class: 'note'}, 'No goal set yet.'));
      return;
    }
    $('goals-body').replaceChildren(...goals.map((goal, i) => renderGoal(goal, progress[i] || {})));
  }

  const MONEY_METRICS = new Set(['net_sales', 'average_ticket', 'inventory_value']);
  const PERCENT_METRICS = new Set(['retention_rate']);

  /** A goal's metric value: money in the stores' currency, a rate in percent, or a count. */
  function metricValue(metric, value) {
    if (value === null || value === undefined) {
      return '—';
    }
    if (MONEY_METRICS.has(metric)) {
      return money(value, todayStores.length ? todayStores[0].currency : null);
    }
    if (PERCENT_METRICS.has(metric)) {
      return percentValueFormat.format(Number(value)) + ' %';
    }
    return quantity(value);
  }

  function renderGoal(goal, progress) {
    const percent = progress.progress_percent === undefined ? null : progress.progress_percent;
    const expected = progress.expected_percent === undefined ? null : progress.expected_percent;
    const clamp = (value) => Math.max(0, Math.min(100, Number(value) || 0));
    const bar = el('div', {class: 'bar'}, el('span', {style: 'width:' + clamp(percent) + '%'}),
      expected === null ? null : el('i', {style: 'left:' + clamp(expected) + '%', title: 'expected by now'}));
    const track = progress.on_track === true ? 'on track' : progress.on_track === false ? 'behind' : '';
    const change = goal.target_change_percent === undefined ? null : Number(goal.target_change_percent);
    return el('article', {class: 'goal', 'data-testid': 'goal-' + goal.id},
      el('h3', null, String(goal.name || goal.metric), ' ', el('small', null, [
        goal.metric ? goal.metric.replace(/_/g, ' ') : null,
        change === null ? null : percentFormat.format(change / 100),
        goal.stores && goal.stores.length ? goal.stores.join(', ') : 'all stores',
        goal.deadline ? 'by ' + dateText(goal.deadline, {day: 'numeric', month: 'short', year: 'numeric'}) : null]
        .filter(Boolean).join(' · '))),
      bar,
      el('p', {class: 'sub'},
        num('goal-progress-' + goal.id, percent === null ? '—' : percentValueFormat.format(Number(percent)) + ' %',
          percent),
        ' of the way',
        expected === null ? null : ' (' + percentValueFormat.format(Number(expected)) + ' % expected by now)',
        track ? ' ' : null,
        track ? num('goal-on-track-' + goal.id, track, progress.on_track, 'pill ' + (progress.on_track ? 'ok' : 'low'))
          : null),
      el('p', {class: 'sub'}, 'now ', num('goal-current-' + goal.id, metricValue(goal.metric, progress.current),
        progress.current),
        ', baseline ', metricValue(goal.metric, progress.baseline),
        ', target ', metricValue(goal.metric, progress.target)));
  }

  // ---------------------------------------------------------------- (f) the chosen stores and dates

  const RANGE_DAYS = 30;
  const ISO = /^\d{4}-\d{2}-\d{2}$/;

  /** The period chosen in the fragment (#from=2026-11-01&to=2026-11-30); else the 30 days to the business day. */
  function chosenRange() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const to = ISO.test(params.get('to') || '') ? params.get('to') : businessToday();
    const from = ISO.test(params.get('from') || '') ? params.get('from')
      : isoDate(new Date(parseIso(to).getTime() - (RANGE_DAYS - 1) * 86400000));
    return {from, to};
  }

  /** The store boxes (every store the token may see) and the dates, as the fragment has them. */
  async function renderRangeForm() {
    const stores = (await getJson('stores')).slice();
    const chosen = new Set(chosenStores());
    // A store opened seconds ago may not be in the kept list yet; chosen in the fragment, it is shown all the same.
    chosen.forEach((code) => stores.some((store) => store.code === code) || stores.push({code, name: code}));
    const boxes = stores.map((store) => el('label', null, el('input', {
      type: 'checkbox', name: 'store', value: store.code, 'data-testid': 'range-store-' + store.code,
      checked: chosen.has(store.code) ? '' : null
    }), ' ' + store.name));
    $('range-stores').replaceChildren(el('legend', null, 'Stores (none ticked: all)'), ...boxes);
    const range = chosenRange();
    $('range-from').value = range.from;
    $('range-to').value = range.to;
  }

  $('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const from = $('range-from').value;
    const to = $('range-to').value;
    if (!ISO.test(from) || !ISO.test(to) || from > to) {
      $('range-error').hidden = false;
      $('range-error').textContent = 'Choose a from date on or before the to date.';
      return;
    }
    $('range-error').hidden = true;
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const stores = Array.from(document.querySelectorAll('#range-stores input:checked')).map((box) => box.value);
    if (stores.length) {
      params.set('store', stores.join(','));
    } else {
      params.delete('store');
    }
    params.set('from', from);
    params.set('to', to);
    location.hash = params.toString();
  });

  /** Loads a section's answers; on an HTTP refusal shows why in the section instead (401 signs out). */
  async function load(section, what, requests) {
    try {
      return await Promise.all(requests());
    } catch (e) {
      if (!(e instanceof HttpError) || e.status === 401) {
        throw e;
      }
      unavailable(section, e, what);
      return null;
    }
  }

  // ---------------------------------------------------------------- (g) sales per store by day

  async function refreshDaily() {
    const range = chosenRange();
    const answers = await load('daily', 'Daily sales are', () => [getJson('kpis/sales/daily', range)]);
    if (!answers || unchanged('daily', ...answers)) {
      return;
    }
    available('daily');
    const data = answers[0];
    $('daily-period').textContent = dateText(range.from) + '–' + dateText(range.to);
    const stores = [...new Set(data.days.map((day) => day.store))];
    const dates = [...new Set(data.days.map((day) => day.business_date))].sort();
    const cell = new Map(data.days.map((day) => [day.store + '|' + day.business_date, day]));
    const currency = data.days.length ? data.days[0].currency : null;
    const head = el('tr', null, el('th', null, 'day'), ...stores.map((code) => el('th', null, code + ' net')),
      ...stores.map((code) => el('th', null, code + ' transactions')));
    const rows = dates.slice().reverse().map((date) => el('tr', null,
      el('th', {scope: 'row'}, num('daily-date-' + date, dateText(date, {weekday: 'short', day: 'numeric', month: 'short'}),
        date)),
      ...stores.map((code) => {
        const day = cell.get(code + '|' + date);
        const figure = num('daily-net-' + code + '-' + date, money(day.net_sales, day.currency), day.net_sales);
        return el('td', null, isAdmin()
          ? el('button', {type: 'button', class: 'link lineage', 'data-testid': 'lineage-' + code + '-' + date,
            'data-store': code, 'data-date': date, title: 'Where does this figure come from?'}, figure)
          : figure);
      }),
      ...stores.map((code) => {
        const day = cell.get(code + '|' + date);
        return el('td', null, num('daily-transactions-' + code + '-' + date, integer(day.transactions), day.transactions));
      })));
    $('daily-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    $('daily-lineage-hint').hidden = !isAdmin();
    drawChart('daily-chart', (drawing) => {
      drawing.setOption({
        animation: false,
        tooltip: {trigger: 'axis', valueFormatter: (value) => money(value, currency)},
        legend: {top: 0},
        grid: {left: 80, right: 20, top: 36, bottom: 30},
        xAxis: {type: 'category', data: dates.map((date) => date.slice(5))},
        yAxis: {type: 'value'},
        series: stores.map((code) => ({name: code, type: 'line', showSymbol: false,
          data: dates.map((date) => Number(cell.get(code + '|' + date).net_sales))}))
      }, true);
    });
  }

  function isAdmin() {
    const groups = claims(token()).groups;
    return Array.isArray(groups) && groups.includes('admin');
  }

  /** Where a store-day's net sales come from: its sales and refunds and every raw event behind them (admins). */
  async function showLineage(store, date) {
    $('lineage').hidden = false;
    $('lineage-what').textContent = store + "'s net sales on " + dateText(date);
    $('lineage-summary').textContent = 'Loading…';
    $('lineage-sources').replaceChildren();
    $('lineage-table').replaceChildren();
    let data;
    try {
      data = await getJson('admin/lineage/daily-sales', {store, date});
    } catch (e) {
      if (!(e instanceof Superseded)) {
        $('lineage-summary').textContent = 'The lineage could not be read: ' + e.message;
      }
      return;
    }
    $('lineage-summary').replaceChildren(
      num('lineage-sales', integer(data.sales), data.sales), ' sales and ',
      num('lineage-refunds', integer(data.refunds), data.refunds), ' refunds make the figure (',
      num('lineage-not-counted', integer(data.not_counted), data.not_counted),
      ' voided or not completed beside them), from ',
      num('lineage-raw-events', integer(data.raw_events), data.raw_events), ' raw events.');
    $('lineage-sources').replaceChildren(
      el('thead', null, el('tr', null, ...['source', 'event type', 'makes', 'raw events'].map((l) => el('th', null, l)))),
      el('tbody', null, ...data.by_source.map((count) => el('tr', null, el('td', null, count.source),
        el('td', null, count.type), el('td', null, count.entity), el('td', null, num(null, integer(count.events),
          count.events))))));
    $('lineage-table').replaceChildren(
      el('thead', null, el('tr', null, ...['makes', 'id', 'status', 'raw event', 'event id', 'source', 'type', 'topic',
        'partition', 'offset', 'received'].map((l) => el('th', null, l)))),
      el('tbody', null, ...data.events.map((event) => el('tr', {'data-testid': 'lineage-event-' + event.raw_event_id},
        el('td', null, event.entity), el('td', null, String(event.entity_id)), el('td', null, event.status),
        el('td', null, String(event.raw_event_id)),
        el('td', null, event.event_id || ''), el('td', null, event.source), el('td', null, event.type),
        el('td', null, event.topic), el('td', null, String(event.partition)), el('td', null, String(event.offset)),
        el('td', null, new Date(event.received_at).toLocaleString())))));
  }

  $('daily-table').addEventListener('click', (event) => {
    const button = event.target.closest('button.lineage');
    if (button) {
      showLineage(button.dataset.store, button.dataset.date).catch(showRefreshError);
    }
  });
  $('lineage-close').addEventListener('click', () => {
    $('lineage').hidden = true;
  });

  // ---------------------------------------------------------------- (h) monthly sales per store

  async function refreshMonthly() {
    const to = chosenRange().to;
    const from = addMonths(to.slice(0, 8) + '01', -12);
    const answers = await load('monthly', 'Monthly sales are',
      () => [getJson('kpis/sales', {from, to, granularity: 'month'})]);
    if (!answers || unchanged('monthly', ...answers)) {
      return;
    }
    available('monthly');
    const data = answers[0];
    $('monthly-period').textContent = dateText(from, {month: 'short', year: 'numeric'}) + '–'
      + dateText(to, {month: 'short', year: 'numeric'});
    const stores = (data.by_store || []).map((store) => store.store);
    const months = (data.series || []);
    const head = el('tr', null, el('th', null, 'month'), ...stores.map((code) => el('th', null, code)),
      el('th', null, 'all stores'));
    const rows = months.slice().reverse().map((bucket) => {
      const key = bucket.period_start.slice(0, 7);
      return el('tr', null,
        el('th', {scope: 'row'}, num('monthly-month-' + key, dateText(key + '-01', {month: 'long', year: 'numeric'}), key)),
        ...stores.map((code) => {
          const figures = bucket.stores[code];
          return el('td', null, num('monthly-net-' + code + '-' + key, money(figures.net_sales, data.currency),
            figures.net_sales));
        }),
        el('td', null, num('monthly-net-total-' + key, money(bucket.total.net_sales, data.currency),
          bucket.total.net_sales)));
    });
    $('monthly-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    drawChart('monthly-chart', (drawing) => {
      drawing.setOption({
        animation: false,
        tooltip: {trigger: 'axis', valueFormatter: (value) => money(value, data.currency)},
        legend: {top: 0},
        grid: {left: 80, right: 20, top: 36, bottom: 30},
        xAxis: {type: 'category', data: months.map((bucket) => bucket.period_start.slice(0, 7))},
        yAxis: {type: 'value'},
        series: stores.map((code) => ({name: code, type: 'bar', stack: 'net',
          data: months.map((bucket) => Number(bucket.stores[code].net_sales))}))
      }, true);
    });
  }

  // ---------------------------------------------------------------- (i) acquisition and retention per store

  async function refreshStoreCustomers() {
    const range = chosenRange();
    const answers = await load('store-customers', 'Customer KPIs are',
      () => [getJson('kpis/customers', Object.assign({granularity: 'month'}, range))]);
    if (!answers || unchanged('store-customers', ...answers)) {
      return;
    }
    available('store-customers');
    const data = answers[0];
    $('store-customers-period').textContent = dateText(range.from) + '–' + dateText(range.to)
      + ' (retention against the ' + (data.comparison && data.comparison.previous_period
        ? dateText(data.comparison.previous_period.from) + '–' + dateText(data.comparison.previous_period.to) : 'period before')
      + ')';
    const head = el('tr', null, ...['store', 'new', 'active', 'previously active', 'retained', 'retention',
      'repeat rate'].map((label) => el('th', null, label)));
    const row = (key, label, figures, className) => el('tr', {class: className},
      el('th', {scope: 'row'}, label),
      el('td', null, num('store-customers-new-' + key, integer(figures.new_customers), figures.new_customers)),
      el('td', null, num('store-customers-active-' + key, integer(figures.active_customers), figures.active_customers)),
      el('td', null, num('store-customers-previous-' + key, integer(figures.previously_active_customers),
        figures.previously_active_customers)),
      el('td', null, num('store-customers-retained-' + key, integer(figures.retained_customers),
        figures.retained_customers)),
      el('td', null, num('store-customers-retention-' + key, rate(figures.retention_rate), figures.retention_rate)),
      el('td', null, num('store-customers-repeat-' + key, rate(figures.repeat_rate), figures.repeat_rate)));
    const rows = (data.by_store || []).map((store) => row(store.store, store.name, store.figures));
    rows.push(row('total', 'all stores (a customer counts once)', data.total, 'total'));
    $('store-customers-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
  }

  // ---------------------------------------------------------------- (j) inventory turnover per store

  async function refreshTurnover() {
    const range = chosenRange();
    const answers = await load('turnover', 'Inventory turnover is', () => [getJson('kpis/inventory/turnover', range)]);
    if (!answers || unchanged('turnover', ...answers)) {
      return;
    }
    available('turnover');
    const data = answers[0];
    $('turnover-period').textContent = dateText(range.from) + '–' + dateText(range.to) + ' (' + data.days + ' days)';
    const costs = data.total && data.total.cogs !== undefined && data.total.cogs !== null;
    const head = el('tr', null, el('th', null, 'store'), el('th', null, 'turnover'), el('th', null, 'days of inventory'),
      el('th', null, 'previous turnover'), costs ? el('th', null, 'COGS') : null,
      costs ? el('th', null, 'average inventory value') : null);
    const row = (key, label, figures, previous, className) => el('tr', {class: className},
      el('th', {scope: 'row'}, label),
      el('td', null, num('turnover-' + key, decimal(figures.turnover), figures.turnover)),
      el('td', null, num('turnover-days-' + key, decimal(figures.days_of_inventory), figures.days_of_inventory)),
      el('td', null, num('turnover-previous-' + key, decimal(previous ? previous.turnover : null),
        previous ? previous.turnover : null)),
      costs ? el('td', null, num('turnover-cogs-' + key, money(figures.cogs, data.currency), figures.cogs)) : null,
      costs ? el('td', null, num('turnover-value-' + key, money(figures.average_inventory_value, data.currency),
        figures.average_inventory_value)) : null);
    const rows = (data.by_store || []).map((store) => row(store.store, store.name, store.figures, store.previous_period));
    rows.push(row('total', 'all stores', data.total, data.previous_period ? data.previous_period.total : null, 'total'));
    $('turnover-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    const products = data.products || {slowest: [], fastest: []};
    ['slowest', 'fastest'].forEach((which) => {
      const productHead = el('tr', null, el('th', null, 'product'), el('th', null, 'turnover'),
        el('th', null, 'days of inventory'), costs ? el('th', null, 'COGS') : null,
        costs ? el('th', null, 'average inventory value') : null);
      const productRows = products[which].map((product) => {
        const key = 'turnover-' + which + '-' + product.sku;
        return el('tr', null, el('th', {scope: 'row'}, product.name + ' (' + product.sku + ')'),
          el('td', null, num(key, decimal(product.figures.turnover), product.figures.turnover)),
          el('td', null, num(key + '-days', decimal(product.figures.days_of_inventory), product.figures.days_of_inventory)),
          costs ? el('td', null, num(key + '-cogs', money(product.figures.cogs, data.currency), product.figures.cogs)) : null,
          costs ? el('td', null, num(key + '-value', money(product.figures.average_inventory_value, data.currency),
            product.figures.average_inventory_value)) : null);
      });
      if (!productRows.length) {
        productRows.push(el('tr', null, el('td', {colspan: costs ? '5' : '3', class: 'note'}, 'No stock counted.')));
      }
      $('turnover-' + which + '-table').replaceChildren(el('thead', null, productHead), el('tbody', null, ...productRows));
    });
  }

  function decimal(value) {
    return value === null || value === undefined ? '—' : percentValueFormat.format(Number(value));
  }

  // ---------------------------------------------------------------- (k) alerts firing

  async function refreshAlerts() {
    const answers = await load('alerts', 'Alerts are', () => [getJson('alerts/firing')]);
    if (!answers || unchanged('alerts', ...answers)) {
      return;
    }
    available('alerts');
    const chosen = new Set(chosenStores());
    const alerts = answers[0].filter((alert) => !chosen.size || !alert.store || chosen.has(alert.store));
    const head = el('tr', null, ...['since', 'rule', 'store', 'what', 'level', 'threshold']
      .map((label) => el('th', null, label)));
    const rows = alerts.map((alert) => el('tr', {'data-testid': 'alert-' + alert.id},
      el('td', null, alert.fired_at ? counted(alert.fired_at) : '—'),
      el('td', null, String(alert.rule)),
      el('td', null, alert.store || 'pipeline'),
      el('td', null, alert.subject || ''),
      el('td', null, num('alert-level-' + alert.id, quantity(alert.level), alert.level)),
      el('td', null, quantity(alert.threshold))));
    $('alerts-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    if (!rows.length) {
      $('alerts-table').append(el('tbody', null, el('tr', null, el('td', {colspan: '6', class: 'note'}, 'None firing.'))));
    }
  }

  // ---------------------------------------------------------------- (m) stores' master data (admins)

  async function refreshStoresAdmin() {
    $('stores-admin').hidden = !isAdmin();
    if (!isAdmin()) {
      return;
    }
    const answers = await load('stores-admin', 'Stores are', () => [getJson('admin/stores')]);
    if (!answers || unchanged('stores-admin', ...answers)) {
      return;
    }
    available('stores-admin');
    const head = el('tr', null, ...['code', 'name', 'time zone', 'currency', 'POS location ids', 'opening hours',
      'has sales', ''].map((label) => el('th', null, label)));
    const rows = answers[0].map((store) => el('tr', {'data-testid': 'store-row-' + store.code},
      el('td', null, store.code),
      el('td', null, store.name),
      el('td', null, store.timezone),
      el('td', null, store.currency),
      el('td', null, (store.aliases || []).join(', ')),
      el('td', null, store.opening_hours ? JSON.stringify(store.opening_hours) : 'always open'),
      el('td', null, store.has_sales ? 'yes' : 'no'),
      el('td', null, el('button', {type: 'button', class: 'link store-edit', 'data-code': store.code,
        'data-testid': 'store-edit-' + store.code}, 'edit'))));
    $('stores-admin-table').replaceChildren(el('thead', null, head), el('tbody', null, ...rows));
    storesShown = new Map(answers[0].map((store) => [store.code, store]));
  }

  function editStore(store) {
    $('store-form-title').textContent = store ? 'Edit ' + store.code : 'Add a store';
    $('store-code').value = store ? store.code : '';
    $('store-code').readOnly = Boolean(store);
    $('store-name').value = store ? store.name : '';
    $('store-timezone').value = store ? store.timezone : '';
    $('store-currency').value = store ? store.currency : '';
    // Business days and sums already counted stay right only if zone and currency stay.
    $('store-timezone').readOnly = Boolean(store && store.has_sales);
    $('store-currency').readOnly = Boolean(store && store.has_sales);
    $('store-aliases').value = store ? (store.aliases || []).join(', ') : '';
    $('store-hours').value = store && store.opening_hours ? JSON.stringify(store.opening_hours) : '';
    $('store-form-result').hidden = true;
  }

  async function saveStore() {
    const result = $('store-form-result');
    result.hidden = false;
    const code = $('store-code').value.trim();
    let hours = null;
    if ($('store-hours').value.trim()) {
      try {
        hours = JSON.parse($('store-hours').value);
      } catch (e) {
        result.textContent = 'Opening hours: not JSON (' + e.message + ').';
        return;
      }
    }
    const body = {
      name: $('store-name').value, timezone: $('store-timezone').value.trim(), currency: $('store-currency').value.trim(),
      opening_hours: hours,
      aliases: $('store-aliases').value.split(',').map((alias) => alias.trim()).filter((alias) => alias)
    };
    const response = await fetch(API + 'admin/stores/' + encodeURIComponent(code), {method: 'PUT',
      headers: {Authorization: 'Bearer ' + token(), 'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(body)});
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const errors = answer && answer.errors ? Object.entries(answer.errors).map(([field, why]) => field + ' ' + why) : [];
      result.textContent = 'Not saved: ' + (errors.length ? errors.join('; ') : (answer && (answer.detail || answer.title))
        || 'HTTP ' + response.status);
      return;
    }
    drawn.delete('stores-admin');
    await refreshStoresAdmin();
    editStore(storesShown.get(answer.code));
    result.hidden = false;
    result.textContent = (response.status === 201 ? 'Added ' : 'Saved ') + answer.code + '.';
  }

  $('stores-admin-table').addEventListener('click', (event) => {
    const button = event.target.closest('button.store-edit');
    if (button) {
      editStore(storesShown.get(button.dataset.code));
    }
  });
  $('store-new').addEventListener('click', () => editStore(null));
  $('store-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveStore().catch(showRefreshError);
  });

  // ---------------------------------------------------------------- (l) CSV and Excel export of every table

  /**
   * A table's cells as text: its header row, then each row with each number's raw JSON value (data-value) rather
   * than its formatting, so that a spreadsheet reads it as a number.
   */
  function tableRows(tableId) {
    return Array.from($(tableId).querySelectorAll('tr')).filter((row) => !row.closest('tfoot'))
      .filter((row) => !row.querySelector('td[colspan]'))
      .map((row) => Array.from(row.children).map((cell) => {
        const number = cell.querySelector('[data-value]');
        return number && cell.children.length === 1 && cell.textContent === number.textContent
          ? number.dataset.value : cell.textContent.trim();
      }));
  }

  function tableCsv(tableId) {
    const quote = (text) => (/[",\n;]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text);
    return tableRows(tableId).map((cells) => cells.map(quote).join(',')).join('\r\n') + '\r\n';
  }

  /** The table as an .xlsx workbook (made by the API from the same cells, numbers as numbers). */
  async function tableXlsx(tableId) {
    const numeric = /^-?(0|[1-9]\d*)(\.\d+)?$/; // "0123" stays text
    const rows = tableRows(tableId).map((cells) => cells.map((cell) => (numeric.test(cell) ? Number(cell) : cell)));
    const response = await fetch(API + 'export/xlsx', {
      method: 'POST',
      headers: {Authorization: 'Bearer ' + token(), 'Content-Type': 'application/json'},
      body: JSON.stringify({name: tableId.replace(/-table$/, ''), rows})
    });
    if (!response.ok) {
      throw new HttpError(response.status, await response.json().catch(() => null));
    }
    return response.blob();
  }

  function download(blob, tableId, extension) {
    const link = el('a', {
      href: URL.createObjectURL(blob),
      download: tableId.replace(/-table$/, '') + '-' + chosenRange().from + '-' + chosenRange().to + extension
    });
    document.body.append(link);
    link.click();
    link.remove();
  }

  document.querySelectorAll('button.export').forEach((button) => {
    const table = button.dataset.table;
    button.addEventListener('click', () => download(new Blob([tableCsv(table)], {type: 'text/csv'}), table, '.csv'));
    // Beside each CSV button, the same table as Excel.
    const xlsx = el('button', {type: 'button', class: 'link export', 'data-table': table,
      'data-testid': button.dataset.testid.replace(/-csv$/, '-xlsx')}, 'Excel');
    xlsx.addEventListener('click', () => tableXlsx(table).then((blob) => download(blob, table, '.xlsx'))
      .catch(showRefreshError));
    button.after(xlsx);
  });
  // For tests and scripts: the CSV a button downloads, and the workbook (a Blob).
  window.levainDashboard = {csv: tableCsv, xlsx: tableXlsx};

  // ---------------------------------------------------------------- wiring

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token-input').value.trim().replace(/^Bearer\s+/i, '');
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      $('token-input').value = '';
      start();
    }
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  // A new token or another choice of stores in the fragment starts over.
  window.addEventListener('hashchange', () => {
    adoptTokenFromFragment();
    if (token()) {
      $('today-stores').replaceChildren();
      start();
    }
  });

  adoptTokenFromFragment();
  if (token()) {
    start();
  } else {
    showSignIn('');
  }
})();
