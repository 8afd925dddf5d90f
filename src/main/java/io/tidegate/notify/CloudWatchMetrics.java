package io.tidegate.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Sends deployment results to CloudWatch with {@code PutMetricData}, in the namespace
 * {@code TIDEGATE_CLOUDWATCH_NAMESPACE}, dimension {@code Environment}:
 * <ul>
 *   <li>{@code DeploymentSuccess} and {@code DeploymentFailure}, Count, 1 or 0 for every apply,
 *       so that the average of {@code DeploymentSuccess} is the success rate and an alarm on
 *       {@code DeploymentFailure} sees zeros rather than missing data;</li>
 *   <li>{@code DeploymentDuration}, Seconds, when the duration is known.</li>
 * </ul>
 * One {@code PutMetricData} per call. CloudWatch accepts at most 1,000 data points per request,
 * so a call takes at most {@link #MAX_RESULTS_PER_CALL} results; {@link #batches} splits a
 * backlog. The timestamp is when the apply finished, so a late retry lands at the right minute.
 */
public final class CloudWatchMetrics implements DeploymentMetrics {
    private static final Logger log = LoggerFactory.getLogger(CloudWatchMetrics.class);
    /** Three data points per result, under PutMetricData's 1,000. */
    public static final int MAX_RESULTS_PER_CALL = 300;

    private final CloudWatchClient cloudWatch;
    private final String namespace;
    private final DeliveryMetrics metrics;

    public CloudWatchMetrics(CloudWatchClient cloudWatch, String namespace,
            MeterRegistry registry) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch == null");
        this.namespace = Objects.requireNonNull(namespace, "namespace == null");
        this.metrics = new DeliveryMetrics(registry);
    }

    /** Splits results into batches one call each can take, in order. */
    public static List<List<FinishedDeployment>> batches(List<FinishedDeployment> results) {
        List<List<FinishedDeployment>> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i += MAX_RESULTS_PER_CALL) {
            out.add(List.copyOf(results.subList(i,
                    Math.min(results.size(), i + MAX_RESULTS_PER_CALL))));
        }
        return out;
    }

    @Override
    public DeliveryOutcome publish(List<FinishedDeployment> results, String idempotencyKey) {
        if (results.size() > MAX_RESULTS_PER_CALL) {
            throw new IllegalArgumentException("at most " + MAX_RESULTS_PER_CALL
                    + " results per call, got " + results.size() + ": use batches()");
        }
        // Nothing to send is trivially sent; CloudWatch would reject an empty request.
        if (results.isEmpty()) {
            return DeliveryOutcome.DELIVERED;
        }
        DeliveryOutcome outcome = put(results);
        metrics.record("cloudwatch", "deployment", outcome);
        log(results.size(), idempotencyKey, outcome);
        return outcome;
    }

    private DeliveryOutcome put(List<FinishedDeployment> results) {
        try {
            cloudWatch.putMetricData(PutMetricDataRequest.builder()
                    .namespace(namespace)
                    .metricData(data(results))
                    .build());
            return DeliveryOutcome.DELIVERED;
        } catch (SdkException e) {
            return AwsOutcomes.of("CloudWatch", e);
        }
    }

    static List<MetricDatum> data(List<FinishedDeployment> results) {
        List<MetricDatum> data = new ArrayList<>();
        for (FinishedDeployment r : results) {
            data.add(datum(r, "DeploymentSuccess", r.succeeded() ? 1 : 0, StandardUnit.COUNT));
            data.add(datum(r, "DeploymentFailure", r.succeeded() ? 0 : 1, StandardUnit.COUNT));
            r.duration().ifPresent(d -> data.add(datum(r, "DeploymentDuration",
                    d.toMillis() / 1000.0, StandardUnit.SECONDS)));
        }
        return data;
    }

    private static MetricDatum datum(FinishedDeployment r, String name, double value,
            StandardUnit unit) {
        return MetricDatum.builder()
                .metricName(name)
                .dimensions(Dimension.builder().name("Environment").value(r.environment()).build())
                .timestamp(r.finishedAt())
                .value(value)
                .unit(unit)
                .build();
    }

    private static void log(int count, String key, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            log.info("cloudwatch: {} deployment result(s) sent key={}", count, key);
        } else if (outcome instanceof DeliveryOutcome.RetryLater r) {
            log.warn("cloudwatch: {} deployment result(s) key={}: will retry: {}", count, key,
                    r.why());
        } else if (outcome instanceof DeliveryOutcome.Failed f) {
            log.warn("cloudwatch: {} deployment result(s) key={}: failed: {}", count, key, f.why());
        } else {
            throw new AssertionError(outcome);
        }
    }
}
