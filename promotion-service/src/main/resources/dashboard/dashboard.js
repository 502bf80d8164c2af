// The promotion service's dashboard: reads the API this page came from and nothing else (the
// Content-Security-Policy forbids other hosts). Every value from the API is set as text, never as
// markup. No library and no build step: what you read here is what the browser runs.
"use strict";

const TOKEN_KEY = "vault-replicator.promotion.token";
const REFRESH_MS = 3000;
const SLOW_REFRESH_MS = 10000;
const AUDIT_SHOWN = 20;
/** An ended switchover stays on screen this long, so its outcome is seen. */
const ENDED_SWITCHOVER_SHOWN_MS = 15 * 60 * 1000;
/** Checks in this order on a card: what holds a promotion first. */
const CHECK_ORDER = ["FAIL", "UNKNOWN", "WARN", "PASS"];

const state = {
  caller: null, epoch: null, regions: [], history: {}, results: {}, lastSlowRefresh: 0, openRegion: null,
  // Each sign-in starts a refresh loop of its own; an older loop sees a newer generation and stops.
  generation: 0,
};

// ---- the API ----

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  // A 409 from a promotion or a drill is a decision with a report, not a failure to talk.
  if (!response.ok && !(response.status === 409 && answer.outcome)) {
    throw new ApiError(response.status, answer.error || answer.message || response.statusText);
  }
  return { status: response.status, body: answer };
}

// ---- signing in ----

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    state.caller = (await api("GET", "/v1/whoami")).body;
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(e.status === 401 ? "This token is not one the service knows." : "Cannot sign in: " + e.message);
    return;
  }
  byId("login").hidden = true;
  byId("board").hidden = false;
  byId("caller").hidden = false;
  byId("caller-name").textContent = state.caller.name + " (" + state.caller.role + ")";
  state.generation += 1;
  refresh(state.generation);
}

function showLogin(message) {
  state.caller = null;
  byId("board").hidden = true;
  byId("caller").hidden = true;
  byId("login").hidden = false;
  const error = byId("login-error");
  error.hidden = !message;
  error.textContent = message || "";
}

function canAct() {
  return state.caller !== null && state.caller.role !== "viewer";
}

// ---- refreshing ----

async function refresh(generation) {
  if (state.caller === null || generation !== state.generation) {
    return;
  }
  try {
    const slow = Date.now() - state.lastSlowRefresh >= SLOW_REFRESH_MS;
    const [status, epoch, history, switchovers] = await Promise.all([
      api("GET", "/v1/status"), epochOrNone(), api("GET", "/v1/lag/history"), api("GET", "/v1/switchovers")]);
    state.regions = status.body.regions;
    state.epoch = epoch;
    state.history = history.body.regions;
    renderEpoch();
    renderSwitchovers(switchovers.body.switchovers);
    renderRegions();
    if (slow) {
      state.lastSlowRefresh = Date.now();
      const [audit, fenced] = await Promise.all([api("GET", "/v1/audit?last=" + AUDIT_SHOWN), api("GET", "/v1/fenced")]);
      renderAudit(audit.body);
      renderFenced(fenced.body.regions);
    }
    connected();
  } catch (e) {
    if (e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin("The service no longer accepts this token; sign in again.");
      return;
    }
    disconnected(e);
  }
  setTimeout(() => refresh(generation), REFRESH_MS);
}

async function epochOrNone() {
  try {
    return (await api("GET", "/v1/epoch")).body;
  } catch (e) {
    if (e.status === 404) {
      return null;
    }
    throw e;
  }
}

function connected() {
  byId("connection").hidden = true;
  document.body.dataset.updatedAt = new Date().toISOString();
}

function disconnected(error) {
  const banner = byId("connection");
  banner.hidden = false;
  const since = document.body.dataset.updatedAt;
  banner.textContent = "Cannot read the promotion service (" + error.message + "). "
    + (since ? "What this page shows is from " + since + "." : "Nothing has been read yet.");
}

// ---- rendering ----

function renderEpoch() {
  const epoch = state.epoch;
  byId("epoch").textContent = epoch === null ? "no epoch claimed yet"
    : "epoch " + epoch.epoch + " · primary " + epoch.primary_region + " since " + epoch.since
      + (epoch.forced ? " (forced)" : "");
  byId("epoch").dataset.epoch = epoch === null ? "" : String(epoch.epoch);
}

function renderRegions() {
  const container = byId("regions");
  container.replaceChildren(...state.regions.map(regionCard));
}

function regionCard(region) {
  const card = el("article", { class: "region", "data-region": region.region });
  const primary = region.state === "PRIMARY";
  card.append(el("h3", {}, region.region, " ",
    el("span", { class: "role " + (primary ? "primary" : "standby") }, primary ? "primary" : "standby")));
  if (region.reason) {
    card.append(el("p", { class: "muted" }, region.reason));
  }
  if (primary) {
    // A primary trails nobody: its checks and buttons are a standby's, and would only say so.
    const list = el("dl", { class: "figures" }, el("dt", {}, "capture silent"),
      el("dd", { "data-figure": "silence" }, seconds(region.primary_silence_seconds)));
    card.append(list, el("p", { class: "muted" }, "How long since its capture's last heartbeat. Lag, checks, "
      + "drills and promotion are for the standbys."));
    return card;
  }
  card.append(figures(region), lagChart(state.history[region.region] || []), checksTable(region.checks),
    el("p", { class: "drill" }, "Last drill: ", lastDrill(region.last_drill)));
  const blocked = blockedReason(region.checks);
  const actions = el("div", { class: "actions" });
  const drill = el("button", { type: "button", class: "drill-button" }, "Drill");
  drill.disabled = !canAct();
  drill.addEventListener("click", () => runDrill(region.region));
  const promote = el("button", { type: "button", class: "promote danger" }, "Promote…");
  promote.disabled = blocked !== null;
  promote.addEventListener("click", () => openPromotion(region.region));
  actions.append(drill, promote);
  card.append(actions);
  if (blocked !== null) {
    card.append(el("p", { class: "blocked" }, blocked));
  }
  card.append(el("p", { class: "result", role: "status" }, state.results[region.region] || ""));
  return card;
}

function figures(region) {
  const list = el("dl", { class: "figures" });
  const add = (name, value, key) => list.append(el("dt", {}, name), el("dd", { "data-figure": key }, value));
  add("lag", seconds(region.lag_seconds), "lag");
  add("pending", region.pending_events === null ? "unknown" : String(region.pending_events), "pending");
  add("primary silent", seconds(region.primary_silence_seconds), "silence");
  add("applied through", region.applied_through || "nothing yet", "applied");
  return list;
}

function seconds(value) {
  return value === null || value === undefined ? "unknown" : value.toFixed(1) + " s";
}

function checksTable(checks) {
  const sorted = [...checks].sort((a, b) => CHECK_ORDER.indexOf(a.status) - CHECK_ORDER.indexOf(b.status));
  return el("table", { class: "checks" }, el("tbody", {}, ...sorted.map(check =>
    el("tr", { "data-check": check.name, "data-status": check.status },
      el("td", { class: "status " + check.status.toLowerCase() }, check.status),
      el("td", {}, check.name), el("td", {}, check.reason)))));
}

function lastDrill(drill) {
  if (!drill) {
    return "never";
  }
  return drill.at + (drill.passed ? " (a promotion would have been allowed)" : " (a promotion would have been refused)");
}

/** Why this caller cannot promote a region with these checks, or null when the button may be used. */
function blockedReason(checks) {
  if (!canAct()) {
    return "Your token has the viewer role: promoting needs an operator token.";
  }
  const failing = checks.filter(check => check.status === "FAIL" || check.status === "UNKNOWN");
  if (failing.length > 0) {
    return "Blocked by " + failing.map(check => check.name + ": " + check.reason).join("; ");
  }
  return null;
}

/** The lag over the last minutes as an SVG line; gaps where the lag was unknown. */
function lagChart(samples) {
  const width = 320, height = 90, top = 14, bottom = 16;
  const svg = svgEl("svg", { class: "chart", viewBox: "0 0 " + width + " " + height, role: "img" });
  const known = samples.filter(s => s.lag_seconds !== null);
  const ceiling = Math.max(1, ...known.map(s => s.lag_seconds));
  const end = Date.now();
  const start = end - 15 * 60 * 1000;
  const x = at => ((Date.parse(at) - start) / (end - start)) * width;
  const y = lag => top + (1 - lag / ceiling) * (height - top - bottom);
  svg.append(svgEl("title", {}, "replication lag over the last 15 minutes"));
  let line = [];
  const flush = () => {
    if (line.length > 0) {
      svg.append(svgEl("polyline", { points: line.join(" "), class: "lag-line" }));
      line = [];
    }
  };
  for (const sample of samples) {
    if (sample.lag_seconds === null) {
      flush();
    } else {
      line.push(x(sample.at).toFixed(1) + "," + y(sample.lag_seconds).toFixed(1));
    }
  }
  flush();
  svg.append(svgEl("text", { x: 2, y: 10, class: "axis" }, "lag, max " + ceiling.toFixed(1) + " s"),
    svgEl("text", { x: 2, y: height - 3, class: "axis" }, "15 min ago"),
    svgEl("text", { x: width - 2, y: height - 3, class: "axis end" }, "now"));
  return svg;
}

/** Pending switchovers, with what each waits for, and the last one ended, with its outcome. */
function renderSwitchovers(switchovers) {
  const pending = switchovers.filter(s => s.state === "SCHEDULED" || s.state === "WAITING");
  const ended = switchovers.filter(s => !pending.includes(s)
    && Date.now() - Date.parse(s.since) < ENDED_SWITCHOVER_SHOWN_MS).slice(0, 1);
  const shown = [...pending, ...ended];
  byId("switchover-section").hidden = shown.length === 0;
  byId("switchovers").replaceChildren(...shown.map(switchover => {
    const item = el("div", { class: "switchover", "data-switchover": switchover.id, "data-state": switchover.state },
      el("p", {}, el("strong", {}, "to " + switchover.region + ": " + switchover.state),
        " since " + switchover.since + ", requested by " + switchover.requested_by + " (" + switchover.reason + ")"
        + (switchover.stop_writes ? ", sealing the old primary first" : "")));
    if (switchover.waiting_for) {
      item.append(el("p", { class: "waiting" }, "Waiting for " + switchover.waiting_for));
    }
    if (switchover.message) {
      item.append(el("p", {}, switchover.message));
    }
    if (pending.includes(switchover) && canAct()) {
      const cancel = el("button", { type: "button", class: "cancel-switchover" }, "Cancel switchover");
      cancel.addEventListener("click", () => cancelSwitchover(switchover.id));
      item.append(el("div", { class: "actions" }, cancel));
    }
    return item;
  }));
}

async function cancelSwitchover(id) {
  try {
    await api("DELETE", "/v1/switchovers/" + encodeURIComponent(id));
  } catch (e) {
    byId("connection").hidden = false;
    byId("connection").textContent = "Cannot cancel the switchover: " + e.message;
  }
}

function renderFenced(counts) {
  const container = byId("fenced");
  const regions = Object.keys(counts);
  if (regions.length === 0) {
    container.replaceChildren(el("p", {}, "None recorded."));
    return;
  }
  container.replaceChildren(...regions.map(region => {
    const details = el("details", { "data-fenced": region },
      el("summary", {}, region + ": " + counts[region] + " change(s)"));
    details.addEventListener("toggle", () => details.open && loadFenced(region, details), { once: true });
    return details;
  }));
}

async function loadFenced(region, details) {
  const report = (await api("GET", "/v1/fenced/" + encodeURIComponent(region))).body;
  details.append(el("table", { class: "audit" },
    el("thead", {}, el("tr", {}, ...["commit time", "path", "version", "epoch", "orphaned"].map(h => el("th", {}, h)))),
    el("tbody", {}, ...report.changes.map(change => el("tr", {},
      el("td", {}, change.commit_time), el("td", {}, change.mount + change.path),
      el("td", {}, change.version === null ? "" : String(change.version)), el("td", {}, String(change.epoch)),
      el("td", {}, change.while_applying === true ? "no (replicated back)" : "yes"))))));
}

function renderAudit(audit) {
  byId("audit-chain").textContent = (audit.verifies ? "The chain of " + audit.count + " entries verifies."
    : "The chain does NOT verify: " + audit.reason) + " Newest first.";
  const rows = [...audit.entries].reverse().filter(entry => entry.decision).map(entry => {
    const d = entry.decision;
    return el("tr", { "data-outcome": d.outcome },
      el("td", {}, d.time), el("td", {}, d.action + (d.dry_run ? " (dry run)" : "") + (d.step ? " · " + d.step : "")),
      el("td", {}, d.region), el("td", {}, d.outcome), el("td", {}, d.requested_by), el("td", {}, d.reason),
      el("td", {}, d.message));
  });
  byId("audit").tBodies[0].replaceChildren(...rows);
}

// ---- acting ----

/** The outcome stays under the region's card (cards are drawn again on each refresh). */
async function runDrill(region) {
  const show = text => {
    state.results[region] = text;
    const result = document.querySelector('[data-region="' + CSS.escape(region) + '"] .result');
    if (result) {
      result.textContent = text;
    }
  };
  show("Drilling " + region + "…");
  try {
    show("Drill: " + (await api("POST", "/v1/drills/" + encodeURIComponent(region))).body.message);
  } catch (e) {
    show("Drill failed: " + e.message);
  }
  state.lastSlowRefresh = 0;
}

async function openPromotion(region) {
  state.openRegion = region;
  byId("promote-region").textContent = region;
  byId("promote-confirm-name").textContent = region;
  byId("promote-reason").value = "";
  byId("promote-confirm").value = "";
  byId("promote-result").textContent = "";
  byId("promote-checks").replaceChildren(el("tr", {}, el("td", {}, "reading the checks…")));
  byId("promote-blocked").hidden = true;
  byId("promote-submit").disabled = true;
  byId("promote-dialog").showModal();
  try {
    const readiness = (await api("GET", "/v1/readiness/" + encodeURIComponent(region))).body;
    byId("promote-checks").replaceChildren(...checksTable(readiness.checks).tBodies[0].children);
    const blocked = readiness.fit ? null : blockedReason(readiness.checks);
    byId("promote-blocked").hidden = blocked === null;
    byId("promote-blocked").textContent = blocked === null ? "" : blocked;
    byId("promote-dialog").dataset.fit = String(readiness.fit);
  } catch (e) {
    byId("promote-blocked").hidden = false;
    byId("promote-blocked").textContent = "Cannot read the checks: " + e.message;
    byId("promote-dialog").dataset.fit = "false";
  }
  updatePromoteButton();
}

function updatePromoteButton() {
  const dialog = byId("promote-dialog");
  byId("promote-submit").disabled = dialog.dataset.fit !== "true"
    || byId("promote-confirm").value !== state.openRegion
    || byId("promote-reason").value.trim() === "";
}

async function promote() {
  const region = state.openRegion;
  const submit = byId("promote-submit");
  submit.disabled = true;
  byId("promote-result").textContent = "Promoting " + region + "…";
  try {
    const answer = await api("POST", "/v1/promotions", { region, reason: byId("promote-reason").value.trim() });
    byId("promote-result").textContent = answer.body.message;
    byId("promote-dialog").dataset.fit = "false";
  } catch (e) {
    byId("promote-result").textContent = "Not promoted: " + e.message;
    updatePromoteButton();
  }
  state.lastSlowRefresh = 0;
}

// ---- small helpers ----

function byId(id) {
  return document.getElementById(id);
}

function el(tag, attributes, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, value));
  element.append(...children);
  return element;
}

function svgEl(tag, attributes, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, String(value)));
  element.append(...children);
  return element;
}

// ---- start ----

document.addEventListener("DOMContentLoaded", () => {
  byId("login-form").addEventListener("submit", event => {
    event.preventDefault();
    const token = byId("token").value.trim();
    byId("token").value = "";
    signIn(token);
  });
  byId("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(null);
  });
  byId("promote-confirm").addEventListener("input", updatePromoteButton);
  byId("promote-reason").addEventListener("input", updatePromoteButton);
  byId("promote-submit").addEventListener("click", promote);
  byId("promote-cancel").addEventListener("click", () => byId("promote-dialog").close());
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    signIn(token);
  }
});
