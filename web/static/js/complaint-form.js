// The report form's helpers (/pengaduan/baru) and the status page's copy button
// (/pengaduan/{tracking}); each page works without them:
//   - a live character count under textareas with data-char-count (the GOV.UK pattern: the
//     visible count changes as one types, screen readers hear it after a pause)
//   - "choose at most N photos" as soon as too many are chosen
//   - "similar reports near you": once a category and a pin (complaint-map.js's "balai:pin"
//     event) are chosen, GET /api/v1/complaints/nearby lists open reports close by, each with a
//     "support this report" button that posts its own small form to /pengaduan/{tracking}/dukung
//     (forms cannot nest: the buttons name their form with the form attribute)
//   - a "copy the report number" button beside [data-copy]
// Plain ES2017, no libraries, no inline script (the CSP forbids it).
'use strict';

(function () {
  function fill(pattern, values) {
    return (pattern || '').replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }
  const numbers = new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID');

  // --- Character count ---
  document.querySelectorAll('textarea[data-char-count]').forEach((area) => {
    const max = Number(area.getAttribute('data-char-count'));
    const count = document.getElementById(area.id + '-count');
    if (!count || !max) return;
    const live = document.createElement('p');
    live.className = 'visually-hidden';
    live.setAttribute('aria-live', 'polite');
    count.after(live);
    let timer = 0;
    function message() {
      const used = Array.from(area.value.trim()).length;  // characters, as the server counts
      const over = used > max;
      count.classList.toggle('complaint-form__count--over', over);
      return over
        ? fill(area.getAttribute('data-count-over'), { n: numbers.format(used - max) })
        : fill(area.getAttribute('data-count-left'), { n: numbers.format(max - used) });
    }
    area.addEventListener('input', () => {
      const text = message();
      count.textContent = text;
      clearTimeout(timer);
      timer = setTimeout(() => {
        live.textContent = text;
      }, 1000);
    });
    count.textContent = message();
  });

  // --- At most N photos ---
  document.querySelectorAll('input[type=file][data-max-files]').forEach((input) => {
    const max = Number(input.getAttribute('data-max-files'));
    const note = document.createElement('p');
    note.className = 'form__error';
    note.id = input.id + '-count-error';
    note.setAttribute('aria-live', 'polite');
    input.before(note);
    input.addEventListener('change', () => {
      const tooMany = input.files && input.files.length > max;
      note.textContent = tooMany ? input.getAttribute('data-too-many') : '';
      const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== note.id);
      if (tooMany) described.push(note.id);
      input.setAttribute('aria-describedby', described.join(' '));
    });
  });

  // --- Similar reports near the pin ---
  const nearby = document.querySelector('[data-nearby]');
  const form = nearby && nearby.closest('form');
  if (nearby && form) {
    const category = document.getElementById(nearby.getAttribute('data-category-input'));
    const list = nearby.querySelector('[data-nearby-list]');
    const holder = document.querySelector('[data-nearby-forms]');
    const token = form.querySelector('input[name="_csrf"]');
    const lat = form.querySelector('input[name="lat"]');
    const lon = form.querySelector('input[name="lon"]');
    let pin = lat && lon && lat.value && lon.value ? { lat: lat.value, lon: lon.value } : null;
    let ticket = 0;

    const hide = () => {
      nearby.hidden = true;
      list.replaceChildren();
      if (holder) holder.replaceChildren();
    };

    const show = (reports) => {
      hide();
      if (!holder || !token || reports.length === 0) return;
      reports.forEach((report, index) => {
        const href = '/pengaduan/' + encodeURIComponent(report.tracking);
        const formId = 'nearby-support-' + index;
        const support = document.createElement('form');
        support.method = 'post';
        support.action = href + '/dukung';
        support.id = formId;
        const csrf = document.createElement('input');
        csrf.type = 'hidden';
        csrf.name = '_csrf';
        csrf.value = token.value;
        support.append(csrf);
        holder.append(support);

        const item = document.createElement('li');
        const title = document.createElement('p');
        const link = document.createElement('a');
        link.href = href;
        link.id = 'nearby-title-' + index;
        link.textContent = report.title;
        const strong = document.createElement('strong');
        strong.append(link);
        title.append(strong);
        const facts = document.createElement('p');
        facts.textContent = [
          nearby.getAttribute('data-status-' + report.status) || '',
          fill(nearby.getAttribute('data-distance'), { n: numbers.format(report.distance_m) }),
          fill(nearby.getAttribute('data-supporters'), { n: numbers.format(report.supporters) }),
        ]
          .filter(Boolean)
          .join(' · ');
        const button = document.createElement('button');
        button.type = 'submit';
        button.className = 'button button--secondary';
        button.setAttribute('form', formId);
        button.setAttribute('aria-describedby', link.id);
        button.textContent = nearby.getAttribute('data-support');
        item.append(title, facts, button);
        list.append(item);
      });
      nearby.hidden = false;
    };

    const look = () => {
      const code = category ? category.value : '';
      const mine = ++ticket;
      if (!code || !pin) {
        hide();
        return;
      }
      const query = new URLSearchParams({ category: code, lat: pin.lat, lon: pin.lon });
      fetch(nearby.getAttribute('data-nearby-api') + '?' + query, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      })
        .then((response) => {
          if (!response.ok) throw new Error('nearby: HTTP ' + response.status);
          return response.json();
        })
        .then((body) => {
          if (mine === ticket) show(Array.isArray(body.complaints) ? body.complaints : []);
        })
        .catch(() => {
          if (mine === ticket) hide();
        });
    };

    if (category) category.addEventListener('change', look);
    form.addEventListener('balai:pin', (event) => {
      pin = event.detail;
      look();
    });
    look();
  }

  // --- Copy the report number ---
  document.querySelectorAll('[data-copy]').forEach((el) => {
    if (!navigator.clipboard || !window.isSecureContext) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--secondary';
    button.textContent = el.getAttribute('data-copy-label');
    const done = document.createElement('span');
    done.className = 'form__hint';
    done.setAttribute('role', 'status');
    button.addEventListener('click', () => {
      navigator.clipboard
        .writeText(el.getAttribute('data-copy'))
        .then(() => {
          done.textContent = el.getAttribute('data-copied');
        })
        .catch(() => {});
    });
    el.append(button, done);
  });
})();
