package io.tidegate.atlantis;

import java.io.IOException;

/**
 * Decides whether an Atlantis command may run now ({@code POST /api/v1/atlantis/gate}): gathers
 * fresh facts, decides, records the decision and, for an allowed apply under a lock, takes the
 * lock. An {@link IOException} (GitHub or the store unreachable) becomes a 5xx, which the hook
 * treats as a denial. Must be safe for concurrent use.
 */
public interface GateService {
    GateAnswer decide(GateRequest request) throws IOException;
}
