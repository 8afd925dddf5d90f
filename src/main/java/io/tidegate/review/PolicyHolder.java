package io.tidegate.review;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.health.Readiness;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyFiles;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.RepoPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server's policy, read from its file and reloaded when the file changes.
 *
 * <p>It can never fail open:
 * <ul>
 *   <li>A valid file is the policy in force; its SHA-256 is {@link PolicySet#sha256()} (for
 *       audit rows) and {@link #sha256()}.</li>
 *   <li>An invalid, missing or unreadable file keeps the LAST GOOD policy, marked with the
 *       problem ({@link PolicySet#fileProblem()}): plans, explanations and notification routing
 *       go on, but the decision engine denies every apply until the file is fixed, since the
 *       broken edit may have been a tightening. Readiness fails naming the problem
 *       ({@code file:line:column: message}), so an orchestrator also stops routing to us.</li>
 *   <li>With no valid policy ever loaded (bad at start), {@link #current()} is
 *       {@link PolicySet#unavailable(String)}: no roles, no environments, and every decision
 *       against it is a deny naming the problem. No caller has to check anything; the server
 *       still starts, so {@code /readyz} can say why it is not ready.</li>
 * </ul>
 *
 * <p>The file is checked on access ({@link #current()} and {@link #check()}, which
 * {@code /readyz} calls on every probe), at most once per {@code checkEvery}: no thread, no
 * busy polling. A check compares modification time and size of the file and of every file its
 * {@code repos:} names (one policy version, hashed as a set: a named file edited alone is a new
 * version), and reads and hashes them when either changed or when the last read was too close to the modification time to trust it (a
 * same-size rewrite within the file system's time granularity); it parses only when the hash
 * changed. One caller checks while the others keep the current policy without waiting. Each new
 * file version is logged once (an error when it is bad) and counted in
 * {@code tidegate.policy.reloads{outcome=loaded|invalid|unreadable}}.
 *
 * <p>Safe for concurrent use.
 */
public final class PolicyHolder implements PolicySource, Readiness {
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(5);
    static final String METRIC = "tidegate.policy.reloads";
    private static final Logger log = LoggerFactory.getLogger(PolicyHolder.class);
    /** How long after a modification a same-stat file could still change unseen. */
    private static final Duration RACY = Duration.ofSeconds(2);
    /** A policy is kilobytes; a file far larger is a mistake, not something to read whole. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Path file;
    private final Clock clock;
    private final Duration checkEvery;
    private final MeterRegistry registry;
    private final ReentrantLock checking = new ReentrantLock();
    private final ReloadListener listener;
    private volatile State state;
    private volatile Instant nextCheck;
    /** Set once the file has been read the first time, whatever it held. */
    private volatile boolean readOnce;

    /** A valid policy, when it was loaded, and the text of each of its files (for replay). */
    private record Good(PolicySet policy, Instant loadedAt, Map<String, String> files) {}

    /**
     * One new version of the file seen: {@code loaded} (with its files), {@code invalid} or
     * {@code unreadable} (with the problem); {@code was} is the hash of the policy in force
     * before. For the audit: every version that decides is kept, every reload recorded.
     */
    public record Reload(String outcome, Optional<String> sha256, Optional<String> was,
            Map<String, String> files, Optional<String> problem, Instant at) {}

    /** Told of each new version seen, under the check lock; must not throw. */
    @FunctionalInterface
    public interface ReloadListener {
        ReloadListener NONE = r -> {};

        void reloaded(Reload reload);
    }

    /**
     * What tells a version of a file from the next without reading it. The file's identity (its
     * inode, where the platform has one) is part of it: a file moved or linked in to replace
     * another (an editor's save, a symlink swap) is a new file even when it has the old one's
     * size and modified time, as every file of a reproducible deployment has (the Nix store and
     * Jib images fix all modified times at 1 s after the epoch).
     */
    private record Stat(FileTime modified, long size, Object identity) {
        static Stat of(BasicFileAttributes a) {
            return new Stat(a.lastModifiedTime(), a.size(), a.fileKey());
        }
    }

    /**
     * What a check saw: the stat of the file and of every file its {@code repos:} named
     * (empty: it did not exist), when the reading started, and the hash of the set read.
     */
    private record Seen(Map<Path, Optional<Stat>> stats, Instant readAt, String sha256) {}

    /** The policy in force, the problem of the file on disk, the last version seen. */
    private record State(Optional<Good> good, Optional<String> problem, Optional<Seen> seen) {}

    /** Loads the file now; a bad file does not throw (see the class comment). */
    public PolicyHolder(Path file, Clock clock, MeterRegistry registry, Duration checkEvery) {
        this(file, clock, registry, checkEvery, ReloadListener.NONE);
    }

    /** As above, telling {@code listener} of every version seen, the first load included. */
    public PolicyHolder(Path file, Clock clock, MeterRegistry registry, Duration checkEvery,
            ReloadListener listener) {
        this(file, clock, registry, checkEvery, listener, true);
    }

    /**
     * As above, but the file is not read yet: the caller runs the first {@link #reload()} (the
     * server does, on a thread of its own, while the rest of the server is built: the first
     * parse is a third of a second of class loading and linking, issue 19). Until that first
     * reading has finished, {@link #current()} and {@link #check()} wait for it, or do it
     * themselves when nobody has started it: nothing ever decides with a policy not read yet.
     */
    public static PolicyHolder readLater(Path file, Clock clock, MeterRegistry registry,
            Duration checkEvery, ReloadListener listener) {
        return new PolicyHolder(file, clock, registry, checkEvery, listener, false);
    }

    private PolicyHolder(Path file, Clock clock, MeterRegistry registry, Duration checkEvery,
            ReloadListener listener, boolean readNow) {
        this.listener = Objects.requireNonNull(listener, "listener == null");
        this.file = Objects.requireNonNull(file, "file == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.checkEvery = Objects.requireNonNull(checkEvery, "checkEvery == null");
        if (checkEvery.isNegative()) {
            throw new IllegalArgumentException("checkEvery < 0: " + checkEvery);
        }
        this.state = new State(Optional.empty(), Optional.of("not read yet"), Optional.empty());
        Gauge.builder("tidegate.policy.valid", this, h -> h.state.problem().isEmpty() ? 1 : 0)
                .description("1 while the policy file on disk is valid, 0 while it is not "
                        + "(applies are then denied)")
                .register(registry);
        if (readNow) {
            reload();
        }
    }

    /** The policy to decide with; never null, never the content of a broken file. */
    @Override
    public PolicySet current() {
        refreshIfDue();
        State s = state;
        if (s.good().isEmpty()) {
            return PolicySet.unavailable(s.problem().orElse("no policy loaded"));
        }
        PolicySet policy = s.good().get().policy();
        return s.problem().map(policy::withFileProblem).orElse(policy);
    }

    /**
     * The files of the policy in force when its hash is {@code sha256}: its path as configured
     * and every file its {@code repos:} names (as resolved), each with the text that was
     * parsed; empty for any other hash.
     */
    public Optional<Map<String, String>> files(String sha256) {
        return state.good().filter(g -> g.policy().sha256().equals(sha256)).map(Good::files);
    }

    /**
     * The file that decides for {@code repo} under {@code repos:} in the policy set
     * {@code decided} came from, while that set is still the one in force. Once a reload has
     * replaced it (between a decision and its audit row) the answer is empty rather than the new
     * set's file: the row then names the set alone, which replay rebuilds and matches itself.
     */
    public Optional<String> decidingFile(String repo, PolicySet decided) {
        PolicySet root = current();
        return root.sha256().equals(decided.sha256())
                ? root.repoPolicyFor(repo).map(RepoPolicy::file) : Optional.empty();
    }

    /** The hash of the policy in force ({@link PolicySet#NO_POLICY} when none was loaded). */
    public String sha256() {
        return current().sha256();
    }

    @Override
    public Check check() {
        refreshIfDue();
        State s = state;
        if (s.problem().isEmpty()) {
            Good g = s.good().orElseThrow();
            return Check.ready("policy", "policy " + file + " loaded (sha256 "
                    + g.policy().sha256() + ")");
        }
        String kept = s.good()
                .map(g -> "; applies are denied, plans use the last good policy (sha256 "
                        + g.policy().sha256() + ", loaded " + g.loadedAt() + ")")
                .orElse("; no valid policy was loaded, every decision is denied");
        return Check.failing("policy", s.problem().get() + kept);
    }

    /** Checks the file now, whenever it was last checked. */
    public void reload() {
        checking.lock();
        try {
            nextCheck = clock.instant().plus(checkEvery);
            checkFile();
        } finally {
            checking.unlock();
        }
    }

    private void refreshIfDue() {
        if (!readOnce) {
            firstReading();
            return;
        }
        if (clock.instant().isBefore(nextCheck) || !checking.tryLock()) {
            return; // not due, or another caller is checking: use what we have
        }
        try {
            Instant now = clock.instant();
            if (!now.isBefore(nextCheck)) {
                nextCheck = now.plus(checkEvery);
                checkFile();
            }
        } finally {
            checking.unlock();
        }
    }

    /** Waits for the first reading of the file ({@link #readLater}), or does it. */
    private void firstReading() {
        checking.lock();
        try {
            if (!readOnce) {
                nextCheck = clock.instant().plus(checkEvery);
                checkFile();
            }
        } finally {
            checking.unlock();
        }
    }

    private void checkFile() {
        try {
            readFile();
        } finally {
            readOnce = true;
        }
    }

    private void readFile() {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                unreadable("policy file " + file + " is not a regular file");
                return;
            }
            if (attrs.size() > MAX_BYTES) {
                unreadable("policy file " + file + " is " + attrs.size() + " bytes, more than the "
                        + MAX_BYTES + " a policy may have");
                return;
            }
            if (unchanged()) {
                return;
            }
            Instant readAt = Instant.now(); // file times are wall-clock times, not our clock's
            Map<Path, Optional<Stat>> stats = new HashMap<>();
            stats.put(file, Optional.of(Stat.of(attrs)));
            read(Files.readAllBytes(file), stats, readAt);
        } catch (NoSuchFileException e) {
            unreadable("policy file " + file + " does not exist");
        } catch (IOException e) {
            unreadable("policy file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Every file of the version seen has the same stat (or is still absent), and was read long
     * enough after it was modified to trust that. A named file edited alone is a new version.
     */
    private boolean unchanged() {
        Optional<Seen> seen = state.seen();
        if (seen.isEmpty()) {
            return false;
        }
        for (Map.Entry<Path, Optional<Stat>> e : seen.get().stats().entrySet()) {
            Optional<Stat> now = stat(e.getKey());
            if (!now.equals(e.getValue()) || now.isPresent() && !seen.get().readAt()
                    .isAfter(now.get().modified().toInstant().plus(RACY))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Stat> stat(Path path) {
        try {
            return Optional.of(Stat.of(Files.readAttributes(path, BasicFileAttributes.class)));
        } catch (IOException e) {
            return Optional.empty(); // absent or unreadable: reading it will say which
        }
    }

    /**
     * Parses the file, reading each file its {@code repos:} names through a reader that notes
     * its stat and text, so the version kept is exactly the text parsed. A set whose hash is
     * the one seen last is not reported again.
     */
    private void read(byte[] bytes, Map<Path, Optional<Stat>> stats, Instant readAt) {
        Map<String, String> files = new TreeMap<>();
        PolicyFiles noting = path -> {
            stats.put(path, stat(path));
            String text = PolicyFiles.DISK.read(path);
            files.put(path.toString(), text);
            return text;
        };
        try {
            String text = utf8(bytes);
            files.put(file.toString(), text);
            PolicySet policy = PolicyParser.parse(text, file.toString(), noting);
            Seen seen = new Seen(Map.copyOf(stats), readAt, policy.sha256());
            if (!sameAsSeen(seen)) {
                loaded(policy, Map.copyOf(files), seen);
            }
        } catch (PolicyFileException e) {
            Seen seen = new Seen(Map.copyOf(stats), readAt, files.isEmpty()
                    ? PolicyParser.sha256(bytes) : PolicyFiles.sha256Of(files));
            if (!sameAsSeen(seen)) {
                invalid(e, seen);
            }
        }
    }

    /** Touched or rewritten with the same content: only the stats are new. */
    private boolean sameAsSeen(Seen seen) {
        if (state.seen().map(s -> s.sha256().equals(seen.sha256())).orElse(false)) {
            state = new State(state.good(), state.problem(), Optional.of(seen));
            return true;
        }
        return false;
    }

    private void loaded(PolicySet policy, Map<String, String> files, Seen seen) {
        Optional<String> was = state.good().map(g -> g.policy().sha256());
        state = new State(Optional.of(new Good(policy, clock.instant(), files)),
                Optional.empty(), Optional.of(seen));
        count("loaded");
        listener.reloaded(new Reload("loaded", Optional.of(policy.sha256()), was, files,
                Optional.empty(), clock.instant()));
        log.info("policy {} loaded (sha256 {}{}{})", file, policy.sha256(),
                files.size() > 1 ? ", " + files.size() + " files" : "",
                was.map(w -> ", was " + w).orElse(""));
    }

    private void invalid(PolicyFileException e, Seen seen) {
        List<String> problems = e.problems();
        String problem = "policy " + file + " is invalid: " + problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
        state = new State(state.good(), Optional.of(problem), Optional.of(seen));
        count("invalid");
        listener.reloaded(new Reload("invalid", Optional.of(seen.sha256()), inForce(),
                Map.of(), Optional.of(problem), clock.instant()));
        log.error("{} (sha256 {}); {}\n{}", problem, seen.sha256(), keptText(),
                e.getMessage());
    }

    /** A missing or unreadable file: logged and counted once, until it changes. */
    private void unreadable(String problem) {
        State s = state;
        if (s.seen().isEmpty() && s.problem().map(problem::equals).orElse(false)) {
            return; // the same failure as at the last check
        }
        state = new State(s.good(), Optional.of(problem), Optional.empty());
        count("unreadable");
        listener.reloaded(new Reload("unreadable", Optional.empty(), inForce(), Map.of(),
                Optional.of(problem), clock.instant()));
        log.error("{}; {}", problem, keptText());
    }

    private Optional<String> inForce() {
        return state.good().map(g -> g.policy().sha256());
    }

    private String keptText() {
        return state.good().isPresent()
                ? "keeping the last good policy (sha256 " + state.good().get().policy().sha256()
                        + "), applies are denied until the file is fixed"
                : "no valid policy loaded, every decision is denied";
    }

    private void count(String outcome) {
        Counter.builder(METRIC).description("policy file versions seen, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** Strict UTF-8: a bad byte is a located problem, not a silent replacement character. */
    private String utf8(byte[] bytes) throws PolicyFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new PolicyFileException(List.of(where(out) + ": not UTF-8 text (byte "
                    + (in.position() + 1) + ")"));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /** {@code file:line:column} just after the decoded text. */
    private String where(CharBuffer decoded) {
        decoded.flip();
        int line = 1;
        int column = 1;
        while (decoded.hasRemaining()) {
            if (decoded.get() == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return file + ":" + line + ":" + column;
    }
}
