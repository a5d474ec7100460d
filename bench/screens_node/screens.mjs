// Many wall screens in one Node.js process: `node screens.mjs URL N SECONDS APPLYING`. Each signs in with the wall
// token (a session each) and connects with socket.io-client (the reference client, over WebSocket). The first
// APPLYING screens apply every push with the page's own follower (dashboard/assets/push.js: whole model, then
// patches in sequence, else the whole model fetched); the others only receive, as a screen's network does, so
// that this process is not what the benchmark measures. Every screen records each push's delay from the worker's
// send (`served_at`) to its arrival, its size on the wire, and whether it followed the one before (`seq`).
// Prints {"ready": n}, waits for a line on stdin (the feed starts), counts until the next line (the feed and its
// drain are over) or SECONDS at most, then prints one JSON line: connected, refused, dropped, pushes received per
// screen, bytes, pushes missed or out of order, gaps the appliers fetched.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const [url, count, seconds, applying] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const token = process.env.WALL_TOKEN;
const ROOM = "province:id";
const SIGNING_IN_AT_ONCE = 50;

// push.js (with the constants it reads) is a browser script: give it a window, and a fetch that reaches the app
// with a session.
globalThis.window = globalThis;
globalThis.location = { pathname: "/" }; // the page these screens show
globalThis.appPath = (path) => path; // as assets/app_base.js, at the root
let anyCookie = "";
const realFetch = globalThis.fetch;
globalThis.fetch = (path, options) => realFetch(url + path, { ...options, headers: { cookie: anyCookie } });
for (const script of ["contract.js", "push.js"]) {
  new Function(readFileSync(new URL(`../../dashboard/assets/${script}`, import.meta.url), "utf8"))();
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function signIn() {
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await realFetch(`${url}/?token=${token}`, { redirect: "manual", signal: AbortSignal.timeout(30000) });
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

function screen(applies) {
  const state = { received: 0, bytes: 0, missed: 0, gaps: 0, delays: [], dropped: false, counting: false, socket: null };
  let last = null; // [epoch, seq] of the last push received
  if (applies) {
    state.follower = new window.sccPush.Follower(ROOM, () => {});
    const resync = state.follower.resync.bind(state.follower);
    state.follower.resync = () => {
      state.gaps += state.counting ? 1 : 0;
      resync();
    };
  }
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
      socket.io.on("open", () => {
        socket.io.engine.on("packet", (packet) => {
          if (state.counting && packet.type === "message") state.bytes += Buffer.byteLength(packet.data);
        });
      });
      socket.on("view", (push) => {
        if (state.follower) state.follower.receive(push);
        if (!state.counting) {
          last = [push.epoch, push.seq];
          return;
        }
        state.received += 1;
        state.delays.push(Date.now() - push.served_at);
        const follows = last && last[0] === push.epoch && (push.base === last[1] || push.seq === last[1] + 1);
        if (last && push.seq !== 0 && !follows) state.missed += 1;
        last = [push.epoch, push.seq];
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

const screens = Array.from({ length: count }, (_, n) => screen(n < applying));
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
});
await new Promise((done) => {
  lines.once("line", done);
  setTimeout(done, 1000 * seconds);
});
screens.forEach((s) => {
  s.counting = false;
});
const report = JSON.stringify({
  connected,
  refused: count - connected,
  dropped: screens.filter((s) => s.dropped).length,
  received: screens.map((s) => s.received),
  bytes: screens.reduce((n, s) => n + s.bytes, 0),
  missed: screens.reduce((n, s) => n + s.missed, 0),
  gaps: screens.reduce((n, s) => n + s.gaps, 0),
  delays: screens.flatMap((s) => s.delays),
});
screens.forEach((s) => s.socket && s.socket.disconnect());
// A pipe takes large writes asynchronously: leave only once the report is out.
process.stdout.write(report + "\n", () => process.exit(0));
