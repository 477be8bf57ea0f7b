// Layout check of ecgopt HTML reports in headless Chromium: the harness page
// tests/report/layout_check.sh writes loads each report in an iframe (the
// reports themselves carry no script), and on load this script measures
// the rendered SVG elements of each and appends one verdict per report:
//   @@NAME@@ OK svgs texts        or
//   @@NAME@@ FAIL n               then one "@@NAME@@ kind: what" line per problem
// Problems:
//   overlap   two text elements of one figure overlap (> 1 x 2 px)
//   cut-off   an element reaches outside its <svg> (the browser cuts it)
//   clipped   an ECG trace touches or crosses its band's edge (a complex
//             cut off flat, or drawn into the neighbouring trace)
//   on-paper  a text (label, legend) over an ECG strip's paper grid
//   legend    a plot legend over the plot area
//   outside   a plotted point/line outside the plot area
function layoutCheck(doc) {
  var problems = [], nsvg = 0, ntext = 0;
  function box(e) { return e.getBoundingClientRect(); }
  function inter(a, b) {
    return [Math.min(a.right, b.right) - Math.max(a.left, b.left),
            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)];
  }
  function where(e) {
    var f = e.closest('figure');
    var id = f ? (f.id || f.getAttribute('data-kind')) : 'svg';
    var t = (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return id + ' ' + e.tagName + (e.getAttribute('class') ? '.' + e.getAttribute('class') : '') +
           (t ? ' "' + t + '"' : '');
  }
  function add(kind, msg) { if (problems.length < 200) problems.push(kind + ': ' + msg); }
  var svgs = doc.querySelectorAll('svg');
  for (var s = 0; s < svgs.length; s++) {
    var svg = svgs[s], sb = box(svg);
    nsvg++;
    var texts = [], all = svg.querySelectorAll('text');
    for (var i = 0; i < all.length; i++)
      if (all[i].textContent.trim() !== '') texts.push(all[i]);
    ntext += texts.length;
    var tb = texts.map(box);
    for (var i = 0; i < texts.length; i++)
      for (var j = i + 1; j < texts.length; j++) {
        var o = inter(tb[i], tb[j]);
        if (o[0] > 1 && o[1] > 2)
          add('overlap', where(texts[i]) + ' / ' + where(texts[j]));
      }
    var els = svg.querySelectorAll('text, polyline, circle, rect, line, path');
    for (var i = 0; i < els.length; i++) {
      var b = box(els[i]);
      if (b.width === 0 && b.height === 0) continue;
      if (b.left < sb.left - 0.5 || b.right > sb.right + 0.5 || b.top < sb.top - 0.5 || b.bottom > sb.bottom + 0.5)
        add('cut-off', where(els[i]));
    }
    // ECG strips: every trace point strictly inside its band
    var bands = svg.querySelectorAll('g.trace-band');
    for (var g = 0; g < bands.length; g++) {
      var r = bands[g].querySelector('rect.band');
      if (!r) { add('clipped', where(bands[g]) + ' has no band'); continue; }
      var y0 = r.y.baseVal.value, y1 = y0 + r.height.baseVal.value;
      var tr = bands[g].querySelectorAll('polyline.trace');
      for (var k = 0; k < tr.length; k++) {
        var pts = tr[k].points, bad = 0;
        for (var q = 0; q < pts.numberOfItems; q++) {
          var y = pts.getItem(q).y;
          if (!(y > y0 + 0.5 && y < y1 - 0.5)) bad++;
        }
        if (bad) add('clipped', where(bands[g]) + ': ' + bad + ' of ' + pts.numberOfItems +
                     ' points on or beyond the band edge');
      }
    }
    // whatever the markup: a trace whose highest or lowest points form a
    // flat run of 5 or more samples was cut off at some limit (a real R
    // peak or S trough is not flat for 14 ms at 360 Hz at 0.1 px)
    var traces = svg.querySelectorAll('polyline.trace');
    for (var k = 0; k < traces.length; k++) {
      var pts = traces[k].points, n = pts.numberOfItems, lo = Infinity, hi = -Infinity;
      for (var q = 0; q < n; q++) { var y = pts.getItem(q).y; lo = Math.min(lo, y); hi = Math.max(hi, y); }
      if (!(hi - lo > 4)) continue;
      var run = 0, worst = 0, prev = NaN;
      for (var q = 0; q < n; q++) {
        var y = pts.getItem(q).y;
        run = (y === lo || y === hi) && y === prev ? run + 1 : 1;
        if ((y === lo || y === hi) && run > worst) worst = run;
        prev = y;
      }
      if (worst >= 5) add('clipped', where(traces[k]) + ': flat run of ' + worst + ' points at its extreme');
    }
    var paper = svg.querySelector('rect.paper');
    if (paper) {
      var pb = box(paper);
      for (var i = 0; i < texts.length; i++) {
        var o = inter(tb[i], pb);
        if (o[0] > 0.5 && o[1] > 0.5) add('on-paper', where(texts[i]));
      }
    }
    var area = svg.querySelector('rect.plot-area');
    if (area) {
      var ab = box(area);
      var lg = svg.querySelectorAll('g.legend');
      for (var i = 0; i < lg.length; i++) {
        var o = inter(box(lg[i]), ab);
        if (o[0] > 0 && o[1] > 0) add('legend', where(lg[i]));
      }
      var ser = svg.querySelectorAll('.series, .ref-line');
      for (var i = 0; i < ser.length; i++) {
        var b = box(ser[i]);
        if (b.left < ab.left - 3 || b.right > ab.right + 3 || b.top < ab.top - 3 || b.bottom > ab.bottom + 3)
          add('outside', where(ser[i]));
      }
    }
  }
  return problems.length ? 'FAIL ' + problems.length + '\n' + problems.join('\n') : 'OK ' + nsvg + ' ' + ntext;
}

window.addEventListener('load', function () {
  var frames = document.querySelectorAll('iframe');
  for (var i = 0; i < frames.length; i++) {
    var v = null, d = null;
    try { d = frames[i].contentDocument; } catch (e) { v = 'FAIL 1\nharness: ' + e; }
    if (!v) v = d && d.body ? layoutCheck(d) : 'FAIL 1\nharness: report not loaded';
    // every line tagged with the report's name, for the shell to grep
    var name = frames[i].getAttribute('data-name'), pre = document.createElement('pre');
    pre.className = 'verdict';
    pre.textContent = '\n' + v.split('\n').map(function (l) { return '@@' + name + '@@ ' + l; }).join('\n') + '\n';
    document.body.appendChild(pre);
  }
});
