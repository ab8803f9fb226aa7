// Answer templates on a report's work page (templates/complaints_staff/case.mustache), enhanced:
// choosing a template in the select puts its text (the option's data-body) into the answer
// field named by data-template-target at once. Without JavaScript the select's own GET form
// ("Gunakan templat") asks the server for the page with the answer filled in; with it that
// button is taken out of the page, since choosing already did its work. The person can edit
// the text before sending it. Plain ES2017, no libraries, no inline script (the CSP forbids it).
'use strict';

(function () {
  document.querySelectorAll('select[data-template-target]').forEach((select) => {
    const target = document.getElementById(select.getAttribute('data-template-target'));
    if (!target) return;
    const button = select.form && select.form.querySelector('[data-template-button]');
    if (button) button.remove();
    select.addEventListener('change', () => {
      const option = select.options[select.selectedIndex];
      const body = option ? option.getAttribute('data-body') : null;
      if (body === null) return;  // "Choose a template": the answer stays as it is
      target.value = body;
    });
  });
})();
