package io.tidegate.atlantis;

import java.util.Objects;

import io.tidegate.decision.Command;

/**
 * A {@code tidegate-hook gate} call: may {@code command} run now in this context?
 * {@code stage} is the workflow stage the step runs in; {@code command} is what the policy
 * judges ({@link Stage#judgedAs()}).
 */
public record GateRequest(Command command, RunContext context, Stage stage) {
    public GateRequest {
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(context, "context == null");
        Objects.requireNonNull(stage, "stage == null");
        if (stage.judgedAs() != command) {
            throw new IllegalArgumentException("stage " + stage.word() + " is judged as "
                    + stage.judgedAs().word() + ", not " + command.word());
        }
    }

    /** A gate call from the plan or apply stage. */
    public GateRequest(Command command, RunContext context) {
        this(command, context, Stage.of(command));
    }

    public GateRequest(Stage stage, RunContext context) {
        this(stage.judgedAs(), context, stage);
    }
}
