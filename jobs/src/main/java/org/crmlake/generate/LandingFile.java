package org.crmlake.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongToIntFunction;

/**
 * One entity of one source across its batch folders. Rows are routed by their date and,
 * depending on the mess level, written twice (exact duplicates) or broken (malformed lines).
 */
final class LandingFile implements Closeable {

    /** Malformed lines per row at mess 1 (the brief: about m * 0.2 %). */
    private static final double MALFORMED_RATE = 0.002;
    /** Files reaching this many rows get at least one malformed line when mess > 0. */
    private static final int MALFORMED_GUARANTEE_ROW = 50;

    /** Mess this entity is exposed to: exact duplicate rows (rate at mess 1) and malformed lines. */
    record Quirks(double duplicateRate, boolean malformed) {
        static final Quirks NONE = new Quirks(0, false);
    }

    private static final class Target {
        final String path;
        final BufferedWriter writer;
        long rows;
        long malformed;

        Target(String path, BufferedWriter writer) {
            this.path = path;
            this.writer = writer;
        }
    }

    private final List<Target> targets = new ArrayList<>();
    private final RowFormat format;
    private final LongToIntFunction router;
    private final Quirks quirks;
    private final double mess;

    /**
     * @param paths  target files relative to {@code out}
     * @param router day -> index into {@code paths}, or -1 to drop (after the end date)
     */
    LandingFile(Path out, List<String> paths, Charset charset, RowFormat format, LongToIntFunction router,
                Quirks quirks, double mess) throws IOException {
        this.format = format;
        this.router = router;
        this.quirks = quirks;
        this.mess = mess;
        for (String p : paths) {
            Path file = out.resolve(p);
            Files.createDirectories(file.getParent());
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), charset), 1 << 16);
            String header = format.header();
            if (header != null) {
                w.write(header);
                w.write('\n');
            }
            targets.add(new Target(p, w));
        }
    }

    /** Writes a row dated {@code epochSecond}; returns false when it falls after the end date. */
    boolean write(long epochSecond, String[] fields, SplittableRandom messRng) throws IOException {
        int index = router.applyAsInt(Times.day(epochSecond));
        if (index < 0) {
            return false;
        }
        Target t = targets.get(index);
        boolean broken = false;
        boolean duplicate = false;
        if (mess > 0) {
            broken = quirks.malformed() && (messRng.nextDouble() < mess * MALFORMED_RATE
                    || (t.rows == MALFORMED_GUARANTEE_ROW - 1 && t.malformed == 0));
            duplicate = !broken && messRng.nextDouble() < quirks.duplicateRate() * mess;
        }
        String line = broken ? format.broken(fields, messRng) : format.line(fields);
        emit(t, line);
        if (broken) {
            t.malformed++;
        }
        if (duplicate) {
            emit(t, line);
        }
        return true;
    }

    private static void emit(Target t, String line) throws IOException {
        t.writer.write(line);
        t.writer.write('\n');
        t.rows++;
    }

    void addCounts(Map<String, Long> rowsPerFile) {
        for (Target t : targets) {
            rowsPerFile.put(t.path, t.rows);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Target t : targets) {
            try {
                t.writer.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
