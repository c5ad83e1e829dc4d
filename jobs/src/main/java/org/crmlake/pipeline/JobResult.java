package org.crmlake.pipeline;

import java.util.List;

/** What a job did, as lines for the run summary. */
public record JobResult(String job, List<String> summary) {
    public JobResult {
        summary = List.copyOf(summary);
    }
}
