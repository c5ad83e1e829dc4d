package org.crmlake.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a generation wrote.
 *
 * @param out         the world folder
 * @param batchDates  the four batch dates E-3 .. E
 * @param rowsPerFile path relative to {@code out} (with '/') -> data rows written, sorted by path
 * @param persons     number of simulated persons
 */
public record GenerateResult(Path out, List<LocalDate> batchDates, Map<String, Long> rowsPerFile, int persons) {
}
