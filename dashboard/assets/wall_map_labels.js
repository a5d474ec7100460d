/* Where the wall's map (wall_map.js) writes each regency's label: no text over another, over a marker or across
   the panel's edge; the name inside where it fits, else the code, beside its point or out on a leader line. */
const MARKER_BELOW = 0.25; // a regency whose inner circle is under this many font sizes gets a marker
const MARKER_RADIUS = 0.32; // in font sizes
const GAP = 0.06; // the least space around a label, in font sizes
const SHRINK = [1, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58]; // map scales tried, to leave room outside small regencies
const ROUNDS = 10; // attempts at each scale
const SEARCH_MS = 1000; // the most each search of a layout may take (on load and when the screen's size changes)
const REPAIRS = 200; // places far from a regency's point where its label may take another's
const RINGS = 16; // leader lines reach up to 16 x 0.6 font sizes out

function overlaps(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
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

// The `count` places nearest to (x, y) for a label of `size` on a grid over the panel.
function anywhere(x, y, size, width, height, step, count) {
  const spots = [];
  for (let top = 0; top + size.h <= height; top += step) {
    for (let left = 0; left + size.w <= width; left += step) {
      const dx = left + size.w / 2 - x;
      const dy = top + size.h / 2 - y;
      spots.push({ d: dx * dx + dy * dy, x0: left, y0: top, x1: left + size.w, y1: top + size.h });
    }
  }
  spots.sort(function (a, b) { return a.d - b.d; });
  return spots.slice(0, count);
}

function centred(x, y, size) {
  return { x0: x - size.w / 2, y0: y - size.h / 2, x1: x + size.w / 2, y1: y + size.h / 2 };
}

// One attempt at laying the map out at `scale` of the largest fit, placing the labels of `first` before the
// others outside their regencies: where each shape, marker and label goes, and the regencies left unnamed.
function planAt(spec, width, height, font, measure, scale, first) {
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
  const taken = []; // {code, box} of every label placed
  const padded = function (box) {
    return { x0: box.x0 - gap, y0: box.y0 - gap, x1: box.x1 + gap, y1: box.y1 + gap };
  };
  const clearOfMarkers = function (box) {
    const room = padded(box);
    return box.x0 >= 0 && box.y0 >= 0 && box.x1 <= width && box.y1 <= height && !markers.some(function (m) { return touchesCircle(room, m); });
  };
  const blockers = function (box) {
    const room = padded(box);
    return taken.filter(function (other) { return overlaps(room, other.box); });
  };
  const free = function (box) {
    if (!clearOfMarkers(box)) return false;
    const room = padded(box);
    for (let i = 0; i < taken.length; i++) if (overlaps(room, taken[i].box)) return false;
    return true;
  };
  const put = function (code, label) {
    taken.push({ code: code, box: label.box });
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
  // Where a label may go outside its regency, best first: beside its point, then out on rings (`near`); when
  // crowded, the nearest places anywhere in the panel (`far`); all but the first eight on a leader line. Both
  // depend only on the regency's point, so each is worked out once per attempt, when first needed.
  const cache = { near: {}, far: {} };
  const spotsOf = function (code, kind) {
    if (cache[kind][code]) return cache[kind][code];
    const place = places[code];
    const at = place.marker || place;
    const clear = place.marker ? place.marker.r : Math.min(place.room, 0.3 * font);
    const spots = [];
    formsOf(spec.regencies[code]).forEach(function (lines) {
      const size = measure(lines);
      const boxes =
        kind === "near"
          ? around(at.x, at.y, clear, size, font, width / 2, height / 2)
          : anywhere(at.x, at.y, size, width, height, 0.4 * font, 400);
      boxes.forEach(function (box, index) {
        spots.push({ lines: lines, box: box, leader: kind === "far" || index >= 8 });
      });
    });
    cache[kind][code] = spots;
    return spots;
  };
  const freeSpot = function (code) {
    const isFree = function (o) { return free(o.box); };
    return spotsOf(code, "near").find(isFree) || spotsOf(code, "far").find(isFree);
  };
  // First every regency big enough to hold its name (else its code) inside, largest first; then the others,
  // the most constrained first (markers, then the smallest), beside their point or out on a leader line.
  const inward = codes
    .filter(function (code) { return !places[code].marker; })
    .sort(function (a, b) { return places[b].room - places[a].room; });
  inward.forEach(function (code) {
    const region = spec.regencies[code];
    const place = places[code];
    [[region.name]].concat(formsOf(region)).some(function (lines) {
      const size = measure(lines);
      if (size.w / 2 > place.room * 2.2 || size.h / 2 > place.room * 1.6) return false;
      // Its middle, else a little off it, still inside.
      const nudges = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [-1, -1], [1, -1], [-1, 1], [1, 1]];
      const box = nudges
        .map(function (n) { return centred(place.x + n[0] * place.room * 0.5, place.y + n[1] * place.room * 0.5, size); })
        .find(free);
      if (!box) return false;
      put(code, { lines: lines, box: box, leader: false });
      return true;
    });
  });
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
    const moved = spotsOf(code, "near").concat(spotsOf(code, "far").slice(0, REPAIRS)).some(function (option) {
      if (!clearOfMarkers(option.box)) return false;
      const held = blockers(option.box);
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
  return { fit: fit, ox: ox, oy: oy, places: places, missing: missing };
}

// The labels of `spec` on a map panel `width` by `height` at `font` px, `measure(lines)` giving a label's box.
function placeLabels(spec, width, height, font, measure) {
  // Each scale a few times, the labels left without a place last time placed first the next, until every
  // regency is named or the time allowed is spent (the best attempt is kept).
  const search = function (regions, plan) {
    const started = performance.now();
    const layout = { kind: spec.kind, width: spec.width, height: spec.height, regencies: regions };
    for (let i = 0; i < SHRINK.length && (!plan || plan.missing.length); i++) {
      let first = [];
      for (let round = 0; round < ROUNDS && performance.now() - started < SEARCH_MS; round++) {
        const attempt = planAt(layout, width, height, font, measure, SHRINK[i], first);
        if (!plan || attempt.missing.length < plan.missing.length) plan = attempt;
        if (!attempt.missing.length) break;
        first = attempt.missing.concat(first.filter(function (code) { return attempt.missing.indexOf(code) < 0; }));
      }
    }
    return plan;
  };
  let plan = search(spec.regencies, null);
  // Too crowded still: the kabupaten of a same-named pair is written with its code alone, its city keeps
  // "KOTA" over the code, so the two are still told apart (README.md, "The wall's map").
  if (plan.missing.length) {
    const plain = {};
    Object.keys(spec.regencies).forEach(function (code) {
      const region = spec.regencies[code];
      plain[code] = region.caption === "KAB." ? Object.assign({}, region, { caption: "" }) : region;
    });
    plan = search(plain, plan);
  }
  return plan;
}
