package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import io.tidegate.decision.CostChange;
import org.junit.jupiter.api.Test;

class EmailFormatTest {
    @Test
    void applyFailedMailListsTheFactsAndTheError() {
        EmailFormat.Email email = EmailFormat.render(SampleEvents.applyFailed());

        assertThat(email.subject()).isEqualTo(
                "[Tidegate] Apply failed in production: acme/infra#42 feat(infra): Add Redis cluster for applicat...");
        assertThat(email.body()).isEqualTo("""
                Apply failed in production

                Pull request:  acme/infra#42 feat(infra): Add Redis cluster for application caching
                Link:          https://github.com/acme/infra/pull/42
                Environment:   production
                Project:       prod-environment
                Author:        alice
                Applied by:    bob
                Approved by:   carol, dave

                What failed:
                Error: creating ElastiCache Cluster (prod-redis): CacheClusterAlreadyExists
                  with module.redis.aws_elasticache_cluster.this

                Respond now: roll back or fix forward.
                """);
    }

    @Test
    void overrideMailStatesRuleAndReason() {
        NotificationEvent.OverrideUsed event = new NotificationEvent.OverrideUsed("production",
                SampleEvents.PR, SampleEvents.PROD, "dave", "production deployment window",
                "Security patch for CVE-2026-1234");

        EmailFormat.Email email = EmailFormat.render(event);

        assertThat(email.body()).isEqualTo("""
                Policy override used in production

                Pull request:    acme/infra#42 feat(infra): Add Redis cluster for application caching
                Link:            https://github.com/acme/infra/pull/42
                Environment:     production
                Project:         prod-environment
                Author:          alice
                Overridden by:   dave
                Rule set aside:  production deployment window

                Reason:
                Security patch for CVE-2026-1234

                Review the override in the audit log.
                """);
    }

    @Test
    void subjectIsOneAsciiLineUnderOneHundredCharacters() {
        String subject = EmailFormat.subject("[Tidegate] 배포\nfailed \u2212 " + "x".repeat(200));

        assertThat(subject).hasSize(99).startsWith("[Tidegate] failed - xxx").endsWith("...")
                .matches("[\\x20-\\x7e]+");
    }

    @Test
    void unknownCostSaysUnknownNeverZero() {
        assertThat(MessageContent.cost(CostChange.UNKNOWN)).isEqualTo("unknown");
        assertThat(MessageContent.cost(new CostChange(
                Optional.of(new java.math.BigDecimal("-560.64")), Optional.empty())))
                .isEqualTo("\u2212$560.64/month");
    }

    @Test
    void hugeErrorIsCutToFitAnSnsMessage() {
        NotificationEvent.ApplyFailed event = new NotificationEvent.ApplyFailed("staging",
                SampleEvents.PR, SampleEvents.STAGING, "bob", java.util.List.of(),
                "x".repeat(300_000));

        String body = EmailFormat.render(event).body();

        assertThat(body.length()).isLessThan(256 * 1024);
        assertThat(body).contains("\n[... cut: 200000 more characters]\n");
    }

    @Test
    void applyResultMissingMailSaysTheOutcomeIsUnknown() {
        EmailFormat.Email email = EmailFormat.render(SampleEvents.applyResultMissing());

        assertThat(email.subject()).isEqualTo("[Tidegate] Apply result never arrived in "
                + "production: acme/infra#42 feat(infra): Add Redis cluste...");
        assertThat(email.body()).isEqualTo("""
                Apply result never arrived in production

                Pull request:  acme/infra#42 feat(infra): Add Redis cluster for application caching
                Link:          https://github.com/acme/infra/pull/42
                Environment:   production
                Project:       prod-environment
                Author:        alice
                Applied by:    bob
                Started:       2026-11-23T01:00:00Z
                Waited:        30m 00s

                What happened:
                Atlantis did not report how this apply ended within 30m 00s, the environment's \
                lock time. The lock has lapsed, so another apply may start. The apply may have \
                succeeded, failed or still be running; the deployment is recorded as unknown \
                until its result arrives.

                Check the apply comment on the pull request and Atlantis's logs and webhook \
                settings; treat the environment as possibly half-applied.
                """);
    }

    @Test
    void multiLineTitleIsOneLineInSubjectAndBody() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 7, "캐시 추가\nBcc: all@acme.io",
                java.net.URI.create("https://github.com/acme/infra/pull/7"), "alice");
        NotificationEvent.FreezeBlocked event = new NotificationEvent.FreezeBlocked("production",
                pr, SampleEvents.PROD, "bob", "closed");

        EmailFormat.Email email = EmailFormat.render(event);

        assertThat(email.subject()).isEqualTo("[Tidegate] Apply blocked by deployment window in "
                + "production: acme/infra#7 Bcc: all@acme.io");
        assertThat(email.body()).contains("Pull request:  acme/infra#7 캐시 추가 Bcc: all@acme.io\n"
                + "Link:  ");
    }
}
