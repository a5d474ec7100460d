"""The wall's map in the page: recolouring a 38-regency map (Jawa Timur, the largest province) per update
against laying it out and drawing it whole, in headless Chromium on the served stack (as `bench/page.py`).

Each update runs in its own animation frame, so Chromium's main thread (CDP `Performance.getMetrics`
TaskDuration) counts the script, style, layout and paint it causes; frames with no update are the baseline
subtracted. A push only recolours (`wallMap.recolour`); the whole layout runs on load and when the screen's size
changes.
"""

from __future__ import annotations

from bench.harness import Figure, Server, main_for
from bench.stack import open_wall, served_stack
from bench.web import chromium
from dashboard.pages.wall.map_view import map_spec
from store.contract.map_shapes import province_drawing
from store.contract.reference import load_reference

PROVINCE = "35"
FRAMES = 120
LAYOUTS = 10

# arguments: spec, what to do each frame ("none", "recolour" or "layout"), frames, callback
FRAMES_SCRIPT = """
const [spec, work, frames, done] = arguments;
const area = document.getElementById('wall-map-area');
if (wallMap.spec !== spec && work !== 'none') wallMap.draw(spec, area);
const codes = Object.keys(spec.regencies);
const shades = [{}, {}];
codes.forEach((code, i) => {
  shades[0][code] = [i, '', '#' + (40 + i * 5).toString(16).padStart(2, '0') + '4080'];
  shades[1][code] = [i + 1, '', '#30' + (60 + i * 4).toString(16).padStart(2, '0') + 'c0'];
});
let n = 0;
const step = () => {
  if (work === 'recolour') wallMap.recolour(shades[n % 2]);
  if (work === 'layout') { wallMap.drawnSize = ''; wallMap.layout(); }
  n += 1;
  if (n < frames) requestAnimationFrame(step); else requestAnimationFrame(() => done(true));
};
requestAnimationFrame(step);
"""


def _main_thread_ms(driver) -> float:
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def _per_frame(driver, spec: dict, work: str, frames: int) -> float:
    before = _main_thread_ms(driver)
    driver.execute_async_script(FRAMES_SCRIPT, spec, work, frames)
    return (_main_thread_ms(driver) - before) / frames


def run(server: Server) -> list[Figure]:
    client = server.client()
    client.flushdb()
    reference = load_reference(PROVINCE)
    spec = map_spec(province_drawing(PROVINCE, tuple(reference.regencies)), reference, "map", "id")
    try:
        with served_stack(server.url) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            driver.set_script_timeout(120)
            driver.execute_cdp_cmd("Performance.enable", {})
            _per_frame(driver, spec, "recolour", 10)  # drawn once, warm
            idle = _per_frame(driver, spec, "none", FRAMES)
            recolour = _per_frame(driver, spec, "recolour", FRAMES) - idle
            layout = _per_frame(driver, spec, "layout", LAYOUTS) - idle
            labels = driver.execute_script("return document.querySelectorAll('.map-label').length")
    finally:
        client.flushdb()
    name = f"wall map, {len(reference.regencies)} regencies ({reference.province_name})"
    return [
        Figure(server.label, f"{name}: recolour per update", recolour, "ms", "< 16", recolour < 16),
        Figure(server.label, "  whole layout and drawing (load, resize)", layout, "ms"),
        Figure(server.label, "  recolour / whole drawing", recolour / layout, "x", "< 0.1", recolour / layout < 0.1),
        Figure(server.label, "  regencies named on the map", labels, "", f"= {len(reference.regencies)}"),
    ]


if __name__ == "__main__":
    main_for(run)
