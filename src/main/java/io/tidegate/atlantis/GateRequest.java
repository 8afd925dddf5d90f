package io.tidegate.atlantis;

import java.util.Objects;

import io.tidegate.decision.Command;

/** A {@code tidegate-hook gate} call: may {@code command} run now in this context? */
public record GateRequest(Command command, RunContext context) {
    public GateRequest {
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(context, "context == null");
    }
}
