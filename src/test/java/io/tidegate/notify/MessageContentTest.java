package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.notify.MessageContent.Field;
import org.junit.jupiter.api.Test;

class MessageContentTest {
    @Test
    void applyCompletedListsWhoAppliedWhoApprovedAndHowLong() {
        MessageContent content = MessageContent.of(SampleEvents.applyCompleted());

        assertThat(content).isEqualTo(new MessageContent("✅", "Apply completed", List.of(
                new Field("Environment", "production"),
                new Field("Project", "prod-environment"),
                new Field("Author", "alice"),
                new Field("Applied by", "bob"),
                new Field("Approved by", "carol, dave"),
                new Field("Cost change", "+$200.00/month (total $1,450.50/month)"),
                new Field("Resources", "+3 ~1 \u22120"),
                new Field("Duration", "4m 05s")),
                Optional.empty(), "Check the service's dashboards and alarms."));
    }

    @Test
    void budgetWarningShowsTotalAgainstBudgetAndThreshold() {
        NotificationEvent.BudgetWarning event = new NotificationEvent.BudgetWarning("production",
                SampleEvents.PR, SampleEvents.PROD, SampleEvents.COST, new BigDecimal("1650"),
                new BigDecimal("2000"), 75);

        assertThat(MessageContent.of(event).fields()).containsExactly(
                new Field("Environment", "production"),
                new Field("Project", "prod-environment"),
                new Field("Author", "alice"),
                new Field("Cost change", "+$200.00/month (total $1,450.50/month)"),
                new Field("Monthly total", "$1,650.00 of $2,000.00 budget (83%)"),
                new Field("Alert at", "75%"));
    }

    @Test
    void freezeBlockedSaysWhyAndWhatToDo() {
        NotificationEvent.FreezeBlocked event = new NotificationEvent.FreezeBlocked("production",
                SampleEvents.PR, SampleEvents.PROD, "bob",
                "production is frozen Dec 24-26; the window opens Mon 09:00 KST");

        MessageContent content = MessageContent.of(event);

        assertThat(content.title()).isEqualTo("Apply blocked by deployment window");
        assertThat(content.detail()).contains(new Field("Why",
                "production is frozen Dec 24-26; the window opens Mon 09:00 KST"));
        assertThat(content.nextStep())
                .isEqualTo("Apply when the window opens, or ask for an emergency override.");
    }

    @Test
    void applyRequestForUnnamedProjectSpellsDirAndWorkspace() {
        assertThat(MessageContent.applyCommand(new ProjectRef("", "environments/prod", "prod")))
                .isEqualTo("atlantis apply -d environments/prod -w prod");
    }

    @Test
    void costChangeWithoutTotalShowsTheIncreaseAlone() {
        assertThat(MessageContent.cost(new CostChange(Optional.of(new BigDecimal("0.876")),
                Optional.empty()))).isEqualTo("+$0.88/month");
        assertThat(MessageContent.cost(new CostChange(Optional.empty(),
                Optional.of(new BigDecimal("81.122"))))).isEqualTo("unknown (total $81.12/month)");
    }

    @Test
    void durationsReadAsHoursMinutesSeconds() {
        assertThat(MessageContent.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        // to the nearest second, as the store and the apply reply round it
        assertThat(MessageContent.duration(Duration.ofMillis(54_600))).isEqualTo("55s");
        assertThat(MessageContent.duration(Duration.ofMinutes(62))).isEqualTo("1h 02m");
    }
}
