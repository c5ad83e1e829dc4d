package org.crmlake.segments;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;

/** A segment file that could not be built: the file, the line when Spark names one, and why. */
public record SegmentError(String file, Integer line, String reason) {

    /** From Spark's exception: parse errors carry a line, analysis errors the offset of the bad fragment. */
    static SegmentError of(SegmentFile segment, Exception e) {
        Integer line = null;
        if (e instanceof AnalysisException ae) {
            if (ae.line().isDefined()) {
                line = (Integer) ae.line().get();
            } else {
                for (QueryContext q : ae.getQueryContext()) {
                    if (q.startIndex() >= 0 && q.startIndex() <= segment.sql().length()) {
                        line = 1 + (int) segment.sql().substring(0, q.startIndex()).chars().filter(c -> c == '\n').count();
                        break;
                    }
                }
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new SegmentError(segment.file(), line, message.lines().findFirst().orElse(message));
    }

    @Override
    public String toString() {
        return "segment file " + file + (line == null ? "" : " line " + line) + ": " + reason;
    }
}
