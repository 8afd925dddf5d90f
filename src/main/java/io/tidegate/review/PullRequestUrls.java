package io.tidegate.review;

import java.net.URI;
import java.util.Objects;

/**
 * Web addresses of pull requests, from the API address: {@code https://api.github.com} serves
 * {@code https://github.com}, Enterprise's {@code https://host/api/v3} serves {@code https://host}.
 */
public record PullRequestUrls(String webBase) {
    public PullRequestUrls {
        Objects.requireNonNull(webBase, "webBase == null");
        webBase = webBase.replaceAll("/+$", "");
    }

    public static PullRequestUrls forApi(URI apiUrl) {
        String api = apiUrl.toString().replaceAll("/+$", "");
        if (apiUrl.getHost() != null && apiUrl.getHost().equals("api.github.com")) {
            return new PullRequestUrls("https://github.com");
        }
        return new PullRequestUrls(api.endsWith("/api/v3")
                ? api.substring(0, api.length() - "/api/v3".length()) : api);
    }

    public String of(String repo, int number) {
        return webBase + "/" + repo + "/pull/" + number;
    }
}
