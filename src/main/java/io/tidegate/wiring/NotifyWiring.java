package io.tidegate.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.notify.CloudWatchMetrics;
import io.tidegate.notify.CloudWatchPerformer;
import io.tidegate.notify.Delivery;
import io.tidegate.notify.DeliveryOutcome;
import io.tidegate.notify.DeliveryPerformer;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.notify.Notifier;
import io.tidegate.notify.NotifyEffects;
import io.tidegate.notify.OutboxDeploymentMetrics;
import io.tidegate.notify.OutboxNotificationPublisher;
import io.tidegate.notify.SlackNotifier;
import io.tidegate.notify.SlackSettings;
import io.tidegate.notify.SnsEmailNotifier;
import io.tidegate.policy.NotificationRules;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.OutboxStore;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The notification parts the server needs, built from the configuration: the publisher and the
 * deployment metrics the services call (both only enqueue), the outbox performers for
 * {@code notify.slack}, {@code notify.email} and {@code notify.cloudwatch}, and what to close.
 *
 * <p>Unconfigured parts: with neither Slack nor SNS the publisher is
 * {@link NotificationPublisher#NONE}; without a CloudWatch namespace the metrics are
 * {@link DeploymentMetrics#NONE}. Performers are registered for every kind regardless, so an
 * effect queued before a restart that removed its configuration is given up with a message
 * saying which setting is missing, not dropped as "no performer".
 *
 * @param resources close after the dispatcher stops (the AWS clients, when built)
 */
public record NotifyWiring(
        NotificationPublisher publisher,
        DeploymentMetrics deploymentMetrics,
        Map<String, EffectPerformer> performers,
        List<AutoCloseable> resources) {

    /** How long one AWS call may take before it counts as a failed attempt. */
    private static final Duration AWS_CALL_TIMEOUT = Duration.ofSeconds(10);

    public NotifyWiring {
        Objects.requireNonNull(publisher, "publisher == null");
        Objects.requireNonNull(deploymentMetrics, "deploymentMetrics == null");
        performers = Map.copyOf(performers);
        resources = List.copyOf(resources);
    }

    /**
     * Production wiring: Slack's default timeouts, AWS clients from the default credentials
     * chain, built only when SNS or CloudWatch is configured.
     */
    public static NotifyWiring build(Config config, OutboxStore outbox,
            Supplier<NotificationRules> rules, OkHttpClient http, MeterRegistry registry,
            Clock clock) {
        List<AutoCloseable> credentials = new ArrayList<>();
        NotifyWiring wiring = build(config, outbox, rules, http, registry, clock,
                SlackNotifier.Timeouts.DEFAULT, () -> defaultAws(config, credentials));
        // the credentials provider closes after the clients that use it
        List<AutoCloseable> resources = new ArrayList<>(wiring.resources());
        resources.addAll(credentials);
        return new NotifyWiring(wiring.publisher(), wiring.deploymentMetrics(),
                wiring.performers(), resources);
    }

    /** As above with Slack's timeouts and the AWS clients chosen by the caller (tests). */
    public static NotifyWiring build(Config config, OutboxStore outbox,
            Supplier<NotificationRules> rules, OkHttpClient http, MeterRegistry registry,
            Clock clock, SlackNotifier.Timeouts slackTimeouts,
            Supplier<AwsClients> awsClients) {
        SlackSettings slack = config.slackSettings();
        Optional<String> topic = config.notifications().snsTopicArn();
        Optional<String> namespace = config.notifications().cloudWatchNamespace();
        List<AutoCloseable> resources = new ArrayList<>();
        AwsClients aws = null;
        if (topic.isPresent() || namespace.isPresent()) {
            aws = awsClients.get();
            resources.add(aws);
        }

        // Always a real Slack sender: with Slack unconfigured it fails each delivery by name.
        Notifier slackSender = new SlackNotifier(http, slack, slackTimeouts, registry);
        Notifier emailSender = aws != null && topic.isPresent()
                ? new SnsEmailNotifier(aws.sns(), topic.get(), registry)
                : (d, key) -> new DeliveryOutcome.Failed("e-mail is off: SNS_TOPIC_ARN is not set");
        DeploymentMetrics cloudWatch = aws != null && namespace.isPresent()
                ? new CloudWatchMetrics(aws.cloudWatch(), namespace.get(), registry)
                : (results, key) -> new DeliveryOutcome.Failed(
                        "CloudWatch is off: TIDEGATE_CLOUDWATCH_NAMESPACE is not set");

        // Give-ups are counted by the dispatcher itself (tidegate.outbox.failures{kind}).
        Map<String, EffectPerformer> performers = Map.of(
                NotifyEffects.SLACK, new DeliveryPerformer(Delivery.Kind.SLACK, slackSender),
                NotifyEffects.EMAIL, new DeliveryPerformer(Delivery.Kind.EMAIL, emailSender),
                NotifyEffects.CLOUDWATCH, new CloudWatchPerformer(cloudWatch));

        NotificationPublisher publisher = slack.isEnabled() || topic.isPresent()
                ? new OutboxNotificationPublisher(outbox, rules, slack, topic.isPresent(), clock,
                        registry)
                : NotificationPublisher.NONE;
        DeploymentMetrics metrics = namespace.isPresent()
                ? new OutboxDeploymentMetrics(outbox, clock)
                : DeploymentMetrics.NONE;
        return new NotifyWiring(publisher, metrics, performers, resources);
    }

    private static AwsClients defaultAws(Config config, List<AutoCloseable> toClose) {
        // The default chain: environment, system properties, web identity, the ECS task role.
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        toClose.add(credentials);
        return new AwsClients(Region.of(config.aws().region()), config.aws().endpoint(),
                credentials, AWS_CALL_TIMEOUT);
    }
}
