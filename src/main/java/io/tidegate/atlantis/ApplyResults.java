package io.tidegate.atlantis;

import java.io.IOException;

/**
 * Receives Atlantis's apply results ({@code POST /api/v1/atlantis/apply-result}): ends the
 * deployment record the gate started and releases its lock. A result for an apply the gate
 * denied ends nothing. Must be safe for concurrent use.
 */
public interface ApplyResults {
    void record(ApplyResult result) throws IOException;
}
