package org.crmlake.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Arguments of one synthetic world. Same options give byte-identical output.
 *
 * @param customers number of simulated persons (>= 1)
 * @param days      length of the simulated window ending on {@code endDate} (>= 30)
 * @param seed      master seed
 * @param mess      mess level 0..1 (0 = clean data)
 * @param endDate   last simulated day E; batches are E-3 .. E
 * @param out       world folder; {@code landing/} and {@code truth/} are written below it
 */
public record GenerateOptions(int customers, int days, long seed, double mess, LocalDate endDate, Path out) {

    public static final LocalDate DEFAULT_END_DATE = LocalDate.of(2026, 9, 30);

    public GenerateOptions {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be >= 1, got " + customers);
        }
        if (days < 30) {
            throw new IllegalArgumentException("days must be >= 30 (the window needs room for four batches and history), got " + days);
        }
        if (!(mess >= 0.0 && mess <= 1.0)) {
            throw new IllegalArgumentException("mess must be between 0 and 1 (or none/low/default/high), got " + mess);
        }
        if (endDate == null) {
            throw new IllegalArgumentException("endDate must be set; use GenerateOptions.DEFAULT_END_DATE for reproducible worlds");
        }
        if (out == null) {
            throw new IllegalArgumentException("out must be set to the world folder to write");
        }
    }

    /** Parses a mess level: none, low, default, high, or a number between 0 and 1. */
    public static double messLevel(String name) {
        if (name == null) {
            throw new IllegalArgumentException("mess must be one of none, low, default, high or a number 0..1, got null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> 0.0;
            case "low" -> 0.1;
            case "default" -> 0.25;
            case "high" -> 0.6;
            default -> {
                double value;
                try {
                    value = Double.parseDouble(name.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "mess must be one of none, low, default, high or a number 0..1, got '" + name + "'", e);
                }
                if (!(value >= 0.0 && value <= 1.0)) {
                    throw new IllegalArgumentException("mess must be between 0 and 1, got " + name);
                }
                yield value;
            }
        };
    }
}
