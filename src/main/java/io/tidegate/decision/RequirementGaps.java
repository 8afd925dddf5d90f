package io.tidegate.decision;

import java.util.ArrayList;
import java.util.List;

import io.tidegate.policy.Requirements;

/** What a PR still lacks of some requirements, one short phrase each ("needs the label x"). */
final class RequirementGaps {
    private RequirementGaps() {}

    static List<String> of(Requirements r, PullRequest pr) {
        List<String> missing = new ArrayList<>();
        r.labels().stream().filter(l -> !pr.labels().contains(l))
                .forEach(l -> missing.add("needs the label " + l));
        if (r.checklistComplete() && !PullRequestText.checklist(pr.body()).isComplete()) {
            missing.add("needs a complete checklist");
        }
        r.sections().stream().filter(s -> !PullRequestText.hasSection(pr.body(), s))
                .forEach(s -> missing.add("needs a \"" + s + "\" section"));
        return missing;
    }

    /** "label security-reviewed, a complete checklist, section \"Rollback\"", or "". */
    static String describe(Requirements r) {
        List<String> out = new ArrayList<>();
        r.labels().forEach(l -> out.add("label " + l));
        if (r.checklistComplete()) {
            out.add("a complete checklist");
        }
        r.sections().forEach(s -> out.add("section \"" + s + "\""));
        return String.join(", ", out);
    }
}
