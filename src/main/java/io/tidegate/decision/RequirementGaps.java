package io.tidegate.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.policy.Requirements;

/**
 * The one place the label, checklist and section requirements are checked against a PR. What a
 * PR lacks is found once ({@link #find}) and then told two ways: as the environment's reasons
 * ({@code label-missing}, {@code checklist-incomplete}, {@code section-missing}) or as short
 * phrases inside another rule's reason ("needs the label x"), for the over-limit path and plan
 * rules.
 *
 * @param labels    required labels not on the PR, in the policy's order
 * @param checklist the PR's checklist when a complete one is required and it is not complete
 * @param sections  required sections without a heading followed by text
 */
record RequirementGaps(List<String> labels, Optional<PullRequestText.Checklist> checklist,
        List<String> sections) {
    RequirementGaps {
        labels = List.copyOf(labels);
        sections = List.copyOf(sections);
    }

    static RequirementGaps find(Requirements r, PullRequest pr) {
        // Rule: every label in require.labels must be on the PR.
        List<String> labels = r.labels().stream().filter(l -> !pr.labels().contains(l)).toList();
        // Rule: checklist complete = at least one task item and every one ticked.
        PullRequestText.Checklist c = PullRequestText.checklist(pr.body());
        Optional<PullRequestText.Checklist> checklist = r.checklistComplete()
                && !c.isComplete() ? Optional.of(c) : Optional.empty();
        // Rule: each required section is a heading followed by non-empty text.
        List<String> sections = r.sections().stream()
                .filter(s -> !PullRequestText.hasSection(pr.body(), s)).toList();
        return new RequirementGaps(labels, checklist, sections);
    }

    /** One short phrase per gap, for another rule's remedy. */
    static List<String> of(Requirements r, PullRequest pr) {
        return find(r, pr).phrases();
    }

    List<String> phrases() {
        List<String> missing = new ArrayList<>();
        labels.forEach(l -> missing.add("needs the label " + l));
        checklist.ifPresent(c -> missing.add("needs a complete checklist"));
        sections.forEach(s -> missing.add("needs a \"" + s + "\" section"));
        return missing;
    }

    /** The environment's reasons: one per kind of gap. */
    List<Reason> reasons() {
        List<Reason> out = new ArrayList<>();
        if (!labels.isEmpty()) {
            String which = (labels.size() == 1 ? "label " : "labels ") + Text.and(labels);
            out.add(Reason.of(ReasonCode.LABEL_MISSING, "missing " + which, "add the " + which));
        }
        checklist.map(RequirementGaps::checklistReason).ifPresent(out::add);
        if (!sections.isEmpty()) {
            out.add(Reason.of(ReasonCode.SECTION_MISSING, "the PR description has no "
                    + Text.and(sections.stream().map(s -> "\"" + s + "\"").toList())
                    + (sections.size() == 1 ? " section" : " sections") + " with text",
                    "add " + Text.and(sections.stream().map(s -> "a \"## " + s + "\" heading")
                            .toList()) + " followed by text to the PR description"));
        }
        return out;
    }

    private static Reason checklistReason(PullRequestText.Checklist c) {
        if (c.items() == 0) {
            return Reason.of(ReasonCode.CHECKLIST_INCOMPLETE,
                    "the PR description has no checklist", "add the checklist (- [x] item) "
                            + "to the PR description and tick every item");
        }
        return Reason.of(ReasonCode.CHECKLIST_INCOMPLETE, "the PR checklist has "
                + Text.plural(c.unticked(), "unticked item", "unticked items") + " of "
                + c.items(), "tick every checklist item in the PR description");
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
