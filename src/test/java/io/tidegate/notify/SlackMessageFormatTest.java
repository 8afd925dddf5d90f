package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SlackMessageFormatTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void planCompletedShowsEnvironmentPrCostAndResources() throws Exception {
        JsonNode rendered = SlackMessageFormat.render(SampleEvents.planCompleted(), List.of());

        assertThat(rendered).isEqualTo(json.readTree("""
                {"text": "Plan completed in staging: acme/infra#42 feat(infra): Add Redis cluster for application caching",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "📊 Plan completed · staging", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "*<https://github.com/acme/infra/pull/42|acme/infra#42: feat(infra): Add Redis cluster for application caching>*"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Environment*\\nstaging"},
                    {"type": "mrkdwn", "text": "*Project*\\nstaging-environment"},
                    {"type": "mrkdwn", "text": "*Author*\\nalice"},
                    {"type": "mrkdwn", "text": "*Cost change*\\n+$50.00/month (total $50.00/month)"},
                    {"type": "mrkdwn", "text": "*Resources*\\n+3 ∼1 −0"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn", "text": "Next: team review and approval."}]}],
                 "unfurl_links": false}
                """));
    }

    @Test
    void productionApplyRequestMentionsApproversInTextAndBlocks() throws Exception {
        JsonNode rendered = SlackMessageFormat.render(SampleEvents.applyRequested(),
                List.of("@devops-lead", "@cto"));

        assertThat(rendered).isEqualTo(json.readTree("""
                {"text": "@devops-lead @cto Apply waiting for approval in production: acme/infra#42 feat(infra): Add Redis cluster for application caching",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "🚨 Apply waiting for approval · production", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "@devops-lead @cto\\n*<https://github.com/acme/infra/pull/42|acme/infra#42: feat(infra): Add Redis cluster for application caching>*"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Environment*\\nproduction"},
                    {"type": "mrkdwn", "text": "*Project*\\nprod-environment"},
                    {"type": "mrkdwn", "text": "*Author*\\nalice"},
                    {"type": "mrkdwn", "text": "*Requested by*\\nbob"},
                    {"type": "mrkdwn", "text": "*Cost change*\\n+$200.00/month (total $1,450.50/month)"},
                    {"type": "mrkdwn", "text": "*Resources*\\n+3 ∼1 −0"},
                    {"type": "mrkdwn", "text": "*Approved by*\\ncarol"},
                    {"type": "mrkdwn", "text": "*Still needed*\\n1 more approval from devops-lead or cto"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "Approve the pull request on GitHub, then comment ˋatlantis apply -p prod-environmentˋ."}]}],
                 "link_names": true,
                 "unfurl_links": false}
                """));
    }

    @Test
    void applyFailedShowsWhatFailedInACodeBlockAndPagesOncall() throws Exception {
        JsonNode rendered = SlackMessageFormat.render(SampleEvents.applyFailed(),
                List.of("@devops-oncall"));

        assertThat(rendered).isEqualTo(json.readTree("""
                {"text": "@devops-oncall Apply failed in production: acme/infra#42 feat(infra): Add Redis cluster for application caching",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "❌ Apply failed · production", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "@devops-oncall\\n*<https://github.com/acme/infra/pull/42|acme/infra#42: feat(infra): Add Redis cluster for application caching>*"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Environment*\\nproduction"},
                    {"type": "mrkdwn", "text": "*Project*\\nprod-environment"},
                    {"type": "mrkdwn", "text": "*Author*\\nalice"},
                    {"type": "mrkdwn", "text": "*Applied by*\\nbob"},
                    {"type": "mrkdwn", "text": "*Approved by*\\ncarol, dave"}]},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "*What failed*\\n```Error: creating ElastiCache Cluster (prod-redis): CacheClusterAlreadyExists\\nwith module.redis.aws_elasticache_cluster.this```"}},
                  {"type": "context", "elements": [{"type": "mrkdwn", "text": "Respond now: roll back or fix forward."}]}],
                 "link_names": true,
                 "unfurl_links": false}
                """));
    }

    @Test
    void userTextIsEscapedSoItCannotForgeLinksOrMentions() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 7, "<!channel> a|b & c",
                URI.create("https://github.com/acme/infra/pull/7"), "mallory");
        NotificationEvent.FreezeBlocked event = new NotificationEvent.FreezeBlocked("production",
                pr, SampleEvents.PROD, "mallory", "window <opens> Mon 09:00 KST");

        JsonNode rendered = SlackMessageFormat.render(event, List.of());

        assertThat(rendered.path("text").asText()).isEqualTo(
                "Apply blocked by deployment window in production: acme/infra#7 &lt;!channel&gt; a∣b &amp; c");
        assertThat(rendered.at("/blocks/1/text/text").asText()).isEqualTo(
                "*<https://github.com/acme/infra/pull/7|acme/infra#7: &lt;!channel&gt; a∣b &amp; c>*");
        assertThat(rendered.at("/blocks/3/text/text").asText()).isEqualTo(
                "*Why*\n```window &lt;opens&gt; Mon 09:00 KST```");
    }

    @Test
    void longErrorIsCutToFitASlackSection() {
        NotificationEvent.ApplyFailed event = new NotificationEvent.ApplyFailed("staging",
                SampleEvents.PR, SampleEvents.STAGING, "bob", List.of(), "x".repeat(10_000));

        String detail = SlackMessageFormat.render(event, List.of())
                .at("/blocks/3/text/text").asText();

        assertThat(detail).hasSizeLessThanOrEqualTo(3000).endsWith("…```");
    }

    @Test
    void slackMentionSyntaxPassesThroughUnescaped() {
        JsonNode rendered = SlackMessageFormat.render(SampleEvents.applyFailed(),
                List.of("<!subteam^S0123|@devops-oncall>"));

        assertThat(rendered.path("text").asText()).startsWith(
                "<!subteam^S0123|@devops-oncall> Apply failed in production: ");
        assertThat(rendered.at("/blocks/1/text/text").asText())
                .startsWith("<!subteam^S0123|@devops-oncall>\n*<https://");
    }

    @Test
    void applyResultMissingTellsTheOnCallTheOutcomeIsUnknown() throws Exception {
        JsonNode rendered = SlackMessageFormat.render(SampleEvents.applyResultMissing(),
                List.of("@devops-oncall"));

        assertThat(rendered).isEqualTo(json.readTree("""
                {"text": "@devops-oncall Apply result never arrived in production: acme/infra#42 feat(infra): Add Redis cluster for application caching",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "❓ Apply result never arrived · production", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "@devops-oncall\\n*<https://github.com/acme/infra/pull/42|acme/infra#42: feat(infra): Add Redis cluster for application caching>*"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Environment*\\nproduction"},
                    {"type": "mrkdwn", "text": "*Project*\\nprod-environment"},
                    {"type": "mrkdwn", "text": "*Author*\\nalice"},
                    {"type": "mrkdwn", "text": "*Applied by*\\nbob"},
                    {"type": "mrkdwn", "text": "*Started*\\n2026-11-23T01:00:00Z"},
                    {"type": "mrkdwn", "text": "*Waited*\\n30m 00s"}]},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "*What happened*\\n```Atlantis did not report how this apply ended within 30m 00s, the environment's lock time. The lock has lapsed, so another apply may start. The apply may have succeeded, failed or still be running; the deployment is recorded as unknown until its result arrives.```"}},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "Check the apply comment on the pull request and Atlantis's logs and webhook settings; treat the environment as possibly half-applied."}]}],
                 "link_names": true,
                 "unfurl_links": false}
                """));
    }

    @Test
    void titleWithLineBreaksAndMentionsIsOneInertLineInTextAndLink() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 7,
                "Fix cache\r\n@here please <@U0123>\tnow", URI.create(
                        "https://github.com/acme/infra/pull/7"), "mallory");
        NotificationEvent.FreezeBlocked event = new NotificationEvent.FreezeBlocked("production",
                pr, SampleEvents.PROD, "mallory", "closed");

        JsonNode rendered = SlackMessageFormat.render(event, List.of("@devops-lead"));

        // the policy's mention still pings; the title's "@here" is broken by a zero-width space
        assertThat(rendered.path("text").asText()).isEqualTo("@devops-lead Apply blocked by "
                + "deployment window in production: acme/infra#7 Fix cache @\u200Bhere please "
                + "&lt;@\u200BU0123&gt; now");
        assertThat(rendered.at("/blocks/1/text/text").asText()).isEqualTo("@devops-lead\n"
                + "*<https://github.com/acme/infra/pull/7|acme/infra#7: Fix cache @\u200Bhere "
                + "please &lt;@\u200BU0123&gt; now>*");
    }

    @Test
    void onlyThePolicysMentionsPingAndLinkNamesIsSetOnlyForAHandle() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 7, "@channel *ready* ~x~",
                URI.create("https://github.com/acme/infra/pull/7"), "mallory");
        NotificationEvent.FreezeBlocked event = new NotificationEvent.FreezeBlocked("production",
                pr, SampleEvents.PROD, "mallory", "closed");

        JsonNode special = SlackMessageFormat.render(event, List.of("@here", "<!subteam^S01>"));
        JsonNode none = SlackMessageFormat.render(event, List.of());

        assertThat(special.path("text").asText()).startsWith("<!here> <!subteam^S01> Apply")
                .endsWith("@\u200Bchannel \u2217ready\u2217 \u223Cx\u223C");
        assertThat(special.has("link_names")).isFalse();
        assertThat(none.has("link_names")).isFalse();
        assertThat(none.toString()).doesNotContain("@channel", "<!");
    }

    @Test
    void unknownTitleLeavesNoDanglingSeparator() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 7, "",
                URI.create("https://github.com/acme/infra/pull/7"), "alice");
        NotificationEvent.PlanCompleted event = new NotificationEvent.PlanCompleted("staging",
                pr, SampleEvents.STAGING, io.tidegate.decision.CostChange.UNKNOWN,
                io.tidegate.decision.PlanChange.EMPTY);

        JsonNode rendered = SlackMessageFormat.render(event, List.of());

        assertThat(rendered.path("text").asText())
                .isEqualTo("Plan completed in staging: acme/infra#7");
        assertThat(rendered.at("/blocks/1/text/text").asText())
                .isEqualTo("*<https://github.com/acme/infra/pull/7|acme/infra#7>*");
    }
}
