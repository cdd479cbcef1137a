package dev.v86unit.images.internal.io;

import dev.v86unit.images.ImageBuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Maps a list on a few daemon threads, keeping the order, and rethrows the first failure as it was. */
public final class Parallel {

    private Parallel() {
    }

    /**
     * @param threads at most this many at a time (at least 1)
     * @param what    what the work is, for thread names and messages: "download", "unpack"
     */
    public static <T, R> List<R> map(List<T> items, int threads, String what, Function<T, R> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), r -> {
            Thread thread = new Thread(r, "v86unit-" + what);
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(await(future, what));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R await(Future<R> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted during " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ImageBuildException("Cannot " + what + " a package: " + e.getCause(), e.getCause());
        }
    }
}
