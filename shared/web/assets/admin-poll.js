// "Poll every feed now" on the secretariat's pages, with live progress. Without this script the form
// posts normally and the page shows the result when the cycle is done; with it, the post asks for
// JSON (answered at once), the progress bar follows /admin/poll/status, and the result page opens
// when the cycle is over. Any failure falls back to the plain post. Texts come from the page.
(function () {
  'use strict';
  var form = document.querySelector('form[data-poll]');
  var box = document.getElementById('poll-progress');
  if (!form || !box || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var bar = document.getElementById('poll-bar');
  var text = document.getElementById('poll-text');

  function show(status) {
    bar.max = Math.max(1, status.total);
    bar.value = status.done;
    text.textContent = box.getAttribute('data-text').replace('{done}', status.done).replace('{total}', status.total);
  }

  function follow(failures) {
    fetch(box.getAttribute('data-status-url'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('status ' + r.status);
        return r.json();
      })
      .then(function (status) {
        show(status);
        if (status.running) window.setTimeout(function () { follow(0); }, 400);
        else window.location.assign(box.getAttribute('data-result-url'));
      })
      .catch(function () {
        if (failures < 5) window.setTimeout(function () { follow(failures + 1); }, 1500);
        else text.textContent = box.getAttribute('data-failed');
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var button = form.querySelector('button');
    button.disabled = true;
    box.hidden = false;
    text.textContent = box.getAttribute('data-starting');
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (r) {
        if (r.status !== 202) throw new Error('status ' + r.status);
        return r.json();
      })
      .then(function (status) {
        show(status);
        follow(0);
      })
      .catch(function () {
        form.submit();
      });
  });

  // A cycle already running when the page opened: follow it.
  if (!box.hidden) follow(0);
})();
