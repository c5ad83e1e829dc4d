package org.crmlake.ingest;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The batch dates present in a landing folder ({@code <landing>/<source>/<yyyy-MM-dd>/}). */
public final class LandingFolders {
    private LandingFolders() {
    }

    public static List<LocalDate> batchDates(String landing, String source, Configuration conf) {
        Path dir = new Path(landing + "/" + source);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                return List.of();
            }
            TreeSet<LocalDate> dates = new TreeSet<>();
            for (FileStatus st : fs.listStatus(dir)) {
                if (st.isDirectory()) {
                    try {
                        dates.add(LocalDate.parse(st.getPath().getName()));
                    } catch (DateTimeParseException notABatch) {
                        // other folders (e.g. an operator's notes) are not batches
                    }
                }
            }
            return new ArrayList<>(dates);
        } catch (IOException e) {
            throw new IngestException("cannot list batches in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of the given sources' batch folders for the date; -1 when none of them exists. */
    public static long batchBytes(String landing, List<String> sources, LocalDate date, Configuration conf) {
        long bytes = -1;
        for (String source : sources) {
            Path dir = new Path(landing + "/" + source + "/" + date);
            try {
                FileSystem fs = dir.getFileSystem(conf);
                if (fs.exists(dir)) {
                    bytes = Math.max(bytes, 0) + fs.getContentSummary(dir).getLength();
                }
            } catch (IOException e) {
                throw new IngestException("cannot read the size of " + dir + ": " + e.getMessage(), e);
            }
        }
        return bytes;
    }

    /** Every batch date of any source, sorted. */
    public static List<LocalDate> allBatchDates(String landing, Configuration conf) {
        TreeSet<LocalDate> dates = new TreeSet<>();
        for (String s : SourceContract.SOURCES) {
            dates.addAll(batchDates(landing, s, conf));
        }
        return new ArrayList<>(dates);
    }
}
