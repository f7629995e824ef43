/* The filters of /search/ are a <details> that the page sends folded: on a phone they stay
   behind their "筛选" button above the results. On a wide screen they stand open beside the
   results, and follow the screen when it turns or the window is resized. Without JS they are
   folded everywhere, one press away. */
(function () {
  var panel = document.querySelector("[data-facets]");
  if (!panel || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function follow() { panel.open = wide.matches; }
  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  } else {
    wide.addListener(follow);
  }
})();
