package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowsCommandTest {
    @Test
    void listsOpenSlotsAndWhyEachGapIsClosed() {
        Cli r = Cli.run("windows", "--env", "production", "--from", "2026-12-23T12:00:00+09:00",
                "--days", "7");
        assertThat(r.lines()).containsExactly(
                "production: window production-hours (Asia/Seoul), 7 days from "
                        + "Wed 2026-12-23 12:00 KST",
                "open    Wed 2026-12-23 12:00 KST -> Wed 2026-12-23 17:00 KST",
                "closed  Wed 2026-12-23 17:00 KST -> Mon 2026-12-28 09:00 KST  freeze "
                        + "Thu 2026-12-24..Sat 2026-12-26: Christmas",
                "open    Mon 2026-12-28 09:00 KST -> Mon 2026-12-28 17:00 KST",
                "closed  Mon 2026-12-28 17:00 KST -> Tue 2026-12-29 09:00 KST  outside open hours",
                "open    Tue 2026-12-29 09:00 KST -> Tue 2026-12-29 17:00 KST",
                "closed  Tue 2026-12-29 17:00 KST -> Wed 2026-12-30 09:00 KST  outside open hours",
                "open    Wed 2026-12-30 09:00 KST -> Wed 2026-12-30 12:00 KST",
                "override: devops-lead or cto may lift it for 2h");
        assertThat(r.exit()).isEqualTo(0);
    }

    @Test
    void environmentWithoutWindowIsAlwaysOpen() {
        Cli r = Cli.run("windows", "--env", "staging", "--from", "2026-12-23T12:00:00+09:00");
        assertThat(r.lines()).containsExactly("staging: apply at any time (window: always)");
    }

    @Test
    void planOnlyEnvironmentSaysSo() {
        Cli r = Cli.run("windows", "--env", "develop");
        assertThat(r.lines()).containsExactly("develop: apply is disabled (plan only)");
    }

    @Test
    void unknownEnvironmentIsBadInput() {
        Cli r = Cli.run("windows", "--env", "prod");
        assertThat(r.err()).contains("unknown environment \"prod\" (defined: develop, "
                + "production, staging)");
        assertThat(r.exit()).isEqualTo(2);
    }
}
