// The benchmark's GitHub API: serves bench/github/mappings.json (WireMock's stub mapping format)
// from Node.js's own HTTP server, with no dependencies, and keeps the part of WireMock's admin
// API that bench/run uses. Why not WireMock itself: its request matching and journal cost about
// 0.5 ms of CPU per request, so at 16 concurrent gate decisions (two GitHub calls each) the
// stand-in took about a core of the two that Tidegate runs on, and the gate's own time measured
// the wait for that core (bench/README.md, round 2, eleventh pass). In production GitHub is
// remote and costs the gate's machine nothing; this answers the same stubs for a small fraction
// of the CPU. `node bench/github/standin.mjs <mappings.json> <port>`; the mappings' __GITHUB__
// placeholders are replaced with this server's own address.
//
// The subset of WireMock's format this understands (anything else stops it at start, so it
// never answers differently from WireMock without saying so):
//   request: method (or ANY), one of urlPath (the path, exactly), urlPathPattern (a regular
//            expression matching the whole path), urlPattern (one matching the whole URL with
//            its query), and headers: {name: {equalTo: value}}
//   response: status, headers, body (a string)
//   priority: the lowest number wins among the stubs that match (WireMock's rule); two
//            matching stubs of the same priority are refused at start
// Admin: GET /__admin/health; DELETE /__admin/requests (empties the count);
// POST /__admin/requests/count {"method": ..., "urlPattern": ...} -> {"count": n}.
import http from "node:http";
import { readFileSync } from "node:fs";

const [mappingsFile, portArg] = process.argv.slice(2);
if (!mappingsFile || !portArg) {
  console.error("usage: node bench/github/standin.mjs <mappings.json> <port>");
  process.exit(2);
}
const port = Number(portArg);
const base = `http://127.0.0.1:${port}`;

const REQUEST_KEYS = new Set(["method", "urlPath", "urlPathPattern", "urlPattern", "headers"]);
const RESPONSE_KEYS = new Set(["status", "headers", "body"]);

function fail(message) {
  console.error(`standin: ${message}`);
  process.exit(2);
}

// A regular expression that must match the whole subject, as WireMock's patterns do.
const whole = (pattern) => new RegExp(`^(?:${pattern})$`);

function stub(mapping, index) {
  const { request = {}, response = {}, priority = 5 } = mapping; // WireMock's default: 5
  for (const key of Object.keys(mapping)) {
    if (!["request", "response", "priority"].includes(key)) fail(`mapping ${index}: ${key} is not supported`);
  }
  for (const key of Object.keys(request)) {
    if (!REQUEST_KEYS.has(key)) fail(`mapping ${index}: request.${key} is not supported`);
  }
  for (const key of Object.keys(response)) {
    if (!RESPONSE_KEYS.has(key)) fail(`mapping ${index}: response.${key} is not supported`);
  }
  const urls = ["urlPath", "urlPathPattern", "urlPattern"].filter((k) => k in request);
  if (urls.length !== 1) fail(`mapping ${index}: needs exactly one of urlPath, urlPathPattern, urlPattern`);
  const headers = Object.entries(request.headers || {}).map(([name, rule]) => {
    if (Object.keys(rule).length !== 1 || !("equalTo" in rule)) fail(`mapping ${index}: header ${name}: only equalTo is supported`);
    return [name.toLowerCase(), rule.equalTo];
  });
  let matchesUrl;
  if ("urlPath" in request) matchesUrl = (path) => path === request.urlPath;
  else if ("urlPathPattern" in request) { const re = whole(request.urlPathPattern); matchesUrl = (path) => re.test(path); }
  else { const re = whole(request.urlPattern); matchesUrl = (path, url) => re.test(url); }
  const method = request.method || "ANY";
  const body = Buffer.from(String(response.body ?? "").replaceAll("__GITHUB__", base));
  const responseHeaders = { ...(response.headers || {}), "Content-Length": body.length };
  return {
    index, priority, method, body, status: response.status || 200, headers: responseHeaders,
    matches(req, path) {
      return (method === "ANY" || method === req.method) && matchesUrl(path, req.url)
        && headers.every(([name, value]) => req.headers[name] === value);
    },
  };
}

const parsed = JSON.parse(readFileSync(mappingsFile, "utf8"));
const stubs = (parsed.mappings || [parsed]).map(stub).sort((a, b) => a.priority - b.priority);

// method + " " + URL -> requests received since the last reset
let journal = new Map();

function count(method, urlPattern) {
  const re = whole(urlPattern ?? ".*");
  let n = 0;
  for (const [key, c] of journal) {
    const space = key.indexOf(" ");
    if ((!method || method === "ANY" || key.slice(0, space) === method) && re.test(key.slice(space + 1))) n += c;
  }
  return n;
}

function admin(req, res, body) {
  const send = (status, value) => {
    const text = JSON.stringify(value);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };
  if (req.method === "GET" && req.url === "/__admin/health") return send(200, { status: "healthy" });
  if (req.method === "DELETE" && req.url === "/__admin/requests") { journal = new Map(); return send(200, {}); }
  if (req.method === "POST" && req.url === "/__admin/requests/count") {
    let query;
    try { query = JSON.parse(body || "{}"); } catch { return send(400, { error: "not JSON" }); }
    return send(200, { count: count(query.method, query.urlPattern) });
  }
  return send(404, { error: `no admin route ${req.method} ${req.url}` });
}

function answer(req, res) {
  const path = req.url.split("?")[0];
  const key = `${req.method} ${req.url}`;
  journal.set(key, (journal.get(key) || 0) + 1);
  let found = null;
  for (const s of stubs) {
    if (found && s.priority > found.priority) break;
    if (s.matches(req, path)) {
      if (found) {
        res.writeHead(500, { "Content-Type": "text/plain" });
        return res.end(`mappings ${found.index} and ${s.index} both match at priority ${s.priority}`);
      }
      found = s;
    }
  }
  if (!found) {
    res.writeHead(404, { "Content-Type": "text/plain", "Content-Length": 15 });
    return res.end("no stub matched");
  }
  res.writeHead(found.status, found.headers);
  res.end(req.method === "HEAD" ? undefined : found.body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url.startsWith("/__admin/")) admin(req, res, Buffer.concat(chunks).toString("utf8"));
    else answer(req, res);
  });
});
server.keepAliveTimeout = 60_000; // as long as the gate's HTTP client keeps a connection idle
server.listen(port, "127.0.0.1", () => console.log(`GitHub stand-in on ${base}, ${stubs.length} stubs`));
