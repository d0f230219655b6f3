// provspec's HTML report: filter by status and tag, search by name. Inline in the page.
(function () {
  'use strict';
  var status = 'all';
  var scenarios = Array.prototype.slice.call(document.querySelectorAll('details.scenario'));
  var tag = document.getElementById('tag');
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var nothing = document.getElementById('nothing-shown');

  function apply() {
    var words = search.value.trim().toLowerCase();
    var count = 0;
    scenarios.forEach(function (scenario) {
      var tags = (scenario.dataset.tags || '').split(' ');
      var visible = (status === 'all' || scenario.dataset.status === status) &&
        (!tag.value || tags.indexOf(tag.value) >= 0) &&
        (!words || scenario.dataset.name.indexOf(words) >= 0);
      scenario.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + ' of ' + scenarios.length + ' shown';
    nothing.hidden = count > 0;
  }

  document.querySelectorAll('#summary button').forEach(function (button) {
    button.addEventListener('click', function () {
      status = button.dataset.status;
      document.querySelectorAll('#summary button').forEach(function (b) {
        b.classList.toggle('selected', b === button);
      });
      apply();
    });
  });
  tag.addEventListener('change', apply);
  search.addEventListener('input', apply);
  apply();
}());
