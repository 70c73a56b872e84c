// The dashboard's only script (served as is, no build). It draws the charts whose Chart.js
// configuration the server put in JSON islands, and refreshes the opportunities table in place.
// Everything it inserts was rendered and escaped by the server.
(function () {
  'use strict';

  function drawCharts() {
    if (typeof window.Chart !== 'function') return;
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var island = document.getElementById(canvas.getAttribute('data-chart'));
      if (!island) return;
      try {
        new window.Chart(canvas, JSON.parse(island.textContent || '{}'));
        canvas.setAttribute('data-drawn', 'true');
      } catch (err) {
        canvas.setAttribute('data-error', String(err));
      }
    });
  }

  function refreshRows() {
    var body = document.getElementById('opp-rows');
    if (!body) return;
    var url = body.getAttribute('data-refresh');
    var seconds = Number(body.getAttribute('data-seconds')) || 10;
    var live = document.getElementById('live');
    var total = document.getElementById('total');
    var busy = false;
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) {
          if (r.status === 401) {
            if (live) live.textContent = 'Your session ended: reload the page to log in again.';
            return null;
          }
          if (!r.ok) return null;
          var n = r.headers.get('X-Total');
          return r.text().then(function (text) { return { text: text, total: n }; });
        })
        .then(function (res) {
          if (!res) return;
          if (res.text.trim() !== body.innerHTML.trim()) {
            body.innerHTML = res.text;
            if (total && res.total !== null) total.textContent = Number(res.total).toLocaleString('en-US');
            var note = document.getElementById('updated');
            if (!note && live) {
              note = document.createElement('span');
              note.id = 'updated';
              live.appendChild(note);
            }
            if (note) note.textContent = ' List updated at ' + new Date().toLocaleTimeString() + '.';
          }
        })
        .catch(function () { /* the next tick tries again */ })
        .finally(function () { busy = false; });
    }
    setInterval(tick, seconds * 1000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts();
    refreshRows();
  });
})();
