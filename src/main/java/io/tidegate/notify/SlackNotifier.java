package io.tidegate.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.notify.SlackSettings.Destination;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a Slack {@link Delivery} once, to the channel's incoming webhook or with the bot token
 * through {@code chat.postMessage} ({@link SlackSettings} decides which).
 *
 * <p>Slack's answers, as its docs describe them, become outcomes: 2xx is delivered, except that
 * the Web API answers 200 with {@code {"ok":false,"error":...}} for its failures; 429 is retried
 * after its {@code Retry-After}; 408 and 5xx are retried; any other 4xx (bad payload, unknown or
 * archived channel, revoked webhook) fails for good. Timeouts and connection errors are retried.
 *
 * <p>A delivery that cannot become a request (a webhook that is not a URL, a body that is not
 * JSON) fails for good rather than throwing.
 *
 * <p>Uses the process's one {@link OkHttpClient}: {@code newBuilder()} shares its connection
 * pool and threads and only sets this sender's timeouts. Logs name the channel and the
 * idempotency key, never the webhook URL or token.
 */
public final class SlackNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int EXCERPT_MAX = 200;

    /** How long one attempt may take: to connect, between bytes, and in all. */
    public record Timeouts(Duration connect, Duration read, Duration call) {
        public static final Timeouts DEFAULT =
                new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15));

        public Timeouts {
            Objects.requireNonNull(connect, "connect == null");
            Objects.requireNonNull(read, "read == null");
            Objects.requireNonNull(call, "call == null");
        }
    }

    private final OkHttpClient http;
    private final SlackSettings settings;
    private final DeliveryMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public SlackNotifier(OkHttpClient shared, SlackSettings settings, Timeouts timeouts,
            MeterRegistry registry) {
        Objects.requireNonNull(shared, "shared == null");
        Objects.requireNonNull(timeouts, "timeouts == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.metrics = new DeliveryMetrics(registry);
        this.http = shared.newBuilder()
                .connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read())
                .writeTimeout(timeouts.read())
                .callTimeout(timeouts.call())
                .build();
    }

    @Override
    public DeliveryOutcome deliver(Delivery delivery, String idempotencyKey) {
        if (delivery.kind() != Delivery.Kind.SLACK) {
            throw new IllegalArgumentException("not a Slack delivery: " + delivery.kind());
        }
        DeliveryOutcome outcome = settings.destination(delivery.target())
                .map(d -> post(d, delivery, idempotencyKey))
                .orElseGet(() -> new DeliveryOutcome.Failed("no Slack webhook or bot token for "
                        + delivery.target() + " (set SLACK_WEBHOOK_URL_"
                        + SlackSettings.channelKey(delivery.target()) + ", SLACK_BOT_TOKEN or "
                        + "SLACK_WEBHOOK_URL)"));
        metrics.record(delivery, outcome);
        DeliveryMetrics.log(log, delivery, idempotencyKey, outcome);
        return outcome;
    }

    private DeliveryOutcome post(Destination destination, Delivery delivery, String key) {
        Request request;
        try {
            request = request(destination, delivery, key);
        } catch (InvalidRequestException e) {
            return new DeliveryOutcome.Failed(e.getMessage());
        } catch (IllegalArgumentException e) {
            // OkHttp rejected a header value; it leaves Authorization's value out of the message.
            return new DeliveryOutcome.Failed("could not build the Slack request: "
                    + e.getMessage());
        }
        return call(request, destination instanceof Destination.BotPost);
    }

    private Request request(Destination destination, Delivery delivery, String key)
            throws InvalidRequestException {
        if (destination instanceof Destination.Webhook w) {
            return webhookRequest(w, delivery, key);
        }
        if (destination instanceof Destination.BotPost b) {
            return botRequest(b, delivery, key);
        }
        throw new AssertionError(destination);
    }

    /** A delivery that cannot become a request: retrying cannot help. */
    private static final class InvalidRequestException extends Exception {
        InvalidRequestException(String message) {
            super(message);
        }
    }

    private Request webhookRequest(Destination.Webhook webhook, Delivery delivery, String key)
            throws InvalidRequestException {
        HttpUrl url = HttpUrl.parse(webhook.url().value());
        // OkHttp's own message would quote the URL, which is the credential.
        if (url == null) {
            throw new InvalidRequestException("the Slack webhook for " + delivery.target()
                    + " is not a valid http(s) URL (value hidden)");
        }
        return new Request.Builder()
                .url(url)
                .header("X-Tidegate-Idempotency-Key", key)
                .post(RequestBody.create(delivery.body(), JSON))
                .build();
    }

    private Request botRequest(Destination.BotPost bot, Delivery delivery, String key)
            throws InvalidRequestException {
        return new Request.Builder()
                .url(settings.apiUrl().toString().replaceAll("/+$", "") + "/chat.postMessage")
                .header("Authorization", "Bearer " + settings.botToken().value())
                .header("X-Tidegate-Idempotency-Key", key)
                .post(RequestBody.create(withChannel(delivery.body(), bot.channel()), JSON))
                .build();
    }

    /** The rendered message with {@code channel} first, as chat.postMessage needs it. */
    private String withChannel(String body, String channel) throws InvalidRequestException {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (IOException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            throw new InvalidRequestException("the Slack delivery body is not a JSON object");
        }
        ObjectNode withChannel = json.createObjectNode().put("channel", channel);
        withChannel.setAll((ObjectNode) message);
        return withChannel.toString();
    }

    private DeliveryOutcome call(Request request, boolean webApi) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            return webApi && response.isSuccessful()
                    ? webApiOutcome(body)
                    : httpOutcome(response, body);
        } catch (IOException e) {
            // Timed out, refused, reset, unknown host: Slack may be back in a moment.
            return DeliveryOutcome.retryLater("Slack unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Status codes per Slack's "Handling errors" and "Rate limits" pages. */
    static DeliveryOutcome httpOutcome(Response response, String body) {
        int code = response.code();
        String said = "Slack answered " + code + excerpt(body);
        // 2xx: an incoming webhook answers 200 "ok".
        if (response.isSuccessful()) {
            return DeliveryOutcome.DELIVERED;
        }
        // 429: rate limited; Retry-After says how many seconds to wait.
        if (code == 429) {
            return new DeliveryOutcome.RetryLater(retryAfter(response.header("Retry-After")), said);
        }
        // 408 and 5xx: Slack's side is slow or broken, the message itself may be fine. A 503
        // may say when to come back (RFC 9110, section 10.2.3).
        if (code == 408 || code >= 500) {
            return new DeliveryOutcome.RetryLater(retryAfter(response.header("Retry-After")), said);
        }
        // Any other 4xx (invalid_payload, no_service, channel_not_found, channel_is_archived,
        // invalid_token): the same request will fail again.
        return new DeliveryOutcome.Failed(said);
    }

    /** The Web API's 200 answers: {"ok":true} or {"ok":false,"error":"..."}. */
    DeliveryOutcome webApiOutcome(String body) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            return DeliveryOutcome.retryLater("Slack answered 200 without JSON" + excerpt(body));
        }
        if (answer.path("ok").asBoolean(false)) {
            return DeliveryOutcome.DELIVERED;
        }
        String error = answer.path("error").asText("unknown_error");
        String said = "Slack chat.postMessage failed: " + error;
        return isTransient(error)
                ? DeliveryOutcome.retryLater(said)
                : new DeliveryOutcome.Failed(said);
    }

    /** chat.postMessage errors that Slack documents as temporary. */
    private static boolean isTransient(String error) {
        switch (error) {
            case "ratelimited", "rate_limited", "internal_error", "fatal_error",
                    "service_unavailable", "request_timeout", "team_added_to_org":
                return true;
            default:
                return false;
        }
    }

    /** Seconds (Slack sends a whole number); anything else means Slack gave no wish. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        if (oneLine.isEmpty()) {
            return "";
        }
        return ": " + (oneLine.length() <= EXCERPT_MAX ? oneLine
                : oneLine.substring(0, EXCERPT_MAX) + "…");
    }
}
