package io.tidegate.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.review.WaitingPullRequest;

/**
 * "What waits" ({@code /waiting} and {@code GET /api/v1/dashboard/waiting}): every open PR's
 * last reviewed verdict per environment, longest waiting first, with what is missing and who can
 * unblock it. {@code forLogin} keeps only what a known member of an unblocking role could clear;
 * {@code environment} keeps one environment. Built from the store's review board and now.
 */
public record WaitingPage(Header header, Optional<String> forLogin,
        Optional<String> environment, int ready, int waiting, int blocked, List<Row> rows) {
    public WaitingPage {
        Objects.requireNonNull(header, "header == null");
        Objects.requireNonNull(forLogin, "forLogin == null");
        Objects.requireNonNull(environment, "environment == null");
        rows = List.copyOf(rows);
    }

    /** One PR in one environment, with how long it has had its verdict. */
    public record Row(String repo, int number, String title, String author, String url,
            String shortSha, Instant reviewedAt, WaitingPullRequest.EnvironmentWait env,
            String waited) {}

    static WaitingPage build(Header header, List<WaitingPullRequest> board,
            Optional<String> forLogin, Optional<String> environment, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (WaitingPullRequest pr : board) {
            for (WaitingPullRequest.EnvironmentWait e : pr.environments()) {
                if (environment.isPresent() && !environment.get().equals(e.environment())) {
                    continue;
                }
                if (forLogin.isPresent() && !e.waitsFor(forLogin.get())) {
                    continue;
                }
                rows.add(new Row(pr.repo(), pr.number(), pr.title(), pr.author(), pr.url(),
                        pr.headSha().length() > 7 ? pr.headSha().substring(0, 7) : pr.headSha(),
                        pr.reviewedAt(), e, Texts.duration(Duration.between(e.since(), now))));
            }
        }
        // blocked and waiting before ready; the longest wait first within each
        rows.sort(Comparator.comparingInt((Row r) -> rank(r.env().verdict()))
                .thenComparing(r -> r.env().since()));
        return new WaitingPage(header, forLogin, environment, count(rows, "READY"),
                count(rows, "WAITING"), count(rows, "BLOCKED"), rows);
    }

    private static int rank(String verdict) {
        return switch (verdict) {
            case "WAITING" -> 0;
            case "BLOCKED" -> 1;
            default -> 2;
        };
    }

    private static int count(List<Row> rows, String verdict) {
        return (int) rows.stream().filter(r -> r.env().verdict().equals(verdict)).count();
    }
}
