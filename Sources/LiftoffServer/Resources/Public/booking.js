// The public booking page (docs/booking.md). Everything works without this script; it only
// shows times in the customer's own zone at once and asks before a cancellation.
(function () {
  'use strict';

  const zoneForm = document.getElementById('zone-form');
  const zoneSelect = document.getElementById('zone');
  if (zoneForm && zoneSelect) {
    // First visit (no zone chosen yet): show the times in the zone this browser is in.
    const params = new URLSearchParams(window.location.search);
    let detected = null;
    try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (_) { /* old browser */ }
    const known = detected && [...zoneSelect.options].some((o) => o.value === detected);
    if (!params.has('zone') && known && zoneSelect.value !== detected && !document.getElementById('booking-error')) {
      zoneSelect.value = detected;
      zoneForm.submit();
      return;
    }
    // Picking another zone shows the times in it at once.
    zoneSelect.addEventListener('change', () => zoneForm.submit());
  }

  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
