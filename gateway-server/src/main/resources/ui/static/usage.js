// Draws the Usage page's charts with uPlot: one line per series (all, then the top groups) for
// spend, bars for requests. The data comes from data-* attributes filled by the server
// (HTML-escaped JSON), never from inline scripts (the CSP forbids them).
(function () {
  "use strict";
  if (typeof uPlot === "undefined") {
    return;
  }
  var charts = [];
  var colours = ["#1a7f4b", "#2f5bd3", "#c2410c", "#7c3aed", "#0e7490", "#b91c1c"];
  document.querySelectorAll(".usage-chart").forEach(function (box) {
    var xs = JSON.parse(box.getAttribute("data-x") || "[]");
    var lines = JSON.parse(box.getAttribute("data-series") || "[]");
    var usd = box.getAttribute("data-unit") === "usd";
    var half = box.getAttribute("data-bucket") === "hour" ? 1800 : 43200;
    var series = [{}];
    var data = [xs];
    lines.forEach(function (line, i) {
      var s = {
        label: line.label,
        stroke: colours[i % colours.length],
        width: i === 0 ? 2 : 1.5,
        points: { show: true, size: 4 },
        value: function (u, v) {
          return v == null ? "-" : usd ? "$" + v : v;
        }
      };
      if (!usd) {
        s.fill = "rgba(47,91,211,0.35)";
        s.paths = uPlot.paths.bars({ size: [0.6, 24] });
        s.points = { show: false };
      }
      series.push(s);
      data.push(line.y.map(Number));
    });
    var chart = new uPlot(
      {
        width: Math.max(300, box.clientWidth),
        height: 240,
        // Half a bucket of room on each side, so the first and last bars are whole.
        scales: {
          x: {
            time: true,
            range: function (u, min, max) {
              return [min - half, max + half];
            }
          }
        },
        legend: { show: true },
        series: series,
        axes: [
          {},
          {
            size: 90,
            incrs: usd ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 1e4, 1e5, 1e6],
            values: function (u, vals, axis, space, incr) {
              var decimals = incr > 0 ? Math.max(0, Math.ceil(-Math.log10(incr))) : 0;
              return vals.map(function (v) {
                return usd ? "$" + v.toFixed(Math.min(decimals, 9)) : v;
              });
            }
          }
        ]
      },
      data,
      box
    );
    charts.push({ chart: chart, box: box });
  });
  // Follow the page's width (the boxes shrink with the grid; the canvases are redrawn to fit).
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) {
        c.chart.setSize({ width: Math.max(300, c.box.clientWidth), height: 240 });
      });
    }, 100);
  });
})();
