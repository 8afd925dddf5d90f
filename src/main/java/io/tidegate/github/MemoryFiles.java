package io.tidegate.github;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import okhttp3.internal.io.FileSystem;
import okio.Buffer;
import okio.ForwardingSink;
import okio.Sink;
import okio.Source;

/**
 * The files of OkHttp's HTTP cache, on the heap instead of a disk. A cache entry records the
 * request headers the response {@code Vary}s on, and GitHub varies on {@code Authorization}: on a
 * disk the token would outlive the process ({@code kill -9} leaves the folder behind). OkHttp's
 * {@code Cache} takes its file system as a parameter ({@code okhttp3.Cache(File, long,
 * FileSystem)}, OkHttp 4.12; its own tests use an in-memory one the same way); the cache's size
 * bound still holds. A written file becomes visible when its sink is flushed or closed, which is
 * when OkHttp's {@code DiskLruCache} reads it. Thread-safe.
 */
final class MemoryFiles implements FileSystem {
    private final Map<File, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public Source source(File file) throws FileNotFoundException {
        byte[] bytes = files.get(file);
        if (bytes == null) {
            throw new FileNotFoundException(file.getPath());
        }
        return new Buffer().write(bytes);
    }

    @Override
    public Sink sink(File file) {
        return sinkInto(file, new Buffer());
    }

    @Override
    public Sink appendingSink(File file) {
        Buffer start = new Buffer();
        byte[] existing = files.get(file);
        if (existing != null) {
            start.write(existing);
        }
        return sinkInto(file, start);
    }

    private Sink sinkInto(File file, Buffer buffer) {
        files.put(file, buffer.snapshot().toByteArray());
        return new ForwardingSink(buffer) {
            @Override
            public void flush() throws IOException {
                super.flush();
                files.put(file, buffer.snapshot().toByteArray());
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @Override
    public void delete(File file) {
        files.remove(file);
    }

    @Override
    public boolean exists(File file) {
        return files.containsKey(file);
    }

    @Override
    public long size(File file) {
        byte[] bytes = files.get(file);
        return bytes == null ? 0 : bytes.length;
    }

    @Override
    public void rename(File from, File to) throws IOException {
        byte[] bytes = files.remove(from);
        if (bytes == null) {
            throw new FileNotFoundException(from.getPath());
        }
        files.put(to, bytes);
    }

    @Override
    public void deleteContents(File directory) {
        String prefix = directory.getPath() + File.separator;
        files.keySet().removeIf(f -> f.getPath().startsWith(prefix));
    }
}
