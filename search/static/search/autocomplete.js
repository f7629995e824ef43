/* Progressive enhancement: suggestions from /search/autocomplete in a native <datalist>,
   which browsers and screen readers already know how to present. Without JS the box works. */
(function () {
  var input = document.querySelector("input[data-autocomplete]");
  if (!input || !window.fetch) return;
  var list = document.createElement("datalist");
  list.id = "search-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (!text) { list.replaceChildren(); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(text))
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.results.map(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            return option;
          }));
        })
        .catch(function () { list.replaceChildren(); });
    }, 150);
  });
})();
