package org.crmlake.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent Spark actions (e.g. writes to different tables) on a few dedicated threads, so
 * one Delta commit overlaps another's work. Never the common fork-join pool: Parquet's vectored
 * reads wait on it, and occupying it with Spark actions deadlocks the reads.
 */
public final class Concurrently {
    private static final int THREADS = 4;

    private Concurrently() {
    }

    /** Results in the order of the tasks; the first failure is rethrown as it was thrown. */
    public static <T> List<T> run(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, Math.max(1, tasks.size())));
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
