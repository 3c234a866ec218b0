// The checks of page_checks.py, run in the page: one object of functions, evaluated as an
// expression (no eval, so a Content-Security-Policy does not stop it).
({
  overflow() {
    const root = document.documentElement;
    if (root.scrollWidth <= window.innerWidth) return [];
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > window.innerWidth + 1) {
        const parentWide = el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1;
        if (!parentWide) wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
      }
      if (wide.length >= 5) break;
    }
    return [`horizontal overflow: scrollWidth ${root.scrollWidth} > innerWidth ${window.innerWidth}: ${wide.join(', ')}`];
  },

  covered() {
    const visible = (el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
    };
    const fixed = [...document.body.querySelectorAll('*')].filter((el) => {
      const p = getComputedStyle(el).position;
      return (p === 'fixed' || p === 'sticky') && visible(el);
    });
    if (!fixed.length) return [];
    const inFixed = (el) => fixed.some((f) => f.contains(el));
    const targets = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"]),' +
      ' .questions li, [role=status], [role=alert], .alert, .entry-box, .offline-note'
    )].filter((el) => visible(el) && !inFixed(el) && !el.closest('[hidden], [aria-hidden=true]'));
    const label = (el) => {
      const text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/)[0] : ''} "${text}"`;
    };
    const covered = [];
    const start = [window.scrollX, window.scrollY];
    for (const el of targets) {
      let free = false;
      let coverer = null;
      for (const block of ['start', 'center', 'end']) {
        el.scrollIntoView({ block, inline: 'nearest' });
        const r = el.getBoundingClientRect();
        // Five points: the middle and near the corners; free if the middle is ours and
        // nothing fixed sits on any point.
        const xs = [r.left + r.width / 2, r.left + 2, r.right - 2];
        const ys = [r.top + r.height / 2, r.top + 2, r.bottom - 2];
        let blocked = null;
        for (const [x, y] of [[xs[0], ys[0]], [xs[1], ys[1]], [xs[2], ys[1]], [xs[1], ys[2]], [xs[2], ys[2]]]) {
          if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) continue;
          const hit = document.elementFromPoint(x, y);
          const over = hit && fixed.find((f) => f.contains(hit) && !f.contains(el));
          if (over) { blocked = over; break; }
        }
        if (!blocked) { free = true; break; }
        coverer = blocked;
      }
      if (!free) {
        covered.push(`${label(el)} covered by ${coverer.tagName.toLowerCase()}${coverer.id ? '#' + coverer.id : ''}.${String(coverer.className).trim().split(/\s+/)[0]}`);
      }
      if (covered.length >= 8) break;
    }
    window.scrollTo(start[0], start[1]);
    return covered;
  },

  text(lang) {
    const skip = (el) => el.closest('code, script, style, noscript, template, [translate=no], [hidden], [aria-hidden=true]')
      || (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang').slice(0, 2) !== lang);
    const chunks = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || skip(el) || !node.textContent.trim()) continue;
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden') continue;
      if (!el.getClientRects().length) continue;
      chunks.push(node.textContent);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt], input[type=submit][value], input[type=button][value]')) {
      if (skip(el)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
        if (name === 'value' && !el.matches('input[type=submit], input[type=button]')) continue;
        const value = el.getAttribute(name);
        if (value) chunks.push(value);
      }
    }
    chunks.push(document.title);
    return chunks.join('\n');
  },

  markup() {
    const found = [];
    for (const el of document.querySelectorAll('time:not([datetime])')) {
      if (!/^\d{4}-\d{2}-\d{2}/.test(el.textContent.trim())) found.push(`<time> without datetime: "${el.textContent.trim().slice(0, 30)}"`);
    }
    for (const el of document.body.querySelectorAll('style')) found.push('<style> inside <body>');
    // With scripting on, <noscript> holds its markup as text.
    for (const el of document.body.querySelectorAll('noscript')) {
      if (/<style/i.test(el.textContent)) found.push('<style> inside <body> (in <noscript>)');
    }
    for (const el of document.body.querySelectorAll('span[aria-label]:not([role]), div[aria-label]:not([role])')) {
      found.push(`aria-label on a ${el.tagName.toLowerCase()} without a role: "${el.getAttribute('aria-label')}"`);
    }
    return found;
  },

  async axe() {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `axe ${v.impact} ${v.id}: ${v.help} — ` +
        v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.split('\n').slice(1).join(' ').trim() + ')' : '')).join('; '));
  }
})
