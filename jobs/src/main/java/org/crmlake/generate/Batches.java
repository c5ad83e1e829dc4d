package org.crmlake.generate;

import java.time.LocalDate;
import java.util.List;

/**
 * The simulated window and the four batch folders: E-3 holds everything up to E-3 (the initial
 * full export), E-2, E-1 and E hold what was created or changed on that day.
 */
record Batches(long startDay, long endDay) {

    static Batches of(GenerateOptions options) {
        long end = options.endDate().toEpochDay();
        return new Batches(end - options.days() + 1, end);
    }

    List<LocalDate> dates() {
        return List.of(LocalDate.ofEpochDay(endDay - 3), LocalDate.ofEpochDay(endDay - 2),
                LocalDate.ofEpochDay(endDay - 1), LocalDate.ofEpochDay(endDay));
    }

    /** Batch index 0..3 for a record dated {@code day}, or -1 when it lies after the end date. */
    int batchOf(long day) {
        if (day > endDay) {
            return -1;
        }
        return (int) Math.max(0, day - (endDay - 3));
    }

    /** Latest second that belongs to the batch's export. */
    long cutoff(int batch) {
        return (endDay - 3 + batch + 1) * Times.DAY - 1;
    }

    boolean inWindow(long day) {
        return day >= startDay && day <= endDay;
    }
}
