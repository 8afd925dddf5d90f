package io.tidegate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;

/** Runs policy cases against their policies, parsing each policy file once. */
final class CaseRunner {
    private final Map<Path, PolicySet> policies = new HashMap<>();

    PolicySet policy(Path file) throws CaseFileException {
        Path key = file.toAbsolutePath().normalize();
        PolicySet cached = policies.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            PolicySet p = PolicyParser.parse(file);
            policies.put(key, p);
            return p;
        } catch (PolicyFileException e) {
            throw new CaseFileException("policy " + file + " is not valid:\n" + e.getMessage());
        } catch (IOException e) {
            throw new CaseFileException("policy " + file + " cannot be read: " + e.getMessage());
        }
    }

    static Decision decide(PolicySet policy, PolicyCase c, Instant at) {
        return DecisionEngine.decide(policy, c.facts(), at);
    }

    /** Empty when the decision meets the expectation; else what differs. */
    static List<String> mismatches(PolicyCase.Expectation expect, Decision d) {
        List<String> out = new ArrayList<>();
        if (expect.allow() != d.isAllowed()) {
            out.add("decision");
        }
        expect.reasons().stream().filter(r -> !d.codes().contains(r))
                .forEach(r -> out.add("missing " + r));
        expect.absent().stream().filter(r -> d.codes().contains(r))
                .forEach(r -> out.add("unexpected " + r));
        return out;
    }

    static String describe(boolean allow, List<String> codes) {
        return (allow ? "allow" : "deny") + " [" + String.join(", ", codes) + "]";
    }
}
