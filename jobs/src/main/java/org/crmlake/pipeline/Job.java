package org.crmlake.pipeline;

import java.util.List;

/**
 * One pipeline step: a name, the tables it reads and writes, and one {@code run}. The CLI, the
 * Airflow DAG and the docs all read jobs from {@link JobRegistry}, so their order follows from the
 * declared tables and cannot drift apart. Names are {@code verb-noun}, classes {@code <Verb><Noun>Job}.
 */
public interface Job {
    String name();

    String description();

    /** Qualified table names read, or {@code landing/<source>} for export files. */
    List<String> inputs();

    /** Qualified table names written. */
    List<String> outputs();

    /**
     * A gate stops the run when it fails: every job that does not feed it waits for it, so nothing
     * is built or published from data the gate rejected.
     */
    default boolean gate() {
        return false;
    }

    /**
     * Bytes of export files this job reads for the context's date, or -1 when it reads the lake
     * (or cannot tell): a job with a small input runs interpreted, in a session of its own
     * ({@link JobContext#sizedFor}, {@code -Dcrm.codegen}).
     */
    default long landingBytes(JobContext context) {
        return -1;
    }

    JobResult run(JobContext context);
}
