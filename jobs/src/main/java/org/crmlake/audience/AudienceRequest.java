package org.crmlake.audience;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What to export: a segment's current members, a model's scored customers above a threshold, or
 * both (the intersection), for one channel, into {@code out}. {@code date} null means the newest
 * customer_360 date. {@code minDecile} D keeps deciles 1..D (1 = the highest-scoring tenth).
 */
public record AudienceRequest(String segment, String model, Double minScore, Integer minDecile, Channel channel,
                              boolean hash, boolean includeUnknownConsent, LocalDate date, Path out, String format) {
    public static final List<String> MODELS = List.of("churn", "propensity");
    public static final List<String> FORMATS = List.of("csv", "parquet");

    /** The request with its format decided (--format, else the file's extension) and checked. */
    public AudienceRequest validated() {
        if (segment == null && model == null) {
            throw new IllegalArgumentException("give --segment NAME, --model churn|propensity, or both");
        }
        if (model == null && (minScore != null || minDecile != null)) {
            throw new IllegalArgumentException("--min-score and --min-decile need --model churn|propensity");
        }
        if (model != null && !MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "': use one of " + MODELS);
        }
        if (minScore != null && (minScore < 0 || minScore > 1)) {
            throw new IllegalArgumentException("--min-score is a probability between 0 and 1, not " + minScore);
        }
        if (minDecile != null && (minDecile < 1 || minDecile > 10)) {
            throw new IllegalArgumentException("--min-decile is between 1 (top tenth only) and 10 (all), not " + minDecile);
        }
        if (channel == null) {
            throw new IllegalArgumentException("give --channel email|sms|phone");
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out FILE (.csv or .parquet)");
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : name.endsWith(".csv") ? "csv" : name.endsWith(".parquet") ? "parquet" : null;
        if (f == null || !FORMATS.contains(f)) {
            throw new IllegalArgumentException("cannot tell the format of " + out + ": name it .csv or .parquet, or give --format csv|parquet");
        }
        return new AudienceRequest(segment, model, minScore, minDecile, channel, hash, includeUnknownConsent, date,
                out.toAbsolutePath().normalize(), f);
    }

    /** One line for the audit log and the summary, e.g. segment=win_back; model=churn; min_score=0.6; channel=email; hash=true. */
    public String definition() {
        List<String> parts = new ArrayList<>();
        if (segment != null) {
            parts.add("segment=" + segment);
        }
        if (model != null) {
            parts.add("model=" + model);
        }
        if (minScore != null) {
            parts.add("min_score=" + minScore);
        }
        if (minDecile != null) {
            parts.add("min_decile=" + minDecile);
        }
        parts.add("channel=" + (channel == null ? "?" : channel.id()));
        parts.add("hash=" + hash);
        parts.add("unknown_consent=" + (includeUnknownConsent ? "included" : "excluded"));
        if (date != null) {
            parts.add("date=" + date);
        }
        if (format != null) {
            parts.add("format=" + format);
        }
        return String.join("; ", parts);
    }
}
