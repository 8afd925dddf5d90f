package io.tidegate.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.SqliteStore;

/**
 * The configured store's audit, opened read-only for {@code replay}, {@code what-if} and
 * {@code audit export} (the same environment variables as the server; nothing is created), and
 * the period options they share.
 */
final class AuditArchives {
    private static final Pattern AGO = Pattern.compile("([0-9]{1,6})([dhm])");

    private AuditArchives() {}

    /** Opens the store the environment configures; {@link ConfigException} when it is bad. */
    static AuditArchive open(Map<String, String> env) throws ConfigException {
        Config.Storage s = Config.from(env).storage();
        if (s.kind() == Config.StoreKind.DYNAMODB) {
            return DynamoDbStore.openAuditReadOnly(DynamoDbStore.clientBuilder(s.awsRegion(),
                    s.dynamoDbEndpoint()).build(), s.tablePrefix());
        }
        return SqliteStore.openAuditReadOnly(s.dataDir().resolve(SqliteStore.FILE_NAME));
    }

    /**
     * A moment given as {@code 30d}, {@code 12h} or {@code 90m} ago, an ISO-8601 date
     * ({@code 2026-11-01}, midnight UTC) or instant with an offset.
     */
    static Instant moment(String option, String value, Instant now) throws BadOption {
        Matcher ago = AGO.matcher(value);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            return now.minus(switch (ago.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            });
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC)
                    .toInstant() : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadOption(option + ": expected a period such as 30d, 12h or 90m, a date "
                    + "such as 2026-11-01 or a time such as 2026-11-01T09:00:00+09:00, got \""
                    + value + "\"");
        }
    }

    /** A bad option value: the message names it; exit 2. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }
}
