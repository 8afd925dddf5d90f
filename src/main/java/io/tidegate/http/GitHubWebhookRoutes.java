package io.tidegate.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.atlantis.LimitedInputStream;
import io.tidegate.atlantis.PayloadTooLargeException;
import io.tidegate.github.InvalidSignatureException;
import io.tidegate.github.MalformedWebhookException;
import io.tidegate.github.WebhookEvent;
import io.tidegate.github.WebhookParser;
import io.tidegate.github.WebhookSignature;
import io.tidegate.review.WebhookIntake;

/**
 * {@code POST /webhooks/github}. In this order: a secret must be configured (401), the body must
 * fit in 25 MB (413, from {@code Content-Length} and again while reading), the signature must
 * match the raw bytes (401) before anything is parsed, then the headers and JSON must make sense
 * (400 naming what is wrong). An event Tidegate does not use is answered 202
 * {@code {"ignored": why}}, a delivery already stored 200, and anything else is stored in the
 * inbox and answered 202: the work happens after the reply.
 *
 * <p>Counts {@code tidegate.webhooks{event,outcome}}; {@code event} is the
 * {@code X-GitHub-Event} header only when it is one GitHub sends (else {@code other}), so a caller
 * cannot grow the metric's cardinality.
 */
public final class GitHubWebhookRoutes implements RouteGroup {
    public static final String PATH = "/webhooks/github";
    private static final java.util.Set<String> KNOWN_EVENTS = java.util.Set.of("ping",
            "pull_request", "pull_request_review", "issue_comment", "membership", "team",
            "organization", "push", "status", "check_run", "check_suite");

    private final WebhookSignature signature;
    private final WebhookParser parser = new WebhookParser();
    private final WebhookIntake intake;
    private final MeterRegistry registry;
    private final Clock clock;

    public GitHubWebhookRoutes(WebhookSignature signature, WebhookIntake intake,
            MeterRegistry registry, Clock clock) {
        this.signature = Objects.requireNonNull(signature, "signature == null");
        this.intake = Objects.requireNonNull(intake, "intake == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) throws IOException {
        String event = ctx.header("X-GitHub-Event");
        String outcome = "error";
        try {
            outcome = handle(ctx, event);
        } catch (ApiException e) {
            outcome = switch (e.status()) {
                case 401 -> "unauthorized";
                case 413 -> "too_large";
                default -> "malformed";
            };
            throw e;
        } finally {
            registry.counter("tidegate.webhooks", "event", metricEvent(event), "outcome", outcome)
                    .increment();
        }
    }

    private String handle(Context ctx, String event) throws IOException {
        if (!signature.isConfigured()) {
            throw ApiException.unauthorized("no GitHub webhook secret is configured on this "
                    + "server (set GITHUB_WEBHOOK_SECRET): every webhook is refused");
        }
        long declared = ctx.contentLength();
        if (declared > WebhookParser.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] body = read(ctx, declared);
        try {
            signature.verify(body, ctx.header(WebhookSignature.HEADER));
        } catch (InvalidSignatureException e) {
            throw ApiException.unauthorized(e.getMessage());
        }
        WebhookEvent parsed;
        try {
            parsed = parser.parse(event, ctx.header("X-GitHub-Delivery"), body);
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
     * The whole body. GitHub always sends Content-Length: the body is then read into an array of
     * exactly that size (Jetty never delivers more than announced), instead of growing buffers
     * that were two thirds of all the memory the intake allocated (JFR); a body without a
     * length is read up to the limit.
     */
    private static byte[] read(Context ctx, long declared) {
        try (InputStream in = new LimitedInputStream(ctx.bodyInputStream(), "webhook body",
                WebhookParser.MAX_BODY_BYTES)) {
            if (declared < 0) {
                return in.readAllBytes();
            }
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            if (read < body.length) {
                throw ApiException.badRequest("the body ended after " + read + " of the "
                        + declared + " bytes its Content-Length announced");
            }
            return body;
        } catch (PayloadTooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            // The sender went away or sent fewer bytes than it announced.
            throw ApiException.badRequest("the body could not be read to its end: "
                    + e.getClass().getSimpleName());
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
