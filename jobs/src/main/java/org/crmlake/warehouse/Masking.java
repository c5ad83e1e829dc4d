package org.crmlake.warehouse;

import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * No raw personal data in the warehouse (docs/WAREHOUSE.md). Columns named {@code email},
 * {@code phone_e164} or {@code phone} become a masked form plus a salted SHA-256 column
 * ({@code <column>_sha256}); {@code full_name} becomes initials.
 * <ul>
 *   <li>e-mail {@code jane.doe@example.com} → {@code j***@example.com}; hash over the salt
 *       followed by the lower-cased, trimmed e-mail;</li>
 *   <li>phone {@code +15551234567} → {@code +1******4567} (first two and last four characters);
 *       hash over the salt followed by the E.164 phone;</li>
 *   <li>name {@code Jane Doe} → {@code J. D.}</li>
 * </ul>
 * The salt is {@code $CRM_WAREHOUSE_SALT}, else a random one kept in {@code warehouse.salt} beside
 * the warehouse (created once, owner-only), so hashes stay joinable from one publish to the next.
 */
public final class Masking {
    public static final List<String> EMAIL_COLUMNS = List.of("email");
    public static final List<String> PHONE_COLUMNS = List.of("phone_e164", "phone");
    public static final String NAME_COLUMN = "full_name";

    private Masking() {
    }

    /** The dataset with every e-mail, phone and name column masked, and their hashes added. */
    public static Dataset<Row> apply(Dataset<Row> rows, String salt) {
        Dataset<Row> out = rows;
        for (String c : rows.columns()) {
            if (EMAIL_COLUMNS.contains(c)) {
                out = out.withColumn(c + "_sha256", expr("sha2(concat(" + quote(salt) + ", lower(trim(" + c + "))), 256)"));
            } else if (PHONE_COLUMNS.contains(c)) {
                out = out.withColumn(c + "_sha256", expr("sha2(concat(" + quote(salt) + ", trim(" + c + ")), 256)"));
            }
        }
        return mask(out);
    }

    /** The dataset with every e-mail, phone and name column masked, no hashes added (e.g. an analyst's audience). */
    public static Dataset<Row> mask(Dataset<Row> rows) {
        Dataset<Row> out = rows;
        for (String c : rows.columns()) {
            if (EMAIL_COLUMNS.contains(c)) {
                out = out.withColumn(c, expr("regexp_replace(" + c + ", '^(.)[^@]*@', '$1***@')"));
            } else if (PHONE_COLUMNS.contains(c)) {
                out = out.withColumn(c, expr("case when length(" + c + ") > 6 then concat(substring(" + c + ", 1, 2), "
                        + "repeat('*', length(" + c + ") - 6), substring(" + c + ", -4, 4)) "
                        + "when " + c + " is not null then repeat('*', length(" + c + ")) end"));
            } else if (NAME_COLUMN.equals(c)) {
                out = out.withColumn(c, expr("nullif(concat_ws(' ', transform(filter(split(trim(" + c + "), '\\\\s+'), "
                        + "w -> w <> ''), w -> concat(upper(substring(w, 1, 1)), '.'))), '')"));
            }
        }
        return out;
    }

    /** What a masked or added column holds, for the data_dictionary table; null for other columns. */
    public static String describe(String column) {
        if (EMAIL_COLUMNS.contains(column)) {
            return "masked e-mail: first character, ***, then @domain (e.g. j***@example.com); raw e-mails are not published";
        }
        if (PHONE_COLUMNS.contains(column)) {
            return "masked phone: first two and last four characters, * between (e.g. +1******4567)";
        }
        if (column.endsWith("_sha256")) {
            return "SHA-256 (hex) of the warehouse salt followed by the normalised " + column.replace("_sha256", "")
                    + ": joins across publishes without revealing the value";
        }
        if (NAME_COLUMN.equals(column)) {
            return "initials of the best name (e.g. J. D.); full names are not published";
        }
        return null;
    }

    /** The salt: $CRM_WAREHOUSE_SALT, else warehouse.salt in {@code dir}, created on first use. */
    public static String salt(Path dir) {
        String env = System.getenv("CRM_WAREHOUSE_SALT");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path file = dir.resolve("warehouse.salt");
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                try {
                    Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE_NEW);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: the folder's permissions protect it
                    }
                } catch (FileAlreadyExistsException e) {
                    // another publish created it first: use theirs
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the warehouse salt " + file
                    + " (or set CRM_WAREHOUSE_SALT)", e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

}
