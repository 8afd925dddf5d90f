package io.tidegate.atlantis;

import java.util.Optional;

import io.tidegate.decision.Command;

/**
 * The stage of a server-side Atlantis workflow a {@code tidegate-hook gate} step runs in, and
 * the command the policy judges it as. Atlantis v0.47 workflows have {@code plan},
 * {@code apply}, {@code import} and {@code state_rm} stages
 * ({@code server/core/config/raw/workflow.go}, {@code Workflow}); {@code import} and
 * {@code state_rm} change state as an apply does, so they are judged as applies of the project
 * (roles, approvals, window, lock) while the audit row names the stage.
 */
public enum Stage {
    PLAN(Command.PLAN),
    APPLY(Command.APPLY),
    IMPORT(Command.APPLY),
    STATE_RM(Command.APPLY);

    private final Command judgedAs;

    Stage(Command judgedAs) {
        this.judgedAs = judgedAs;
    }

    /** The command the policy decides for this stage. */
    public Command judgedAs() {
        return judgedAs;
    }

    /** The stage's name in {@code repos.yaml} and in the gate request: {@code state_rm}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The PR comment that runs this stage: {@code atlantis state rm}. */
    public String comment() {
        return "atlantis " + (this == STATE_RM ? "state rm" : word());
    }

    /** Whether Atlantis reports this stage's result through its {@code http} webhook. */
    public boolean isReportedByAtlantis() {
        // Only doApply sends webhooks.ApplyResult (server/events/project_command_runner.go).
        return this == APPLY;
    }

    public static Optional<Stage> of(String word) {
        for (Stage s : values()) {
            if (s.word().equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The stage a plain command runs in. */
    public static Stage of(Command command) {
        return command == Command.PLAN ? PLAN : APPLY;
    }
}
