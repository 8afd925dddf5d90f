package io.tidegate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PullRequestTextTest {
    @Test
    void checklistCountsGitHubTaskItemsTickedWithXOrCapitalX() {
        assertThat(PullRequestText.checklist("- [x] a\n* [X] b\n+ [ ] c\n1. [ ] d\n"))
                .isEqualTo(new PullRequestText.Checklist(4, 2));
    }

    @Test
    void checklistWithNoItemsIsNotComplete() {
        assertThat(PullRequestText.checklist("just text\n- a plain item\n").isComplete())
                .isFalse();
    }

    @Test
    void taskItemsInsideCodeFencesOrHtmlCommentsDoNotCount() {
        String body = "- [x] done\n```\n- [ ] example\n```\n<!-- - [ ] template -->\n";
        assertThat(PullRequestText.checklist(body)).isEqualTo(new PullRequestText.Checklist(1, 0));
    }

    @Test
    void sectionIsAHeadingFollowedByTextBeforeTheNextHeading() {
        assertThat(PullRequestText.hasSection("## Rollback plan\nRevert.\n", "Rollback plan"))
                .isTrue();
        assertThat(PullRequestText.hasSection("## Rollback plan\n\n## Next\ntext\n",
                "Rollback plan")).isFalse();
        assertThat(PullRequestText.hasSection("# rollback PLAN #\n\ntext", "Rollback plan"))
                .isTrue();
    }

    @Test
    void sectionFilledOnlyWithATemplateCommentIsEmpty() {
        assertThat(PullRequestText.hasSection("## Rollback plan\n<!-- how to undo -->\n",
                "Rollback plan")).isFalse();
    }

    @Test
    void headingTextMustMatchWholeNotAsAPrefix() {
        assertThat(PullRequestText.hasSection("## Rollback plan draft\ntext\n", "Rollback plan"))
                .isFalse();
        assertThat(PullRequestText.hasSection("Rollback plan\ntext\n", "Rollback plan")).isFalse();
    }

    @Test
    void windowsLineEndingsAreRead() {
        assertThat(PullRequestText.hasSection("## Rollback plan\r\nRevert.\r\n", "Rollback plan"))
                .isTrue();
    }
}
