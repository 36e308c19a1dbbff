/* Liftoff — progressive enhancement for the server-rendered pages.
   Every page works without this file; it only adds live updates, in-place
   actions and the calendar explanation panel. */
(function () {
  'use strict';

  // Tests read this counter to see that a live update happened.
  document.body.dataset.liveUpdates = '0';

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || '';

  /* ---------- Workboard: live lanes + in-place actions ---------- */
  const ws = document.getElementById('workboard');
  if (ws) {
    let running = null;      // promise of the swap loop in flight
    let again = false;       // another swap was requested meanwhile
    let pendingFocus = null; // focus key of the last submitted action
    let confirmation = null; // the last action's confirmation, kept in place across swaps until it expires

    const pastTense = { accept: 'Accepted', decline: 'Declined', start: 'Started', complete: 'Completed',
      cancel: 'Cancelled' };

    // Where a card stood, so a confirmation can stand there when the card has left the board.
    const placeOf = (card) => ({ lane: card.closest('.lane')?.id || '',
      index: [...card.parentElement.children].indexOf(card) });

    const cardById = (root, id) => root.querySelector('.activity-card[data-activity-id="' + CSS.escape(id) + '"]');

    /* The confirmation sits inside the acted card (or, when the card has left the board, where it
       stood), says what happened and offers Undo while the server still accepts it. */
    function confirmationElement(c) {
      const box = document.createElement(c.detached ? 'li' : 'div');
      box.className = c.detached ? 'card action-confirm action-confirm-detached' : 'action-confirm';
      box.setAttribute('role', 'status');
      box.dataset.confirms = c.id;
      const text = document.createElement('span');
      text.textContent = c.text;
      box.append(text);
      if (c.undoId && Date.now() < c.until) {
        const undo = document.createElement('button');
        undo.type = 'button';
        undo.className = 'undo';
        undo.textContent = 'Undo';
        undo.setAttribute('aria-label', 'Undo: ' + c.text);
        undo.addEventListener('click', () => undoAction(c, undo));
        box.append(undo);
      }
      return box;
    }

    // Puts the confirmation back after a swap; returns the element to focus, if any.
    function placeConfirmation() {
      const lanes = document.getElementById('lanes');
      if (!lanes || !confirmation) return null;
      lanes.querySelectorAll('.action-confirm').forEach((e) => e.remove());
      const card = cardById(lanes, confirmation.id);
      if (card) {
        confirmation.detached = false;
        card.append(confirmationElement(confirmation));
        return card.querySelector('.actions button, .actions summary') || card.querySelector('.action-confirm .undo');
      }
      confirmation.detached = true;
      const box = confirmationElement(confirmation);
      const list = lanes.querySelector('#' + CSS.escape(confirmation.place.lane) + ' .activity-list') ||
        lanes.querySelector('#lane-next .activity-list');
      if (list) list.insertBefore(box, list.children[confirmation.place.index] || null);
      else (lanes.querySelector('#' + CSS.escape(confirmation.place.lane)) || lanes).append(box);
      return box.querySelector('.undo') || null;
    }

    function showConfirmation(c) {
      confirmation = c;
      clearTimeout(showConfirmation.timer);
      const left = c.until - Date.now();
      // When the Undo runs out the button goes; the words stay a little longer, then go too.
      if (left > 0) showConfirmation.timer = setTimeout(() => { placeConfirmation(); showConfirmation.timer = setTimeout(dismiss, 10000); }, left);
      else showConfirmation.timer = setTimeout(dismiss, 10000);
    }

    function dismiss() {
      const active = document.activeElement;
      const hadFocus = active && active.closest('.action-confirm');
      confirmation = null;
      document.querySelectorAll('#lanes .action-confirm').forEach((e) => e.remove());
      if (hadFocus) document.querySelector('#lane-next .activity-card .actions button')?.focus();
    }

    async function undoAction(c, button) {
      button.disabled = true;
      try {
        const res = await fetch(c.undoUrl, {
          method: 'POST', credentials: 'same-origin',
          body: new URLSearchParams({ undoId: c.undoId, _csrf: csrfToken() }),
          headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrfToken() }
        });
        if (res.status === 401 || res.redirected) { signedOut(); return; }
        if (!res.ok) { showError(await reasonOf(res)); button.disabled = false; return; }
        const answer = await res.json().catch(() => ({}));
        clearError();
        const ticket = answer.ticket === 'withdrawn' ? ' The ticket status never reached Autotask.'
          : answer.ticket === 'restored' ? ' The ticket gets its earlier status back in Autotask.' : '';
        showConfirmation({ ...c, undoId: null, until: 0, text: 'Undone: ' + c.ticket + ' is ' + (answer.state || 'back') + ' again.' + ticket });
        pendingFocus = { card: c.id };
        await refreshLanes();
      } catch (_) {
        button.disabled = false;
        showError('Could not reach the server. Please try again.');
      }
    }

    // A key that survives the swap (nodes are replaced): lane + activity + action + element kind.
    const keyOf = (el) => {
      const card = el.closest('[data-activity-id]');
      const form = el.closest('details.reason-action, details.booking-link-action')?.querySelector('form[data-action]') ||
        el.closest('[data-action]');
      if (!card || !form) return null;
      return { lane: el.closest('.lane')?.id || '', id: card.dataset.activityId,
        action: form.dataset.action, part: el.tagName.toLowerCase() };
    };

    const findForm = (root, k) => {
      const lane = (k.lane && root.querySelector('#' + CSS.escape(k.lane))) || root;
      const card = lane.querySelector('[data-activity-id="' + CSS.escape(k.id) + '"]');
      return card?.querySelector('form[data-action="' + CSS.escape(k.action) + '"]') || null;
    };

    const targetFor = (form, part) => {
      if (part === 'summary') return form.closest('details')?.querySelector('summary');
      if (part === 'input') return form.querySelector('input[name="reason"]');
      return form.querySelector('button[data-action]') || form.querySelector('button');
    };

    // The session ended (expired, signed out elsewhere): say so instead of pretending success.
    function signedOut() {
      showError('Your session has ended. Reload the page to sign in again.');
    }

    async function swapLanes() {
      const res = await fetch(ws.dataset.fragmentUrl,
        { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      if (res.status === 401 || res.redirected) { signedOut(); return; }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const html = await res.text();
      const lanes = document.getElementById('lanes');
      if (!lanes) return;

      // Snapshot what the user is doing, so a background update does not throw it away.
      const active = document.activeElement;
      const inConfirmation = active && active.closest && active.closest('.action-confirm');
      const focusKey = pendingFocus || (inConfirmation && { card: inConfirmation.dataset.confirms }) ||
        (active && lanes.contains(active) && keyOf(active));
      pendingFocus = null;
      // Open reasons and booking-link forms stay open, with what was typed or chosen in them.
      const open = [...lanes.querySelectorAll(
        'details.reason-action[open] > summary, details.booking-link-action[open] > summary')]
        .map((s) => ({ k: keyOf(s), v: s.parentElement.querySelector('input[name="reason"]')?.value || '',
          type: s.parentElement.querySelector('select[name="appointmentTypeId"]')?.value }))
        .filter((o) => o.k);
      const flash = lanes.querySelector(':scope > .flash-error[data-client]');

      lanes.innerHTML = html;

      if (flash) lanes.prepend(flash); // keep our last error readable
      for (const o of open) {
        const details = findForm(lanes, o.k)?.closest('details');
        if (!details) continue;
        details.open = true;
        const input = details.querySelector('input[name="reason"]');
        if (input) input.value = o.v;
        const type = details.querySelector('select[name="appointmentTypeId"]');
        if (type && o.type) type.value = o.type;
      }
      const confirmTarget = placeConfirmation();
      if (focusKey && focusKey.card) {
        // After an action or an Undo: stay on the acted card, or on its confirmation if it left.
        const card = cardById(lanes, focusKey.card);
        const target = (card && card.querySelector('.actions button, .actions summary')) || confirmTarget;
        if (target) target.focus({ preventScroll: true });
      } else if (focusKey) {
        const form = findForm(lanes, focusKey);
        const target = form && targetFor(form, focusKey.part);
        if (target) target.focus({ preventScroll: true });
      }
      document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
    }

    // Debounced: while a swap is in flight, remember one more and run it afterwards.
    function refreshLanes() {
      if (running) { again = true; return running; }
      running = (async () => {
        try {
          do {
            again = false;
            try { await swapLanes(); } catch (_) { /* keep the old lanes; the next event retries */ }
          } while (again);
        } finally { running = null; }
      })();
      return running;
    }

    const clearError = () => document.querySelector('#lanes > .flash-error[data-client]')?.remove();

    function showError(message) {
      const lanes = document.getElementById('lanes');
      if (!lanes) return;
      clearError();
      const p = document.createElement('p');
      p.className = 'flash flash-error';
      p.setAttribute('role', 'alert');
      p.dataset.client = 'true';
      p.textContent = message;
      lanes.prepend(p);
    }

    async function reasonOf(res) {
      try {
        const body = await res.json();
        if (body && body.reason) return String(body.reason);
      } catch (_) { /* not JSON */ }
      return 'The action failed (HTTP ' + res.status + ').';
    }

    // Delegated on #workboard because #lanes is replaced by live updates.
    ws.addEventListener('submit', async (ev) => {
      const form = ev.target.closest('form.action-form');
      if (!form || !form.reportValidity()) return; // invalid: the browser shows its message
      ev.preventDefault();
      if (form.dataset.busy) return; // ignore double clicks
      const button = ev.submitter || form.querySelector('button');
      form.dataset.busy = 'true';
      if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
      const card = form.closest('.activity-card');
      const acted = card && { id: card.dataset.activityId, place: placeOf(card),
        ticket: card.querySelector('.ticket-number')?.textContent.trim() || card.dataset.activityId };
      pendingFocus = acted ? { card: acted.id } : keyOf(button || form);
      try {
        const res = await fetch(form.getAttribute('action') || location.href, {
          method: 'POST',
          credentials: 'same-origin',
          body: new URLSearchParams(new FormData(form)),
          headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrfToken() }
        });
        if (res.status === 401 || res.redirected) {
          signedOut();
        } else if (res.ok) {
          const answer = await res.json().catch(() => ({}));
          clearError(); // a successful action makes an earlier error stale
          if (answer.warning) showError('Done, but ' + answer.warning + '.');
          if (acted) {
            const action = form.dataset.action;
            const seconds = Number(answer.undoSeconds) || 0;
            showConfirmation({ ...acted, text: (pastTense[action] || 'Done') + ': ' + acted.ticket +
                (answer.ticketStatus ? '; the ticket becomes ' + answer.ticketStatus : '') + '.',
              undoId: answer.undoId || null, undoUrl: form.getAttribute('action').replace(/\/[^/]+$/, '/undo'),
              until: Date.now() + seconds * 1000 });
          }
          await refreshLanes();
        } else {
          pendingFocus = null;
          showError(await reasonOf(res));
        }
      } catch (_) {
        pendingFocus = null;
        showError('Could not reach the server. Please try again.');
      } finally {
        delete form.dataset.busy;
        if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
      }
    });

    if ('EventSource' in window && ws.dataset.eventsUrl) {
      const source = new EventSource(ws.dataset.eventsUrl);
      source.addEventListener('plan', () => { refreshLanes(); });
      // After a reconnect, changes made while the stream was down would be missed: compare versions.
      source.addEventListener('hello', (event) => {
        let version = null;
        try { version = JSON.parse(event.data).version; } catch (_) { /* keep null */ }
        const shown = document.querySelector('#lanes .lanes')?.dataset.planVersion;
        if (version && shown && version !== shown) refreshLanes();
      });
      source.onerror = () => { /* EventSource reconnects by itself */ };
    }
  }

  /* ---------- Technician picker: navigate on change ---------- */
  const picker = document.getElementById('technician-picker');
  if (picker) {
    picker.addEventListener('change', () => {
      if (picker.value) location.href = '/workboard/' + encodeURIComponent(picker.value);
    });
  }

  /* ---------- Calendar: "why is this here?" panel ---------- */
  const calendar = document.getElementById('calendar');
  const panel = document.getElementById('explain-panel');
  if (calendar && panel) {
    let current = null;

    const unmark = (item) => { item.classList.remove('selected'); item.setAttribute('aria-pressed', 'false'); };

    function hide(returnFocus) {
      panel.hidden = true;
      if (!current) return;
      const item = current;
      current = null;
      unmark(item);
      if (returnFocus && item.isConnected) item.focus();
    }

    function show(item) {
      if (current === item && !panel.hidden) { hide(false); return; } // second press toggles off
      if (current) unmark(current);
      current = item;
      item.classList.add('selected');
      item.setAttribute('aria-pressed', 'true');
      // textContent only: the explanation is data, never markup.
      const heading = document.createElement('h2');
      heading.textContent = item.getAttribute('aria-label') || item.title || 'Activity';
      const text = document.createElement('p');
      text.textContent = item.dataset.explain;
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'explain-close';
      close.setAttribute('aria-label', 'Close explanation');
      close.textContent = '\u00d7';
      panel.replaceChildren(heading, text, close);
      // Inside the row it explains, right under it, rather than in a corner of the screen.
      const row = item.closest('.cal-row');
      if (row && row.nextElementSibling !== panel) row.after(panel);
      panel.hidden = false;
    }

    calendar.addEventListener('click', (ev) => {
      if (panel.contains(ev.target)) return; // clicks in the panel are the panel's
      const item = ev.target.closest('.cal-item[data-explain], .agenda-item[data-explain]');
      if (item) show(item);
    });
    calendar.addEventListener('keydown', (ev) => {
      if (panel.contains(ev.target)) return;
      const item = ev.target.closest('.cal-item[data-explain], .agenda-item[data-explain]');
      if (item && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault(); // Space would otherwise scroll the page
        show(item);
      }
    });
    panel.addEventListener('click', (ev) => {
      if (ev.target.closest('.explain-close')) hide(true);
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !panel.hidden) hide(true);
    });

    /* Live updates: the same events as the Workboard. On `plan`, the page fetches itself and swaps
       the calendar's content in place, keeping the block in focus and the open explanation. */
    const keyOfItem = (item) => item && item.dataset.kind
      ? [item.dataset.kind, item.dataset.activityId || '', item.dataset.start || ''].join('|') : null;
    const findItem = (key) => key && [...calendar.querySelectorAll('.cal-item, .agenda-item')].find((i) => keyOfItem(i) === key && i.offsetParent !== null);
    let swapping = null;
    let swapAgain = false;

    async function swapCalendar() {
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      if (!res.ok || res.redirected) return;
      const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('calendar');
      if (!fresh) return;
      const active = document.activeElement;
      const focusKey = active && calendar.contains(active) ? keyOfItem(active.closest('.cal-item, .agenda-item')) : null;
      const openKey = current && !panel.hidden ? keyOfItem(current) : null;
      const scroller = calendar.closest('.calendar-scroll');
      const scroll = scroller ? [scroller.scrollLeft, scroller.scrollTop] : null;
      if (calendar.contains(panel)) calendar.after(panel); // the swap must not take the panel with it
      calendar.innerHTML = fresh.innerHTML;
      for (const name of ['data-plan-version', 'data-start', 'data-days', 'data-view']) {
        calendar.setAttribute(name, fresh.getAttribute(name) || '');
      }
      if (scroller && scroll) [scroller.scrollLeft, scroller.scrollTop] = scroll;
      current = null;
      if (openKey) {
        const again = findItem(openKey);
        if (again) show(again); else panel.hidden = true;
      }
      const focusAgain = findItem(focusKey);
      if (focusAgain) focusAgain.focus({ preventScroll: true });
      document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
    }

    function refreshCalendar() {
      if (swapping) { swapAgain = true; return; }
      swapping = (async () => {
        try {
          do {
            swapAgain = false;
            try { await swapCalendar(); } catch (_) { /* keep what is shown; the next event retries */ }
          } while (swapAgain);
        } finally { swapping = null; }
      })();
    }

    if ('EventSource' in window && calendar.dataset.eventsUrl) {
      const source = new EventSource(calendar.dataset.eventsUrl);
      source.addEventListener('plan', () => { refreshCalendar(); });
      source.addEventListener('hello', (event) => {
        let version = null;
        try { version = JSON.parse(event.data).version; } catch (_) { /* keep null */ }
        if (version && calendar.dataset.planVersion && version !== calendar.dataset.planVersion) refreshCalendar();
      });
    }
  }

  /* ---------- Past moments in the viewer's own zone ---------- */
  // The server writes "12 minutes ago (Tue 8 Sep 13:48 UTC)"; the browser knows the reader's zone.
  for (const el of document.querySelectorAll('time[data-local-time][datetime]')) {
    const at = new Date(el.getAttribute('datetime'));
    if (Number.isNaN(at.getTime())) continue;
    const local = at.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short',
      hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    el.textContent = el.textContent.replace(/\([^)]*UTC\)/, '(' + local + ')');
    el.title = at.toISOString();
  }

  /* ---------- Settings: confirm destructive forms ---------- */
  document.addEventListener('submit', (ev) => {
    const form = ev.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
})();
