package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void singleStarStaysWithinOnePathSegment() {
        Glob g = new Glob("environments/*");
        assertThat(g.matches("environments/prod")).isTrue();
        assertThat(g.matches("environments/prod/network")).isFalse();
    }

    @Test
    void doubleStarCrossesSegments() {
        Glob g = new Glob("modules/**/main");
        assertThat(g.matches("modules/a/b/main")).isTrue();
        assertThat(g.matches("modules/a/main")).isTrue();
    }

    @Test
    void trailingDoubleStarAlsoMatchesTheDirectoryItself() {
        Glob g = new Glob("environments/prod/**");
        assertThat(g.matches("environments/prod")).isTrue();
        assertThat(g.matches("environments/prod/eu/vpc")).isTrue();
        assertThat(g.matches("environments/production")).isFalse();
    }

    @Test
    void literalsMatchWholeStringsNeverSubstrings() {
        Glob g = new Glob("aws_instance");
        assertThat(g.matches("aws_instance")).isTrue();
        assertThat(g.matches("aws_instance_profile")).isFalse();
        assertThat(g.matches("my_aws_instance")).isFalse();
    }

    @Test
    void regexCharactersAreLiteral() {
        assertThat(new Glob("a.b+c").matches("a.b+c")).isTrue();
        assertThat(new Glob("a.b+c").matches("axbbc")).isFalse();
    }

    @Test
    void projectNamePrefixGlob() {
        assertThat(new Glob("prod-*").matches("prod-environment")).isTrue();
        assertThat(new Glob("prod-*").matches("staging-environment")).isFalse();
    }

    @Test
    void fastPathsMatchExactlyWhatTheRegexMatches() {
        java.util.List<String> patterns = java.util.List.of("", "*", "**", "/**", "a", "a*",
                "aws_rds_cluster*", "aws_elasticache_*", "environments/prod/**",
                "environments/*", "environments/*/vpc", "modules/**/main", "a/**/**", "a.b/**",
                "(x)/**", "a+*", "env/**x", "x**");
        java.util.List<String> texts = java.util.List.of("", "/", "a", "ab", "a/", "a/b",
                "aws_rds_cluster", "aws_rds_cluster_x", "aws_rds_cluster/x", "aws_elasticache_a",
                "environments/prod", "environments/prod/", "environments/prod/eu/vpc",
                "environments/production", "environments/staging/vpc", "modules/a/main",
                "a.b", "axb", "a.b/c", "(x)", "(x)/y", "a+", "a+b/c", "env/x", "env/ax", "x",
                "xyz/w");
        for (String p : patterns) {
            Glob g = new Glob(p);
            for (String t : texts) {
                assertThat(g.matches(t)).as("%s on %s", p, t).isEqualTo(g.matchesByRegex(t));
            }
        }
    }
}
