/* Following a room's pushed view-model (workers/screens.py): a whole model, then JSON Merge Patches (RFC 7386),
   each applied only to the model it was made against. A gap (a missed push, a restarted worker) or a long
   silence fetches the whole model again, without reloading the page. */
(function () {

  function mergePatch(target, patch) {
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
      return patch;
    }
    const isObject = target !== null && typeof target === "object" && !Array.isArray(target);
    const result = isObject ? Object.assign({}, target) : {};
    Object.keys(patch).forEach(function (key) {
      if (patch[key] === null) {
        delete result[key];
      } else {
        result[key] = mergePatch(result[key], patch[key]);
      }
    });
    return result;
  }

  // `onModel(model, patch, push)`: `patch` is null for a whole model (draw everything), else what changed.
  function Follower(room, onModel) {
    this.onModel = onModel;
    this.model = null;
    this.epoch = null;
    this.seq = null;
    this.room = room;
    this.fetching = false;
    this.heardAt = Date.now();
    this.servedAt = null; // when the push applied last left the live worker (the worker's clock, ms)
    this.path = window.location.pathname;
    window.sccPush.followed = this; // the page's one follower, reported to /ops (screen_report.js)
  }

  Follower.prototype.receive = function (push) {
    if (!push || typeof push !== "object") {
      return;
    }
    this.heardAt = Date.now();
    if (push.model !== undefined) {
      this.take(push, push.model, null);
    } else if (this.model && push.epoch === this.epoch && push.seq <= this.seq) {
      return; // already in the model this screen has (a whole model fetched or sent on connecting overtook it)
    } else if (this.model && push.epoch === this.epoch && push.base === this.seq) {
      this.take(push, mergePatch(this.model, push.patch), push.patch);
    } else {
      this.resync();
    }
  };

  Follower.prototype.take = function (push, model, patch) {
    const older = patch === null && this.model && push.epoch === this.epoch && push.seq !== 0 && push.seq <= this.seq;
    // Epoch 0: a model the app rendered for a room the worker had not pushed to yet, never newer than a pushed one.
    const placeholder = patch === null && this.model && push.epoch === 0 && this.epoch !== 0;
    if (older || placeholder) {
      return; // a fetched model overtaken by pushes meanwhile
    }
    const newFlow = push.epoch !== this.epoch;
    this.model = model;
    this.epoch = push.epoch;
    this.seq = push.seq;
    this.servedAt = push.served_at;
    if (newFlow && window.sccScreens) window.sccScreens.flow();
    this.onModel(model, patch, push);
  };

  // The whole model from the app (the same the live worker pushed last).
  Follower.prototype.resync = function () {
    if (this.fetching) {
      return;
    }
    const self = this;
    this.fetching = true;
    this.heardAt = Date.now();
    fetch(window.appPath("/api/v1/view/" + this.room), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        return response.status === 200 ? response.json() : null; // 204: not rendered yet, its first push will come
      })
      .then(function (whole) {
        self.fetching = false;
        if (whole) {
          self.take(whole, whole.model, null);
        }
      })
      .catch(function () {
        self.fetching = false;
      });
  };

  // Called every second by the page: a room silent for long, or never heard, is fetched whole (the message
  // queue may be down; the connection's first push may have been lost).
  Follower.prototype.watch = function (connected) {
    if (connected && (Date.now() - this.heardAt > window.sccContract.silence_ms || (!this.model && Date.now() - this.heardAt > 3000))) {
      this.resync();
    }
  };

  window.sccPush = { Follower: Follower, mergePatch: mergePatch };
})();
