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
    if (!document.querySelector('.map-label[data-code="' + code + '"]')) faults.push("unnamed: " + code);
  });
  labels.forEach(function (label) {
    if (parseFloat(window.getComputedStyle(label).fontSize) < font - 0.5) faults.push("label under the minimum: " + describe(label));
  });
  return faults;
})();
