/* The reporter's private link is /reports/status/#<token>: the fragment never leaves the
 * browser, so the token is in no server's or proxy's access log. This script puts the
 * fragment into the form and posts it; the fragment is removed from the address bar first.
 * Without JavaScript the reporter pastes the token into the same form. */
(function () {
  "use strict";
  var form = document.querySelector("[data-report-status]");
  var token = decodeURIComponent(window.location.hash.slice(1));
  if (!form || !token) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.token.value = token;
  form.submit();
})();
