package io.tidegate.notify;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Sends an e-mail {@link Delivery} by publishing its subject and text to an SNS topic
 * ({@code SNS_TOPIC_ARN}); the topic's e-mail subscriptions do the mailing. One {@code Publish}
 * per attempt: the client is built without SDK retries ({@code AwsClients}).
 *
 * <p>Standard topics cannot deduplicate, so delivery is at least once. A FIFO topic (ARN ending
 * in {@code .fifo}) gets the idempotency key as {@code MessageDeduplicationId}, and SNS drops a
 * repeat within its five-minute deduplication interval.
 */
public final class SnsEmailNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(SnsEmailNotifier.class);
    /** SNS: MessageDeduplicationId is at most 128 characters. */
    private static final int DEDUPLICATION_ID_MAX = 128;

    private final SnsClient sns;
    private final String topicArn;
    private final DeliveryMetrics metrics;

    public SnsEmailNotifier(SnsClient sns, String topicArn, MeterRegistry registry) {
        this.sns = Objects.requireNonNull(sns, "sns == null");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn == null");
        this.metrics = new DeliveryMetrics(registry);
    }

    @Override
    public DeliveryOutcome deliver(Delivery delivery, String idempotencyKey) {
        if (delivery.kind() != Delivery.Kind.EMAIL) {
            throw new IllegalArgumentException("not an e-mail delivery: " + delivery.kind());
        }
        DeliveryOutcome outcome = publish(delivery, idempotencyKey);
        metrics.record(delivery, outcome);
        DeliveryMetrics.log(log, delivery, idempotencyKey, outcome);
        return outcome;
    }

    private DeliveryOutcome publish(Delivery delivery, String key) {
        try {
            sns.publish(request(delivery, key));
            return DeliveryOutcome.DELIVERED;
        } catch (SdkException e) {
            return AwsOutcomes.of("SNS", e);
        }
    }

    private PublishRequest request(Delivery delivery, String key) {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(topicArn)
                .subject(EmailFormat.subject(delivery.subject()))
                .message(delivery.body());
        // FIFO topics require a group and accept a deduplication id; standard topics reject both.
        if (topicArn.endsWith(".fifo")) {
            request.messageGroupId("tidegate")
                    .messageDeduplicationId(deduplicationId(key));
        }
        return request.build();
    }

    /** SNS allows letters, digits and punctuation, at most 128 characters. */
    static String deduplicationId(String key) {
        String cleaned = key.replaceAll("[^\\x21-\\x7e]", "_");
        return cleaned.length() <= DEDUPLICATION_ID_MAX
                ? cleaned
                : cleaned.substring(0, DEDUPLICATION_ID_MAX);
    }
}
