// Many wall screens in one Node.js process: `node screens.mjs URL N SECONDS`. Each signs in with the wall token
// (a session each), connects with socket.io-client (the reference client, over WebSocket) and applies every push
// with the page's own follower (dashboard/assets/push.js: whole model, then patches in sequence, else the whole
// model fetched). Prints {"ready": n}, waits for a line on stdin (the feed starts), then after SECONDS one JSON
// line: connected, refused, dropped, pushes applied per screen, gaps, and each push's delay from the worker's
// send (`served_at`) to its application, in ms.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const [url, count, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const token = process.env.WALL_TOKEN;
const ROOM = "province:id";
const SIGNING_IN_AT_ONCE = 50;

// push.js (with the constants it reads) is a browser script: give it a window, and a fetch that reaches the app with a session.
globalThis.window = globalThis;
let anyCookie = "";
const realFetch = globalThis.fetch;
globalThis.fetch = (path, options) => realFetch(url + path, { ...options, headers: { cookie: anyCookie } });
for (const script of ["contract.js", "push.js"]) {
  new Function(readFileSync(new URL(`../../dashboard/assets/${script}`, import.meta.url), "utf8"))();
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function signIn() {
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await realFetch(`${url}/?token=${token}`, { redirect: "manual" });
    if (answer.status === 429 || answer.status === 503) {
      await sleep(1000 * Number(answer.headers.get("retry-after") || 1));
      continue;
    }
    const cookie = answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    if (!cookie.includes("session=")) throw new Error(`sign-in answered ${answer.status}`);
    return cookie;
  }
  throw new Error("sign-in refused for a minute");
}

function screen() {
  const state = { applied: 0, gaps: 0, delays: [], dropped: false, counting: false, socket: null };
  state.follower = new window.sccPush.Follower(ROOM, () => {
    state.applied += state.counting ? 1 : 0;
  });
  const resync = state.follower.resync.bind(state.follower);
  state.follower.resync = () => {
    state.gaps += 1;
    resync();
  };
  state.connect = async () => {
    const cookie = await signIn();
    anyCookie = cookie;
    return new Promise((resolve) => {
      const socket = io(url, {
        transports: ["websocket"],
        extraHeaders: { cookie },
        auth: { pathname: "/", lang: "id" },
        reconnection: false,
      });
      state.socket = socket;
      socket.on("view", (push) => {
        state.follower.receive(push);
        if (state.counting) state.delays.push(Date.now() - push.served_at);
      });
      socket.on("connect", () => resolve(true));
      socket.on("connect_error", () => resolve(false));
      socket.on("disconnect", () => {
        state.dropped = true;
      });
    });
  };
  return state;
}

const screens = Array.from({ length: count }, screen);
let connected = 0;
for (let i = 0; i < screens.length; i += SIGNING_IN_AT_ONCE) {
  const batch = screens.slice(i, i + SIGNING_IN_AT_ONCE).map((s) => s.connect().catch(() => false));
  connected += (await Promise.all(batch)).filter(Boolean).length;
}
console.log(JSON.stringify({ ready: connected }));
const lines = createInterface({ input: process.stdin });
await new Promise((go) => lines.once("line", go));
screens.forEach((s) => {
  s.counting = true;
  s.gaps = 0;
});
await sleep(1000 * seconds);
const report = JSON.stringify({
  connected,
  refused: count - connected,
  dropped: screens.filter((s) => s.dropped).length,
  applied: screens.map((s) => s.applied),
  gaps: screens.reduce((n, s) => n + s.gaps, 0),
  delays: screens.flatMap((s) => s.delays),
});
screens.forEach((s) => s.socket && s.socket.disconnect());
// A pipe takes large writes asynchronously: leave only once the report is out.
process.stdout.write(report + "\n", () => process.exit(0));
