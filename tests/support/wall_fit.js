// What a reader would find wrong with the wall's texts: for every visible text box, whether it is clipped (its
// content wider or taller than its box, or cut by an ellipsis), outside its panel, or over another text or a
// map marker. Returns a list of faults as strings; [] when the wall reads right. Run with execute_script.
(function () {
  const faults = [];
  const visible = function (node) {
    const style = window.getComputedStyle(node);
    const box = node.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 0 && box.height > 0 && node.closest(".wall") && !node.closest(".tour-step:not(.active)") && !node.closest(".beyond") && !node.closest(".metric-dropdown");
  };
  const describe = function (node) {
    return (node.getAttribute("data-code") || node.className.baseVal || node.className || node.tagName) + " '" + node.textContent.slice(0, 40) + "'";
  };
  // HTML boxes holding text of their own (a text node child), and the map's SVG labels.
  const boxes = [];
  document.querySelectorAll(".wall *").forEach(function (node) {
    if (node.namespaceURI === "http://www.w3.org/2000/svg") return;
    const ownText = Array.prototype.some.call(node.childNodes, function (c) { return c.nodeType === 3 && c.textContent.trim(); });
    if (!ownText || !visible(node)) return;
    boxes.push(node);
    // Content beyond a box that hides its overflow is cut; beyond a box that shows it, the panel and overlap
    // checks below find where it went.
    const style = window.getComputedStyle(node);
    if (style.display !== "inline") {
      if (node.scrollWidth > node.clientWidth + 2) faults.push((style.overflowX === "visible" ? "spills across: " : "clipped across: ") + describe(node));
      if (style.overflowY !== "visible" && node.scrollHeight > node.clientHeight + 2) faults.push("clipped down: " + describe(node));
      if (style.textOverflow === "ellipsis" && node.scrollWidth > node.clientWidth) faults.push("ellipsis: " + describe(node));
      if (style.webkitLineClamp !== "none" && style.webkitLineClamp && node.scrollHeight > node.clientHeight + 2) faults.push("cut lines: " + describe(node));
    }
  });
  const labels = Array.prototype.filter.call(document.querySelectorAll(".map-label"), visible);
  const rects = boxes.concat(labels).map(function (node) {
    // An inline box's own rectangles (one per line) are its text; a block's box is its text's room.
    return { node: node, rect: node.getBoundingClientRect() };
  });
  rects.forEach(function (item) {
    // The nearest panel that has a box of its own (the 3x2 wall's header is `display: contents`).
    let panel = item.node.closest(".panel, .wall-header, .map-area");
    while (panel && !panel.getBoundingClientRect().width) panel = panel.parentElement.closest(".panel, .wall-header, .map-area");
    if (!panel) return;
    const outer = panel.getBoundingClientRect();
    const r = item.rect;
    if (r.left < outer.left - 1 || r.top < outer.top - 1 || r.right > outer.right + 1 || r.bottom > outer.bottom + 1) {
      faults.push("outside its panel: " + describe(item.node));
    }
  });
  const contains = function (a, b) { return a.node.contains(b.node) || b.node.contains(a.node); };
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i].rect;
      const b = rects[j].rect;
      if (contains(rects[i], rects[j])) continue;
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
        faults.push("overlap: " + describe(rects[i].node) + " / " + describe(rects[j].node));
      }
    }
  }
  document.querySelectorAll(".map-svg .marker").forEach(function (marker) {
    const m = marker.getBoundingClientRect();
    const cx = (m.left + m.right) / 2;
    const cy = (m.top + m.bottom) / 2;
    const radius = m.width / 2;
    labels.forEach(function (label) {
      const r = label.getBoundingClientRect();
      const dx = Math.max(r.left - cx, 0, cx - r.right);
      const dy = Math.max(r.top - cy, 0, cy - r.bottom);
      if (dx * dx + dy * dy < radius * radius - 1) faults.push("label over a marker: " + describe(label) + " / " + marker.getAttribute("data-code"));
    });
  });
  // Every regency named, and none too small to see: its shape at least a marker's size, or a marker.
  const font = parseFloat(window.getComputedStyle(document.querySelector(".map-area")).fontSize);
  document.querySelectorAll(".map-svg path.region").forEach(function (shape) {
    const code = shape.getAttribute("data-code");
    const r = shape.getBoundingClientRect();
    const marked = document.querySelector('.map-svg .marker[data-code="' + code + '"]');
    if (!marked && Math.min(r.width, r.height) < 0.4 * font) faults.push("too small to see: " + code);
  });
  // Every label by its own regency (it is read as naming the shape it is on or points at): its middle inside the
  // regency or its marker, or its box beside them, or a short leader line from inside them to the label's edge.
  const svg = document.querySelector(".map-svg");
  const onRegion = function (code, x, y) {
    const shape = document.querySelector('.map-svg path.region[data-code="' + code + '"]');
    const point = svg.createSVGPoint();
    point.x = x;
    point.y = y;
    if (shape.isPointInFill(point.matrixTransform(shape.getScreenCTM().inverse()))) return true;
    const marker = document.querySelector('.map-svg .marker[data-code="' + code + '"]');
    if (!marker) return false;
    const m = marker.getBoundingClientRect();
    return Math.hypot(x - (m.left + m.right) / 2, y - (m.top + m.bottom) / 2) <= m.width / 2 + 1;
  };
  const toScreen = function (x, y) {
    const point = svg.createSVGPoint();
    point.x = x;
    point.y = y;
    return point.matrixTransform(svg.getScreenCTM());
  };
  labels.forEach(function (label) {
    const code = label.getAttribute("data-code");
    const r = label.getBoundingClientRect();
    const leader = Array.prototype.find.call(document.querySelectorAll('.map-svg .leader[data-code="' + code + '"]'), function (line) {
      return window.getComputedStyle(line).visibility !== "hidden"; // (a line straight up has no width: not `visible`)
    });
    if (leader) {
      const start = toScreen(+leader.getAttribute("x1"), +leader.getAttribute("y1"));
      const end = toScreen(+leader.getAttribute("x2"), +leader.getAttribute("y2"));
      const slack = 0.1 * font; // the room a label's box keeps about its text
      const onEdge = end.x >= r.left - slack && end.x <= r.right + slack && end.y >= r.top - slack && end.y <= r.bottom + slack;
      if (!onRegion(code, start.x, start.y) || !onEdge || Math.hypot(end.x - start.x, end.y - start.y) > 5 * font) {
        faults.push("label away from its region: " + describe(label));
      }
      return;
    }
    // Its middle, else a point around its box within half a font size.
    const around = [[(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
    [0.1, 0.25, 0.5].forEach(function (share) {
      const reach = share * font;
      for (let k = 0; k <= 16; k++) {
        const x = r.left - reach + ((r.width + 2 * reach) * k) / 16;
        const y = r.top - reach + ((r.height + 2 * reach) * k) / 16;
        around.push([x, r.top - reach], [x, r.bottom + reach], [r.left - reach, y], [r.right + reach, y]);
      }
    });
    if (!around.some(function (p) { return onRegion(code, p[0], p[1]); })) faults.push("label away from its region: " + describe(label));
  });
  labels.forEach(function (label) {
    if (parseFloat(window.getComputedStyle(label).fontSize) < font - 0.5) faults.push("label under the minimum: " + describe(label));
  });
  return faults;
})();
