// Optional behaviours on top of pages that work without script.
// - A "copy" button beside each feed link marked data-copy (feed readers want the address, not a
//   download); the label and the confirmation come from the page, in its language.
(function () {
  'use strict';
  if (!navigator.clipboard || !document.querySelectorAll) return;
  var live = document.createElement('p');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  document.body.appendChild(live);

  var links = document.querySelectorAll('a[data-copy-label]');
  Array.prototype.forEach.call(links, function (link) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy-button';
    button.textContent = link.getAttribute('data-copy-label');
    button.setAttribute('aria-label', link.getAttribute('data-copy-label') + ': ' + link.textContent);
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(link.href).then(function () {
        live.textContent = link.getAttribute('data-copied') || '';
      }, function () {
        live.textContent = '';
      });
    });
    link.insertAdjacentElement('afterend', button);
  });
})();
