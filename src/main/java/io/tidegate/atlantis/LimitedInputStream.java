package io.tidegate.atlantis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Counts the bytes read through it and fails with {@link PayloadTooLargeException} as soon as
 * more than {@code limit} arrive, so an oversized upload is refused while streaming instead of
 * after it has been buffered. Not thread-safe (neither is a stream).
 */
public final class LimitedInputStream extends FilterInputStream {
    /** The most a plan or Infracost upload may be, as promised in {@code atlantis/README.md}. */
    public static final long PLAN_LIMIT = 50L * 1024 * 1024;
    /**
     * A gate request or plan {@code meta} part: a few hundred bytes, except {@code COMMENT_ARGS},
     * which can reach 131,072 characters (see {@code AtlantisRequestParser.MAX_COMMENT_ARGS});
     * JSON-escaped by the hook ({@code \\} per backslash) that is at most about 512 KiB.
     */
    public static final long GATE_LIMIT = 1024L * 1024;
    /**
     * An apply result from Atlantis's {@code http} webhook. Since v0.45 it carries the PR
     * description ({@code Pull.Body}): GitHub allows 65,536 characters, and Go's
     * {@code json.Marshal} writes a character in at most 6 bytes ({@code \u003c} for
     * {@code <}), so the largest real body is under 400 KiB. The bound is five times that;
     * what lies beyond it is not an Atlantis apply result.
     */
    public static final long APPLY_RESULT_LIMIT = 2L * 1024 * 1024;

    private final String what;
    private final long limit;
    private long count;

    public LimitedInputStream(InputStream in, String what, long limit) {
        super(Objects.requireNonNull(in, "in == null"));
        this.what = Objects.requireNonNull(what, "what == null");
        if (limit < 0) {
            throw new IllegalArgumentException("limit < 0: " + limit);
        }
        this.limit = limit;
    }

    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would let bytes be counted twice or not at all
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw new PayloadTooLargeException(what, limit);
        }
    }
}
