package io.tidegate.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * URLs the pages build. Query values are percent-encoded here; the template engine then
 * escapes the whole URL for the attribute it lands in.
 */
public record Links(String webBase) {
    /**
     * @param webBase GitHub's web address ({@code https://github.com}, or a GitHub Enterprise
     *                host), from the same setting as the sticky comment's links
     */
    public Links {
        java.util.Objects.requireNonNull(webBase, "webBase == null");
        webBase = webBase.replaceAll("/+$", "");
    }

    /** {@code owner/name#12} → the PR's page; anything else → "" (no link). */
    public String pullRequestUrl(String key) {
        int hash = key.lastIndexOf('#');
        if (hash <= 0 || !key.substring(hash + 1).matches("\\d{1,9}")
                || !key.substring(0, hash).matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            return "";
        }
        return webBase + "/" + key.substring(0, hash) + "/pull/" + key.substring(hash + 1);
    }

    /** {@code path?k=v&...} with the non-empty values, encoded. */
    public static String to(String path, Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.length() == 0 ? path : path + "?" + q;
    }

    /** Builds a parameter map from key, value pairs (values may be null: left out). */
    public static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
