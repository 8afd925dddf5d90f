// The ecosystem's standard GitHub webhook receiver, as the benchmark's peer: @octokit/webhooks
// verifies X-Hub-Signature-256 and answers, storing nothing.
import http from "node:http";
import { Webhooks, createNodeMiddleware } from "@octokit/webhooks";

const port = Number(process.env.PORT || 4300);
const webhooks = new Webhooks({ secret: process.env.WEBHOOK_SECRET });
webhooks.onAny(() => {});
const middleware = createNodeMiddleware(webhooks, { path: "/webhooks/github" });
http.createServer(middleware).listen(port, "127.0.0.1", () => {
  console.log(`peer listening on 127.0.0.1:${port}`);
});
