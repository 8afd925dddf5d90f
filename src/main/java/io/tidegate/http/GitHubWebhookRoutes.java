package io.tidegate.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidegate.atlantis.LimitedInputStream;
import io.tidegate.atlantis.PayloadTooLargeException;
import io.tidegate.github.InvalidSignatureException;
import io.tidegate.github.MalformedWebhookException;
import io.tidegate.github.WebhookEvent;
import io.tidegate.github.WebhookBody;
import io.tidegate.github.WebhookParser;
import io.tidegate.github.WebhookSignature;
import io.tidegate.health.LatencyBuckets;
import io.tidegate.review.WebhookIntake;

/**
 * {@code POST /webhooks/github}. In this order: a secret must be configured (401), the body must
 * fit in 25 MB (413, from {@code Content-Length} and again while reading), the signature must
 * match the raw bytes (401) before anything is parsed, then the headers and JSON must make sense
 * (400 naming what is wrong); a form-encoded delivery's JSON is its {@code payload} field
 * ({@link WebhookBody}). An event Tidegate does not use is answered 202
 * {@code {"ignored": why}}, a delivery already stored 200, and anything else is stored in the
 * inbox and answered 202: the work happens after the reply.
 *
 * <p>Bodies arrive before anyone is authenticated, so at most {@code concurrentBodies} are read
 * at once (one more is answered 503 with {@code Retry-After} without being read: the other routes
 * keep their threads), and a body is held in memory only as far as it has arrived, never sized
 * from the {@code Content-Length} a client claims.
 *
 * <p>Counts {@code tidegate.webhooks{event,outcome}}; {@code event} is the
 * {@code X-GitHub-Event} header only when it is one GitHub sends (else {@code other}), so a caller
 * cannot grow the metric's cardinality. Times every delivery it reads in
 * {@value #INTAKE_TIME} (from the route to the answer, the commit included; fine buckets), so a
 * latency tail can be told apart from the time a request waits before Jetty hands it over.
 */
public final class GitHubWebhookRoutes implements RouteGroup {
    public static final String PATH = "/webhooks/github";
    public static final String INTAKE_TIME = "tidegate.webhooks.intake";
    private static final java.util.Set<String> KNOWN_EVENTS = java.util.Set.of("ping",
            "pull_request", "pull_request_review", "issue_comment", "membership", "team",
            "organization", "push", "status", "check_run", "check_suite");

    private final WebhookSignature signature;
    private final WebhookParser parser = new WebhookParser();
    private final WebhookIntake intake;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Semaphore bodies;
    private final BodyBudget budget;
    private final Timer intakeTime;
    /** The most memory a body is given before its bytes have arrived. */
    private static final int FIRST_BUFFER = 64 * 1024;

    public GitHubWebhookRoutes(WebhookSignature signature, WebhookIntake intake,
            MeterRegistry registry, Clock clock) {
        this(signature, intake, registry, clock, HttpLimits.DEFAULTS.webhookBodies());
    }

    public GitHubWebhookRoutes(WebhookSignature signature, WebhookIntake intake,
            MeterRegistry registry, Clock clock, int concurrentBodies) {
        this.signature = Objects.requireNonNull(signature, "signature == null");
        this.intake = Objects.requireNonNull(intake, "intake == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.bodies = new Semaphore(concurrentBodies);
        this.budget = BodyBudget.forHeap(Runtime.getRuntime().maxMemory(),
                WebhookParser.MAX_BODY_BYTES);
        this.intakeTime = Timer.builder(INTAKE_TIME)
                .description("Time from the webhook route to its answer, the inbox commit included")
                .serviceLevelObjectives(LatencyBuckets.fine())
                .register(registry);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) throws IOException {
        String event = ctx.header("X-GitHub-Event");
        String outcome = "error";
        // never wait for a permit: a waiting request would hold a thread all the same
        if (!bodies.tryAcquire()) {
            registry.counter("tidegate.webhooks", "event", metricEvent(event), "outcome", "busy")
                    .increment();
            busy(ctx);
            return;
        }
        long start = System.nanoTime();
        try (BodyBudget.Lease lease = budget.lease()) {
            outcome = handle(ctx, event, lease);
        } catch (BodyBudget.Exhausted e) {
            outcome = "busy";
            busy(ctx);
        } catch (ApiException e) {
            outcome = switch (e.status()) {
                case 401 -> "unauthorized";
                case 413 -> "too_large";
                default -> "malformed";
            };
            throw e;
        } finally {
            bodies.release();
            intakeTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            registry.counter("tidegate.webhooks", "event", metricEvent(event), "outcome", outcome)
                    .increment();
        }
    }

    /**
     * 503, the body not read (or not to its end); the connection is closed so Jetty does not
     * drain the unread body. Too many bodies at once, or too many of their bytes.
     */
    private static void busy(Context ctx) {
        ctx.header("Retry-After", "5").header("Connection", "close").status(503)
                .json(Map.of("error", "too many webhook deliveries are being received at once;"
                        + " the delivery was not accepted, retry later", "status", 503));
    }

    private String handle(Context ctx, String event, BodyBudget.Lease lease)
            throws IOException, BodyBudget.Exhausted {
        if (!signature.isConfigured()) {
            throw ApiException.unauthorized("no GitHub webhook secret is configured on this "
                    + "server (set GITHUB_WEBHOOK_SECRET): every webhook is refused");
        }
        long declared = ctx.contentLength();
        if (declared > WebhookParser.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (declared > budget.available()) {
            // cannot fit now: a 503 before a byte is read is one a client can take cleanly
            throw new BodyBudget.Exhausted();
        }
        byte[] body = read(ctx, declared, lease);
        try {
            signature.verify(body, ctx.header(WebhookSignature.HEADER));
        } catch (InvalidSignatureException e) {
            throw ApiException.unauthorized(e.getMessage());
        }
        WebhookEvent parsed;
        try {
            parsed = parser.parse(event, ctx.header("X-GitHub-Delivery"),
                    WebhookBody.json(ctx.header("Content-Type"), body));
        } catch (MalformedWebhookException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return answer(ctx, parsed);
    }

    private String answer(Context ctx, WebhookEvent parsed) {
        if (parsed instanceof WebhookEvent.Ignored ignored) {
            ctx.status(202).json(Map.of("ignored", ignored.why()));
            return "ignored";
        }
        if (parsed instanceof WebhookEvent.Ping) {
            ctx.status(200).json(Map.of("status", "pong"));
            return "ping";
        }
        WebhookIntake.Outcome o = intake.accept(parsed, clock.instant());
        switch (o) {
            case DUPLICATE -> {
                ctx.status(200).json(Map.of("duplicate", parsed.deliveryId()));
                return "duplicate";
            }
            case IGNORED -> {
                ctx.status(202).json(Map.of("ignored", "nothing to do for this event"));
                return "ignored";
            }
            default -> {
                ctx.status(202).json(Map.of("queued", parsed.deliveryId()));
                return "queued";
            }
        }
    }

    /**
     * The whole body, in a buffer that grows as bytes arrive: a claimed {@code Content-Length}
     * sizes at most the first {@value #FIRST_BUFFER} bytes, so a client announcing 25 MB and
     * sending one byte holds 64 KiB, not 25 MB. Typical deliveries (a few KB to tens of KB) fit
     * the first buffer and are read without copying. A body shorter than announced is a 400.
     */
    private static byte[] read(Context ctx, long declared, BodyBudget.Lease lease)
            throws BodyBudget.Exhausted {
        try (InputStream in = new LimitedInputStream(ctx.bodyInputStream(), "webhook body",
                WebhookParser.MAX_BODY_BYTES)) {
            // Exactly the announced length (up to FIRST_BUFFER): a body that ends there is
            // returned without a copy. Issue 19: the extra byte of room and the copy to size
            // were two thirds of what an intake allocated.
            byte[] buf = lease.allocate((int) Math.min(
                    declared < 0 ? 8192 : Math.max(declared, 1), FIRST_BUFFER));
            int size = 0;
            while (true) {
                if (size == buf.length) {
                    int next = in.read(); // full: the end, or a body longer than announced
                    if (next < 0) {
                        break;
                    }
                    // double, so a sender holds at most twice what it has sent; never past
                    // the announced length, so a body that ends there needs no copy to size
                    long target = (long) buf.length * 2;
                    if (declared > buf.length) {
                        target = Math.min(target, declared);
                    }
                    buf = lease.copy(buf, size, (int) Math.min(target,
                            WebhookParser.MAX_BODY_BYTES + 1));
                    buf[size++] = (byte) next;
                    continue;
                }
                int n = in.read(buf, size, buf.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
            if (declared >= 0 && size < declared) {
                throw ApiException.badRequest("the body ended after " + size + " of the "
                        + declared + " bytes its Content-Length announced");
            }
            return size == buf.length ? buf : lease.copy(buf, size, size);
        } catch (PayloadTooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            // The sender went away, sent fewer bytes than it announced, or too slowly; the
            // exception's class is Jetty's detail, not the sender's
            throw ApiException.badRequest(TruncatedBody.causedBy(e) ? TruncatedBody.message(ctx)
                    : "the body could not be read to its end");
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "webhook body is larger than "
                + WebhookParser.MAX_BODY_BYTES / (1024 * 1024) + " MB");
    }

    private static String metricEvent(String event) {
        return event != null && KNOWN_EVENTS.contains(event) ? event : "other";
    }
}
