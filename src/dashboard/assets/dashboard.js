// The dashboard's only script (served as is, no build). It draws the charts whose Chart.js
// configuration the server put in JSON islands, refreshes the opportunities table in place, sorts any
// table by a click on its column heading, and exports any table as CSV (what the table shows).
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

  // A cell's sort key: a number when the text reads as one ($1,200 / 35% / -4), else the text.
  function sortKey(cell) {
    var text = (cell ? cell.textContent : '').trim();
    var n = Number(text.replace(/[$€£,%\s]/g, '').replace(/^\u2212/, '-'));
    return text !== '' && isFinite(n) ? n : text.toLowerCase();
  }

  function applySort(table) {
    var col = Number(table.getAttribute('data-sort-col'));
    var dir = table.getAttribute('data-sort-dir') === 'descending' ? -1 : 1;
    var body = table.tBodies[0];
    if (!body || isNaN(col)) return;
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length < 2) return;
    rows.sort(function (a, b) {
      var x = sortKey(a.cells[col]);
      var y = sortKey(b.cells[col]);
      if (typeof x === typeof y) return (x < y ? -1 : x > y ? 1 : 0) * dir;
      return (typeof x === 'number' ? -1 : 1) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function sortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    Array.prototype.forEach.call(head.cells, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = th.textContent;
      button.title = 'Sort by ' + th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var same = Number(table.getAttribute('data-sort-col')) === col;
        var dir = same && table.getAttribute('data-sort-dir') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(head.cells, function (c) { c.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        table.setAttribute('data-sort-col', String(col));
        table.setAttribute('data-sort-dir', dir);
        applySort(table);
      });
    });
  }

  function csvCell(text) {
    var t = text.replace(/\s+/g, ' ').trim();
    return /[",\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }

  function csvOf(table) {
    return Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (c) { return csvCell(c.textContent || ''); }).join(',');
    }).join('\n') + '\n';
  }

  function exportable(table, k) {
    var link = document.createElement('a');
    link.className = 'csv';
    link.textContent = 'Download CSV';
    var name = (table.caption ? table.caption.textContent : 'table-' + (k + 1)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
    link.setAttribute('download', (name || 'table') + '.csv');
    link.href = '#';
    link.addEventListener('click', function () {
      link.href = URL.createObjectURL(new Blob([csvOf(table)], { type: 'text/csv' }));
    });
    var wrap = table.parentElement && table.parentElement.classList.contains('table-wrap') ? table.parentElement : table;
    wrap.insertAdjacentElement('afterend', link);
  }

  function tables() {
    document.querySelectorAll('main table').forEach(function (table, k) {
      if (table.classList.contains('compare')) return; // the plan comparison reads top to bottom
      sortable(table);
      exportable(table, k);
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
            var table = body.closest('table');
            if (table) applySort(table);
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
    tables();
    refreshRows();
  });
})();
