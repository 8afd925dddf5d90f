package io.tidegate.review;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.Freeze;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.HeldLock;
import io.tidegate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Environment-wide actions taken on demand, from a PR comment ({@link CommentCommands}, after
 * checking the commenter's {@code freeze.by} role) or the API (the operator's token): freeze,
 * unfreeze, release the apply lock. Each is stored, audited (command {@code freeze},
 * {@code unfreeze}, {@code unlock}), notified ({@code freeze_started}, {@code freeze_ended},
 * {@code lock_released}) and re-evaluates the environment's PRs ({@link EnvironmentReviews}).
 * Who may is the caller's question; what is valid (a known environment, an end in the future) is
 * checked here and refused with {@link IllegalArgumentException} naming the problem.
 * Safe for concurrent use.
 */
public final class EnvironmentControl {
    /** A freeze ends within a year, or is open-ended: a typo'd year must not freeze for ten. */
    static final Duration MAX_FREEZE = Duration.ofDays(366);
    /** Audit rows of actions asked through the API have no repository; this stands for it. */
    public static final String API_REPO = "(api)";
    private static final Logger log = LoggerFactory.getLogger(EnvironmentControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final PolicySource policies;
    private final NotificationPublisher notifications;
    private final EnvironmentReviews reviews;
    private final Clock clock;

    public EnvironmentControl(Store store, PolicySource policies,
            NotificationPublisher notifications, EnvironmentReviews reviews, Clock clock) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.notifications = Objects.requireNonNull(notifications, "notifications == null");
        this.reviews = Objects.requireNonNull(reviews, "reviews == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * Who asked and where: {@code link} and {@code headSha} when asked on a PR (the audit row is
     * the PR's), empty for the API.
     */
    public record Asked(String actor, Optional<PullRequestLink> link, String headSha) {
        public Asked {
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(link, "link == null");
            Objects.requireNonNull(headSha, "headSha == null");
        }

        public static Asked api(String actor) {
            return new Asked(actor, Optional.empty(), "");
        }
    }

    /** What an action did, and how many PRs it asked to re-evaluate. */
    public record Done<T>(T what, int reviewed) {}

    /** Freezes {@code environment} from now until {@code until} (empty: until unfrozen). */
    public Done<Freeze> freeze(String environment, Optional<Instant> until, String reason,
            boolean overridable, Asked asked) {
        Instant now = clock.instant();
        known(environment);
        until.ifPresent(u -> checkEnd(u, now));
        Freeze f = new Freeze(environment, asked.actor(), reason, now, until, overridable);
        store.freezes().put(f);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("until", until.map(Instant::toString).orElse(null));
        details.put("overridable", overridable);
        audit("freeze", environment, List.of("freeze-active"), details, asked, now);
        publish(new NotificationEvent.FreezeStarted(environment, asked.actor(), reason, until,
                overridable, asked.link()));
        return new Done<>(f, reviews.frozenOrThawed(environment));
    }

    /** Lifts the environment's freeze; empty when none was in force. */
    public Done<Optional<Freeze>> unfreeze(String environment, Asked asked) {
        Instant now = clock.instant();
        known(environment);
        Optional<Freeze> ended = store.freezes().remove(environment, now);
        if (ended.isEmpty()) {
            return new Done<>(ended, 0);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("frozenBy", ended.get().by());
        details.put("reason", ended.get().reason());
        audit("unfreeze", environment, List.of(), details, asked, now);
        publish(new NotificationEvent.FreezeEnded(environment, asked.actor(), ended.get().by(),
                ended.get().reason(), asked.link()));
        return new Done<>(ended, reviews.frozenOrThawed(environment));
    }

    /** Releases the environment's apply lock whoever holds it; empty when it was free. */
    public Done<Optional<HeldLock>> unlock(String environment, String reason, Asked asked) {
        Instant now = clock.instant();
        known(environment);
        Optional<HeldLock> held = store.locks().current(environment, now);
        // Released only if that holder still has it: a lock taken meanwhile is someone else's.
        if (held.isEmpty() || !store.locks().release(environment, held.get().owner())) {
            return new Done<>(Optional.empty(), 0);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("holder", held.get().owner());
        details.put("reason", reason);
        details.put("expiresAt", held.get().expiresAt().toString());
        audit("unlock", environment, List.of(), details, asked, now);
        publish(new NotificationEvent.LockReleased(environment, asked.actor(),
                held.get().owner(), reason, asked.link()));
        return new Done<>(held, reviews.unlocked(environment));
    }

    /**
     * The instant {@code text} names: {@code 2026-12-27T09:00[:00]} in {@code zone}, or with
     * {@code Z} / an offset as written.
     */
    public static Instant instant(String text, ZoneId zone) {
        try {
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a date and time such as "
                    + "2026-12-27T09:00 or 2026-12-27T09:00+09:00");
        }
    }

    /** The zone a local {@code --until} is read in: the environment's window's, else the policy's. */
    public ZoneId zoneOf(String environment) {
        PolicySet policy = withEnvironment(environment).orElse(policies.current());
        return policy.environment(environment).map(Environment::apply)
                .map(Environment.ApplyRule::window).flatMap(policy::window)
                .map(w -> w.zone()).orElse(policy.timezone());
    }

    /** The policy's environments, for messages. */
    public List<String> environments() {
        return policies.current().governing().stream().flatMap(p -> p.environments().stream())
                .map(Environment::name).distinct().toList();
    }

    private void known(String environment) {
        if (withEnvironment(environment).isEmpty()) {
            throw new IllegalArgumentException("the policy has no environment \"" + environment
                    + "\" (environments: " + String.join(", ", environments()) + ")");
        }
    }

    /** The (first repository's) policy that has the environment; freezes go by name. */
    private Optional<PolicySet> withEnvironment(String environment) {
        return policies.current().governing().stream()
                .filter(p -> p.environment(environment).isPresent()).findFirst();
    }

    private static void checkEnd(Instant until, Instant now) {
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("the freeze would end at " + until
                    + ", which is not in the future");
        }
        if (until.isAfter(now.plus(MAX_FREEZE))) {
            throw new IllegalArgumentException("the freeze would end at " + until
                    + ", more than 366 days from now; freeze without an end instead");
        }
    }

    private void audit(String command, String environment, List<String> codes,
            Map<String, Object> details, Asked asked, Instant now) {
        String repo = asked.link().map(PullRequestLink::repo).orElse(API_REPO);
        int pr = asked.link().map(PullRequestLink::number).orElse(0);
        store.audit().append(new AuditRecord(now, repo, pr, asked.headSha(), "", environment,
                command, asked.actor(), "allow", codes, "sha256:" + policies.current().sha256(),
                json(details)));
    }

    private void publish(NotificationEvent event) {
        try {
            notifications.publish(event);
        } catch (RuntimeException e) {
            // The action stands and is audited; a lost notification must not undo it.
            log.warn("{} notification for {} not queued: {}", event.type().key(),
                    event.environment(), e.toString());
        }
    }

    private static String json(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values could not be written as JSON", e);
        }
    }
}
