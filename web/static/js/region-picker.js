// Region pickers (templates/partials/region_picker.mustache), enhanced: when a level changes,
// the next level is filled from GET /api/v1/regions?parent=CODE and the levels below it are
// emptied, so the person never needs the "refresh" button that forms without JavaScript use.
// The button is taken out of the page (not merely hidden: a hidden submit button would still
// be the one Enter presses) and put back if the API cannot be reached, so the form keeps
// working either way. Plain ES2017, no libraries, no inline script (the CSP forbids it).
'use strict';

(function () {
  // Removes every option but the first ("Choose ...").
  function empty(select) {
    while (select.options.length > 1) select.remove(1);
  }

  function enhance(picker) {
    if (picker.hasAttribute('data-region-enhanced')) return;  // the script was included twice
    picker.setAttribute('data-region-enhanced', '');
    const api = picker.getAttribute('data-region-api') || '/api/v1/regions';
    const selects = Array.from(picker.querySelectorAll('select[data-region-next]'));

    const refresh = picker.querySelector('[data-region-refresh]');
    const home = refresh ? { parent: refresh.parentNode, before: refresh.nextSibling } : null;
    if (refresh) refresh.remove();
    function fallBack() {
      if (refresh && !refresh.isConnected) home.parent.insertBefore(refresh, home.before);
    }

    selects.forEach((select, index) => {
      let pending = 0;  // the latest request for this level; older answers are dropped
      select.addEventListener('change', () => {
        const below = selects.slice(index + 1);
        below.forEach(empty);
        const next = below[0];
        if (!next || !select.value) return;
        const ticket = ++pending;
        next.setAttribute('aria-busy', 'true');
        fetch(api + '?parent=' + encodeURIComponent(select.value), {
          headers: { Accept: 'application/json' },
          credentials: 'same-origin',
        })
          .then((response) => {
            if (!response.ok) throw new Error('regions: HTTP ' + response.status);
            return response.json();
          })
          .then((body) => {
            if (ticket !== pending || select.value === '') return;
            empty(next);
            body.regions.forEach((region) => next.add(new Option(region.name, region.code)));
          })
          .catch(fallBack)
          .then(() => next.removeAttribute('aria-busy'));
      });
    });
  }

  document.querySelectorAll('[data-region-picker]').forEach(enhance);
})();
