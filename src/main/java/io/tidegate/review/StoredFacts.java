package io.tidegate.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.OwnedFile;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;

/**
 * What a review read from GitHub (the PR at its head, its reviews, the teams of the people
 * involved) and when, kept with the PR's schedule entry so that a re-review no event of the PR
 * caused (time, another PR's lock or deployment, a policy reload) decides again without asking
 * GitHub: none of these can have changed what GitHub says, and whatever does change it sends a
 * webhook, whose review reads GitHub again. The head commit's Git tree (for promotion) is kept
 * too: it never changes for a commit; so are the changed files with their code owners, which only
 * a push (a webhook) changes.
 */
record StoredFacts(PullRequest pullRequest, List<Review> reviews,
        Map<String, Set<String>> teams, Instant readAt, Optional<String> headTree,
        Optional<List<OwnedFile>> ownedFiles) {
    StoredFacts {
        Objects.requireNonNull(pullRequest, "pullRequest == null");
        reviews = List.copyOf(Objects.requireNonNull(reviews, "reviews == null"));
        teams = Map.copyOf(Objects.requireNonNull(teams, "teams == null"));
        Objects.requireNonNull(readAt, "readAt == null");
        Objects.requireNonNull(headTree, "headTree == null");
        ownedFiles = Objects.requireNonNull(ownedFiles, "ownedFiles == null").map(List::copyOf);
    }

    /** Stored facts without the head's tree (not read). */
    StoredFacts(PullRequest pullRequest, List<Review> reviews, Map<String, Set<String>> teams,
            Instant readAt) {
        this(pullRequest, reviews, teams, readAt, Optional.empty(), Optional.empty());
    }

    static StoredFacts of(PullRequestSnapshot s, Instant readAt) {
        return new StoredFacts(s.pullRequest(), s.reviews(), s.teams(), readAt, s.headTree(),
                s.ownedFiles());
    }

    String toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode().put("read_at", readAt.toEpochMilli());
        PullRequest p = pullRequest;
        ObjectNode pr = n.putObject("pull_request").put("repo", p.repo())
                .put("number", p.number()).put("base", p.base()).put("head_sha", p.headSha())
                .put("author", p.author()).put("draft", p.draft()).put("body", p.body())
                .put("title", p.title());
        ArrayNode labels = pr.putArray("labels");
        p.labels().stream().sorted().forEach(labels::add);
        ArrayNode rs = n.putArray("reviews");
        for (Review r : reviews) {
            ObjectNode o = rs.addObject().put("user", r.user()).put("state", r.state().name())
                    .put("commit_sha", r.commitSha());
            r.submittedAt().ifPresent(t -> o.put("submitted_at", t.toEpochMilli()));
        }
        headTree.ifPresent(t -> n.put("head_tree", t));
        ownedFiles.ifPresent(files -> {
            ArrayNode fs = n.putArray("owned_files");
            for (OwnedFile f : files) {
                ArrayNode owners = fs.addObject().put("path", f.path()).putArray("owners");
                f.owners().forEach(owners::add);
            }
        });
        ObjectNode ts = n.putObject("teams");
        teams.forEach((login, set) -> {
            ArrayNode a = ts.putArray(login);
            set.stream().sorted().forEach(a::add);
        });
        return n.toString();
    }

    /** Reads what {@link #toJson} wrote; {@link IllegalArgumentException} for anything else. */
    static StoredFacts fromJson(String text, ObjectMapper json) {
        try {
            JsonNode n = json.readTree(text);
            JsonNode p = n.required("pull_request");
            Set<String> labels = new HashSet<>();
            p.required("labels").forEach(l -> labels.add(l.asText()));
            PullRequest pr = new PullRequest(p.required("repo").asText(),
                    p.required("number").asInt(), p.required("base").asText(),
                    p.required("head_sha").asText(), p.required("author").asText(),
                    p.required("draft").asBoolean(), labels, p.required("body").asText(),
                    p.required("title").asText());
            List<Review> reviews = new ArrayList<>();
            for (JsonNode r : n.required("reviews")) {
                reviews.add(new Review(r.required("user").asText(),
                        Review.State.valueOf(r.required("state").asText()),
                        r.required("commit_sha").asText(),
                        r.has("submitted_at")
                                ? Optional.of(Instant.ofEpochMilli(r.get("submitted_at")
                                        .asLong())) : Optional.empty()));
            }
            Map<String, Set<String>> teams = new HashMap<>();
            n.required("teams").fields().forEachRemaining(e -> {
                Set<String> set = new HashSet<>();
                e.getValue().forEach(t -> set.add(t.asText()));
                teams.put(e.getKey(), set);
            });
            // Absent in facts stored before trees were read: then read afresh when needed.
            Optional<String> tree = n.hasNonNull("head_tree")
                    ? Optional.of(n.get("head_tree").asText()) : Optional.empty();
            Optional<List<OwnedFile>> owned = Optional.empty();
            if (n.hasNonNull("owned_files")) {
                List<OwnedFile> files = new ArrayList<>();
                for (JsonNode f : n.get("owned_files")) {
                    Set<String> owners = new java.util.LinkedHashSet<>();
                    f.required("owners").forEach(o -> owners.add(o.asText()));
                    files.add(new OwnedFile(f.required("path").asText(), owners));
                }
                owned = Optional.of(files);
            }
            return new StoredFacts(pr, reviews, teams,
                    Instant.ofEpochMilli(n.required("read_at").asLong()), tree, owned);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("stored facts are unreadable: " + e.getMessage(),
                    e);
        }
    }
}
