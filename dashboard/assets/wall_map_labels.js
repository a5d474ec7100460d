/* Where the wall's map (wall_map.js) writes each regency's label: no text over another, over a marker or across
   the panel's edge, no leader line across a label or another line; the name inside where it fits, else the code,
   beside its point or on a short leader line. Never far from its own regency: a label with no room near it is
   left out (the tour names that regency when it comes to it, wall_map.js). */
const MARKER_BELOW = 0.25; // a regency whose inner circle is under this many font sizes gets a marker
const MARKER_RADIUS = 0.32; // in font sizes
const GAP = 0.06; // the least space around a label, in font sizes
const SHRINK = [1, 0.94, 0.88, 0.82]; // map scales tried, to leave room outside small regencies
const ROUNDS = 10; // attempts at each scale
const INSIDE = 0.6; // the least share of a label inside its regency's shape, to be written there without a line
const RINGS = 7; // leader lines reach up to 7 x 0.6 font sizes beyond the point's clearance

function overlaps(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

// Whether the segment from (x1, y1) to (x2, y2) crosses the box (Liang-Barsky clipping).
function crossesBox(segment, box) {
  const dx = segment.x2 - segment.x1;
  const dy = segment.y2 - segment.y1;
  let t0 = 0;
  let t1 = 1;
  const edges = [[-dx, segment.x1 - box.x0], [dx, box.x1 - segment.x1], [-dy, segment.y1 - box.y0], [dy, box.y1 - segment.y1]];
  for (let i = 0; i < 4; i++) {
    const p = edges[i][0];
    const q = edges[i][1];
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

function crossesSegment(a, b) {
  const side = function (p, q, r) { return Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)); };
  const a1 = { x: a.x1, y: a.y1 };
  const a2 = { x: a.x2, y: a.y2 };
  const b1 = { x: b.x1, y: b.y1 };
  const b2 = { x: b.x2, y: b.y2 };
  return side(a1, a2, b1) * side(a1, a2, b2) < 0 && side(b1, b2, a1) * side(b1, b2, a2) < 0;
}

function nearestPoint(box, x, y) {
  return [Math.min(Math.max(x, box.x0), box.x1), Math.min(Math.max(y, box.y0), box.y1)];
}

function touchesCircle(box, circle) {
  const dx = Math.max(box.x0 - circle.x, 0, circle.x - box.x1);
  const dy = Math.max(box.y0 - circle.y, 0, circle.y - box.y1);
  return dx * dx + dy * dy < circle.r * circle.r;
}

// Markers of neighbouring small cities pushed apart until none covers another.
function spreadMarkers(markers, width, height) {
  for (let round = 0; round < 60; round++) {
    let moved = false;
    for (let i = 0; i < markers.length; i++) {
      for (let j = i + 1; j < markers.length; j++) {
        const a = markers[i];
        const b = markers[j];
        const least = a.r + b.r + 2;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        const distance = Math.hypot(dx, dy);
        if (distance >= least) continue;
        if (distance < 0.01) {
          dx = 1;
          dy = 0;
        }
        const push = (least - distance) / 2 / Math.max(distance, 0.01);
        a.x -= dx * push;
        a.y -= dy * push;
        b.x += dx * push;
        b.y += dy * push;
        moved = true;
      }
    }
    markers.forEach(function (m) {
      m.x = Math.min(Math.max(m.x, m.r), width - m.r);
      m.y = Math.min(Math.max(m.y, m.r), height - m.r);
    });
    if (!moved) break;
  }
}

// Places to try for a label of `size` about the point (x, y) clear of a radius `clear`: beside it in eight
// directions, then further out on rings, joined to the point by a leader line; on each ring the directions away
// from the map's middle (mx, my) first, so labels go to the open space around the map rather than over it.
function around(x, y, clear, size, font, mx, my) {
  const spots = [];
  const outward = Math.atan2(y - my, x - mx);
  const ring = function (radius, directions) {
    const angles = [];
    for (let k = 0; k < directions; k++) angles.push((2 * Math.PI * k) / directions - Math.PI / 2);
    angles.sort(function (a, b) {
      return Math.abs(Math.sin((a - outward) / 2)) - Math.abs(Math.sin((b - outward) / 2));
    });
    angles.forEach(function (angle) {
      const cx = x + Math.cos(angle) * (radius + size.w / 2);
      const cy = y + Math.sin(angle) * (radius + size.h / 2);
      spots.push({ x0: cx - size.w / 2, y0: cy - size.h / 2, x1: cx + size.w / 2, y1: cy + size.h / 2 });
    });
  };
  ring(clear + GAP * font, 8);
  for (let step = 1; step <= RINGS; step++) ring(clear + font * 0.6 * step, 24);
  return spots;
}

// Each region's shape as a Path2D (for the canvas's point-in-shape test, in the drawing's units) and its
// bounds [x0, y0, x1, y1], worked out once per map.
const SHAPES = { context: document.createElement("canvas").getContext("2d"), of: new WeakMap() };

function shapesOf(regions) {
  if (!SHAPES.of.has(regions)) {
    const shapes = {};
    Object.keys(regions).forEach(function (code) {
      const numbers = regions[code].d.match(/-?[0-9.]+/g).map(Number);
      const xs = numbers.filter(function (_n, i) { return i % 2 === 0; });
      const ys = numbers.filter(function (_n, i) { return i % 2 === 1; });
      shapes[code] = {
        path: new Path2D(regions[code].d),
        box: [Math.min.apply(null, xs), Math.min.apply(null, ys), Math.max.apply(null, xs), Math.max.apply(null, ys)],
      };
    });
    SHAPES.of.set(regions, shapes);
  }
  return SHAPES.of.get(regions);
}

function centred(x, y, size) {
  return { x0: x - size.w / 2, y0: y - size.h / 2, x1: x + size.w / 2, y1: y + size.h / 2 };
}

// One attempt at laying the map out at `scale` of the largest fit, placing the labels of `first` before the
// others outside their regencies: where each shape, marker and label goes, the regencies left unnamed, and
// `spotsOf(code)`, the places near a regency's point its label may take, and `blockers(option)`, the labels a
// label there would touch or cross. `inside` ({} on the first attempt at a
// scale) keeps the labels written inside their regencies for the next attempts.
function planAt(spec, width, height, font, measure, scale, first, inside) {
  const fit = scale * Math.min(width / spec.width, height / spec.height);
  const ox = (width - spec.width * fit) / 2;
  const oy = (height - spec.height * fit) / 2;
  const codes = Object.keys(spec.regencies);
  const places = {};
  const markers = [];
  codes.forEach(function (code) {
    const region = spec.regencies[code];
    const place = { x: ox + region.anchor[0] * fit, y: oy + region.anchor[1] * fit, room: region.room * fit };
    if (spec.kind === "map" && place.room < MARKER_BELOW * font) {
      place.marker = { x: place.x, y: place.y, r: MARKER_RADIUS * font, code: code };
      markers.push(place.marker);
    }
    places[code] = place;
  });
  spreadMarkers(markers, width, height);
  const gap = GAP * font;
  const taken = []; // {code, box, line} of every label placed (line: its leader, if it has one)
  const padded = function (box) {
    return { x0: box.x0 - gap, y0: box.y0 - gap, x1: box.x1 + gap, y1: box.y1 + gap };
  };
  const clearOfMarkers = function (box) {
    const room = padded(box);
    return box.x0 >= 0 && box.y0 >= 0 && box.x1 <= width && box.y1 <= height && !markers.some(function (m) { return touchesCircle(room, m); });
  };
  // The labels (and their leaders) a label at `option` would touch or cross.
  const blockers = function (option) {
    const room = padded(option.box);
    return taken.filter(function (other) {
      if (overlaps(room, other.box)) return true;
      if (other.line && crossesBox(other.line, room)) return true;
      if (!option.line) return false;
      return crossesBox(option.line, padded(other.box)) || (other.line && crossesSegment(option.line, other.line));
    });
  };
  const free = function (option) {
    return clearOfMarkers(option.box) && !blockers(option).length;
  };
  const put = function (code, label) {
    taken.push({ code: code, box: label.box, line: label.line });
    places[code].label = label;
  };
  const lift = function (code) {
    taken.splice(taken.findIndex(function (other) { return other.code === code; }), 1);
    const label = places[code].label;
    delete places[code].label;
    return label;
  };
  // The code, with its caption over it, or beside it on one line where two lines find no room.
  const formsOf = function (region) {
    return region.caption ? [[region.caption, region.code], [region.caption + " " + region.code]] : [[region.code]];
  };
  // Where a label may go outside its regency, best first: beside its point, then out on rings joined to it by a
  // leader line. It depends only on the regency's point, so it is worked out once per attempt, when first needed.
  const cache = {};
  const spotsOf = function (code) {
    if (cache[code]) return cache[code];
    const place = places[code];
    const at = place.marker || place;
    const clear = place.marker ? place.marker.r : Math.min(place.room, 0.3 * font);
    const spots = [];
    formsOf(spec.regencies[code]).forEach(function (lines) {
      const size = measure(lines);
      around(at.x, at.y, clear, size, font, width / 2, height / 2).forEach(function (box, index) {
        const spot = { lines: lines, box: box };
        if (index >= 8) {
          const end = nearestPoint(box, at.x, at.y);
          spot.line = { x1: at.x, y1: at.y, x2: end[0], y2: end[1] };
        }
        spots.push(spot);
      });
    });
    cache[code] = spots;
    return spots;
  };
  const freeSpot = function (code) {
    return spotsOf(code).find(free);
  };
  // First every regency big enough to hold its name (else its code) inside, largest first: its box at the
  // regency's middle or moved about within it, most of the box over the regency's own shape. Then the others, the
  // most constrained first (markers, then the smallest), beside their point or out on a leader line.
  const outline = shapesOf(spec.regencies);
  const over = function (code, x, y) {
    return SHAPES.context.isPointInPath(outline[code].path, (x - ox) / fit, (y - oy) / fit, "evenodd");
  };
  // Whether enough of the box lies over the regency (its middle first: the cheapest test that fails most).
  const mostlyOver = function (code, box) {
    if (!over(code, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)) return false;
    let within = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) {
        if (over(code, box.x0 + ((box.x1 - box.x0) * (i + 0.5)) / 5, box.y0 + ((box.y1 - box.y0) * (j + 0.5)) / 3)) within += 1;
      }
    }
    return within >= INSIDE * 15;
  };
  const inward = codes
    .filter(function (code) { return !places[code].marker; })
    .sort(function (a, b) { return places[b].room - places[a].room; });
  // The same at every attempt at this scale: worked out once (`inside`, kept by the caller between attempts).
  if (inside.placed) {
    inside.placed.forEach(function (entry) { put(entry[0], entry[1]); });
  } else inward.forEach(function (code) {
    const region = spec.regencies[code];
    const place = places[code];
    const bounds = outline[code].box.map(function (v, i) { return (i % 2 ? oy : ox) + v * fit; });
    [[region.name]].concat(formsOf(region)).some(function (lines) {
      const size = measure(lines);
      if (size.w > (bounds[2] - bounds[0]) || size.h > (bounds[3] - bounds[1])) return false;
      // Centres over the regency's bounds, at most 20 x 20 of them, nearest its middle first.
      const step = Math.max(size.h / 3, (bounds[2] - bounds[0]) / 20, (bounds[3] - bounds[1]) / 20);
      const centres = [];
      for (let x = bounds[0] + size.w / 2; x <= bounds[2] - size.w / 2; x += step) {
        for (let y = bounds[1] + size.h / 2; y <= bounds[3] - size.h / 2; y += step) centres.push([x, y]);
      }
      centres.push([place.x, place.y]);
      centres.sort(function (a, b) { return Math.hypot(a[0] - place.x, a[1] - place.y) - Math.hypot(b[0] - place.x, b[1] - place.y); });
      const option = centres
        .map(function (c) { return { lines: lines, box: centred(c[0], c[1], size) }; })
        .find(function (o) { return free(o) && mostlyOver(code, o.box); });
      if (!option) return false;
      put(code, option);
      return true;
    });
  });
  inside.placed = codes.filter(function (code) { return places[code].label; }).map(function (code) { return [code, places[code].label]; });
  const rank = function (code) {
    const index = first.indexOf(code);
    return index < 0 ? first.length : index;
  };
  const outward = codes
    .filter(function (code) { return !places[code].label; })
    .sort(function (a, b) {
      const pa = places[a];
      const pb = places[b];
      return rank(a) - rank(b) || (pb.marker ? 1 : 0) - (pa.marker ? 1 : 0) || pa.room - pb.room;
    });
  const left = [];
  outward.forEach(function (code) {
    const option = freeSpot(code);
    if (option) put(code, option);
    else left.push(code);
  });
  // Repair: a label with no place takes one held by one or two other labels, if they can move elsewhere.
  const missing = [];
  left.forEach(function (code) {
    const moved = spotsOf(code).some(function (option) {
      if (!clearOfMarkers(option.box)) return false;
      const held = blockers(option);
      if (!held.length || held.length > 2) return false;
      const others = held.map(function (h) { return h.code; });
      const before = others.map(lift);
      put(code, option);
      const moved = [];
      const done = others.every(function (other) {
        const elsewhere = freeSpot(other);
        if (elsewhere) {
          put(other, elsewhere);
          moved.push(other);
        }
        return Boolean(elsewhere);
      });
      if (done) return true;
      moved.forEach(lift);
      lift(code);
      others.forEach(function (other, i) { put(other, before[i]); });
      return false;
    });
    if (!moved) missing.push(code);
  });
  return { scale: scale, fit: fit, ox: ox, oy: oy, places: places, missing: missing, spotsOf: spotsOf, clearOfMarkers: clearOfMarkers, blockers: blockers };
}

// How much worse an attempt is: the regencies it leaves unnamed, those of `named_first` (the ones that matter
// most here, such as the provinces a deployment serves on the national map) counting as many as all the others;
// and each step smaller the map is drawn counting as one more (a smaller map must name two more to be worth it).
function shortfall(plan, spec) {
  const named_first = spec.named_first || [];
  const unnamed = plan.missing.reduce(function (sum, code) {
    return sum + (named_first.indexOf(code) >= 0 ? Object.keys(spec.regencies).length : 1);
  }, 0);
  return unnamed + SHRINK.indexOf(plan.scale);
}

// The search for the labels of `spec` on a map panel `width` by `height` at `font` px (`measure(lines)` giving a
// label's box): each scale a few times, the labels left without a place last time placed first the next, until
// every regency is named or the attempts are spent. A generator: it yields the best plan so far after each
// attempt, so the page can draw the first at once and the better ones as they come, between its other work.
function* labelSearch(spec, width, height, font, measure) {
  let plan = null;
  // Too crowded still after the first pass: the kabupaten of a same-named pair is written with its code alone,
  // its city keeps "KOTA" over the code, so the two are still told apart (README.md, "The wall's map").
  const passes = [spec.regencies];
  if (Object.values(spec.regencies).some(function (region) { return region.caption === "KAB."; })) {
    const plain = {};
    Object.keys(spec.regencies).forEach(function (code) {
      const region = spec.regencies[code];
      plain[code] = region.caption === "KAB." ? Object.assign({}, region, { caption: "" }) : region;
    });
    passes.push(plain);
  }
  for (let pass = 0; pass < passes.length; pass++) {
    const layout = { kind: spec.kind, width: spec.width, height: spec.height, regencies: passes[pass], named_first: spec.named_first };
    for (let i = 0; i < SHRINK.length && (!plan || plan.missing.length); i++) {
      let first = (spec.named_first || []).slice();
      const inside = {};
      for (let round = 0; round < ROUNDS; round++) {
        const attempt = planAt(layout, width, height, font, measure, SHRINK[i], first, inside);
        if (!plan || shortfall(attempt, spec) < shortfall(plan, spec)) plan = attempt;
        yield plan;
        if (!attempt.missing.length) break;
        first = attempt.missing.concat(first.filter(function (code) { return attempt.missing.indexOf(code) < 0; }));
      }
    }
  }
  return plan;
}
