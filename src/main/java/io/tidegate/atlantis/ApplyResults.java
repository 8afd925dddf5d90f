package io.tidegate.atlantis;

import java.io.IOException;

/**
 * Receives Atlantis's apply results ({@code POST /api/v1/atlantis/apply-result}): ends the
 * deployment record the gate started and releases its lock. A result for an apply the gate
 * denied ends nothing. Returns one line saying what was ended (or that nothing was), for
 * Atlantis's log. Must be safe for concurrent use.
 */
public interface ApplyResults {
    String record(ApplyResult result) throws IOException;
}
